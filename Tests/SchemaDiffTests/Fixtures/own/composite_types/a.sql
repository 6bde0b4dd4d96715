-- Composite types: attributes added, dropped, retyped and reordered; nested types; types used by
-- routines (arrays too) and by a table; comments and grants.
CREATE SCHEMA geo;
CREATE TYPE geo.coordinate AS (lat double precision, lon double precision);
CREATE TYPE geo.route_leg AS (departure geo.coordinate, arrival geo.coordinate, label text);
CREATE FUNCTION geo.leg_label(leg geo.route_leg) RETURNS text LANGUAGE sql AS 'SELECT (leg).label';

CREATE TYPE price AS (minor_units bigint, currency character(3));
COMMENT ON TYPE price IS 'an amount of money';
CREATE TABLE quotes (
    id integer PRIMARY KEY,
    offered price,
    history price[]
);
CREATE FUNCTION price_total(items price[]) RETURNS bigint LANGUAGE sql
    AS 'SELECT sum((i).minor_units)::bigint FROM unnest(items) AS i';

CREATE TYPE badge AS (code varchar(16), caption text, obsolete boolean);
CREATE FUNCTION badge_code(b badge) RETURNS text LANGUAGE sql AS 'SELECT (b).code';

CREATE TYPE dimensions AS (width integer, height integer);
CREATE FUNCTION surface(d dimensions) RETURNS integer LANGUAGE sql AS 'SELECT (d).width * (d).height';

CREATE TYPE old_pairing AS (left_side text, right_side text);
CREATE FUNCTION pairing_text(p old_pairing) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    RETURN p.left_side || '/' || p.right_side;
END
$$;
