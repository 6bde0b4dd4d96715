CREATE TABLE tags (id integer PRIMARY KEY, name text);
CREATE TABLE labels (id integer, name text NOT NULL, CONSTRAINT labels_pkey PRIMARY KEY (id, name));
