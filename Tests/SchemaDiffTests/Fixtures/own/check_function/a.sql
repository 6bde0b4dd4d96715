-- Check constraints that call routines of our own.
CREATE FUNCTION is_even(n integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    RETURN n % 2 = 0;

CREATE TABLE pairs (
    id integer PRIMARY KEY,
    size integer,
    CONSTRAINT pairs_size_even CHECK (is_even(size))
);

CREATE TABLE slots (
    id integer PRIMARY KEY,
    width integer,
    height integer
);
