CREATE TABLE tags (id integer, name text);
CREATE TABLE labels (id integer NOT NULL, name text NOT NULL);
