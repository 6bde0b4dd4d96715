-- An integer column referencing a bigint key.
CREATE TABLE authors (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE books (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id integer NOT NULL REFERENCES authors (id) ON DELETE RESTRICT,
    title text NOT NULL
);
CREATE INDEX books_author_id_idx ON books (author_id);
