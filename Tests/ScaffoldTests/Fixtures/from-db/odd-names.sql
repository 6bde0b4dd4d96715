-- Names a generator must sanitise: a reserved word, a column named links, unicode, spaces and punctuation, a quote in the
-- schema name, a table without any key (no routes, a warning).
CREATE SCHEMA "we""ird";
CREATE TABLE "we""ird"."order" (id integer PRIMARY KEY, "select" text, links text);
CREATE TABLE "we""ird"."Ünïcode" ("Ünïcode id" integer PRIMARY KEY, "name with space" text, "order_id" integer REFERENCES "we""ird"."order" (id));
CREATE TABLE "we""ird"."a/b ../c" (k text NOT NULL UNIQUE, "limit" integer);
CREATE TABLE "we""ird".logbook (line text);
CREATE SCHEMA empty_schema;
