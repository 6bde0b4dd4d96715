-- Domains and routines: a domain whose base type changes under a routine that takes and returns it,
-- domain checks that call routines (created, changed and dropped with them).
CREATE SCHEMA checks;
CREATE DOMAIN percentage AS numeric(5, 2) CHECK (VALUE BETWEEN 0 AND 100);
CREATE FUNCTION clamp_percentage(p percentage) RETURNS percentage LANGUAGE sql IMMUTABLE AS $$ SELECT p $$;
CREATE FUNCTION percentages(ps percentage[]) RETURNS integer LANGUAGE sql AS $$ SELECT cardinality(ps) $$;

CREATE FUNCTION checks.is_slug(v text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN v ~ '^[a-z0-9-]+$';
END
$$;
CREATE DOMAIN checks.slug AS text CONSTRAINT slug_shape CHECK (checks.is_slug(VALUE));
CREATE TABLE articles (id integer PRIMARY KEY, slug checks.slug);

CREATE FUNCTION checks.is_even(v integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT v % 2 = 0 $$;
CREATE DOMAIN checks.even_number AS integer CONSTRAINT even CHECK (checks.is_even(VALUE));
CREATE TABLE pairs (id integer PRIMARY KEY, size checks.even_number);
