-- 2,000 rows the planner has no statistics for: autovacuum (and so autoanalyze) is off for the table.
-- The harness runs this script as one multi-statement string, where VACUUM is refused, so the table
-- also shows as never vacuumed.
CREATE TABLE payments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    paid_at timestamptz NOT NULL DEFAULT now(),
    amount numeric(12, 2) NOT NULL CHECK (amount >= 0)
) WITH (autovacuum_enabled = false);
INSERT INTO payments (amount) SELECT i FROM generate_series(1, 2000) AS i;
