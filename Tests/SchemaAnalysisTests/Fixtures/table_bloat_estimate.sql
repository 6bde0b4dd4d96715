-- 20,000 of 30,000 rows deleted and not yet vacuumed: two thirds of the table is dead rows.
-- Autovacuum is off for the table so that it cannot clean up before the analysis reads the statistics.
-- The harness runs this script as one multi-statement string, where VACUUM is refused, so the table
-- also shows as never vacuumed; ANALYZE (allowed there) keeps it off never_analyzed.
CREATE TABLE sessions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now(),
    token text NOT NULL CHECK (length(token) <= 64)
) WITH (autovacuum_enabled = false);
INSERT INTO sessions (token) SELECT md5(i::text) FROM generate_series(1, 30000) AS i;
DELETE FROM sessions WHERE id <= 20000;
ANALYZE sessions;
