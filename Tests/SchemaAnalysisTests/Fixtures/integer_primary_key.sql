-- A single-column integer primary key.
CREATE TABLE regions (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL
);
