-- 2,000 rows, a quarter of them deleted, that no VACUUM has seen: autovacuum is off for the table,
-- so the 500 dead rows (past autovacuum's trigger of 50 + 20% of the rows) stay until someone vacuums.
-- ANALYZE keeps it off never_analyzed.
CREATE TABLE shipments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shipped_at timestamptz NOT NULL DEFAULT now(),
    carrier text NOT NULL CHECK (length(carrier) <= 40)
) WITH (autovacuum_enabled = false);
INSERT INTO shipments (carrier) SELECT 'carrier ' || (i % 7) FROM generate_series(1, 2000) AS i;
DELETE FROM shipments WHERE id % 4 = 0;
ANALYZE shipments;
