CREATE TABLE hot (id integer, body text) WITH (fillfactor = 90, autovacuum_enabled = false);
CREATE TABLE plain (id integer);
