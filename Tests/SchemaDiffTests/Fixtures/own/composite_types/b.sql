-- Composite types: attributes added, dropped, retyped and reordered; nested types; types used by
-- routines (arrays too) and by a table; comments and grants.
CREATE SCHEMA geo;
CREATE TYPE geo.coordinate AS (lat double precision, lon double precision, altitude real);
CREATE TYPE geo.route_leg AS (departure geo.coordinate, arrival geo.coordinate, label text);
CREATE FUNCTION geo.leg_label(leg geo.route_leg) RETURNS text LANGUAGE sql AS 'SELECT (leg).label';

CREATE TYPE price AS (minor_units bigint, currency character(3), note text);
COMMENT ON TYPE price IS 'an amount of money, in minor units';
COMMENT ON COLUMN price.currency IS 'ISO 4217 code';
REVOKE USAGE ON TYPE price FROM PUBLIC;
CREATE TABLE quotes (
    id integer PRIMARY KEY,
    offered price,
    history price[]
);
CREATE FUNCTION price_total(items price[]) RETURNS bigint LANGUAGE sql
    AS 'SELECT sum((i).minor_units)::bigint FROM unnest(items) AS i';

CREATE TYPE badge AS (code text, caption text COLLATE "C");
CREATE FUNCTION badge_code(b badge) RETURNS text LANGUAGE sql AS 'SELECT (b).code';

CREATE TYPE dimensions AS (height integer, width integer, depth integer);
CREATE FUNCTION surface(d dimensions) RETURNS integer LANGUAGE sql AS 'SELECT (d).width * (d).height';

CREATE TYPE opening_hours AS (opens time, closes time);
CREATE TABLE shops (id integer PRIMARY KEY, hours opening_hours);
CREATE FUNCTION is_open(h opening_hours, at time) RETURNS boolean LANGUAGE sql
    AS 'SELECT at BETWEEN (h).opens AND (h).closes';
