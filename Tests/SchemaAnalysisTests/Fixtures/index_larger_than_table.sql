-- An index bigger than the rest of its table: fillfactor 10 leaves nine tenths of every leaf page empty,
-- as heavy bloat does (a script runs in one transaction, so it cannot VACUUM to make real bloat).
CREATE TABLE readings (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reading bigint NOT NULL,
    taken_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO readings (reading) SELECT g FROM generate_series(1, 30000) AS g;
CREATE INDEX readings_reading_idx ON readings (reading) WITH (fillfactor = 10);
ANALYZE readings;
-- One read through the index, so that the index is not also reported as unused.
SET enable_seqscan = off;
SELECT count(*) FROM readings WHERE reading = 42;
RESET enable_seqscan;
