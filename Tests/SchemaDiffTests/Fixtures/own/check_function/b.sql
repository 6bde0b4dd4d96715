-- Check constraints that call routines of our own.
CREATE TABLE pairs (
    id integer PRIMARY KEY,
    size integer
);

CREATE FUNCTION area(w integer, h integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURNS NULL ON NULL INPUT
    RETURN w * h;

CREATE TABLE slots (
    id integer PRIMARY KEY,
    width integer,
    height integer,
    CONSTRAINT slots_area_bounded CHECK (area(width, height) < 10000)
);

CREATE TABLE tiles (
    id integer PRIMARY KEY,
    side integer CHECK (area(side, side) > 0)
);
