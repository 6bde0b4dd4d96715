-- status has three values over 3,000 rows: each matches a third of the table.
CREATE TABLE tickets (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status text NOT NULL CHECK (status IN ('open', 'pending', 'closed')),
    opened_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tickets_status_idx ON tickets (status);
INSERT INTO tickets (status, opened_at)
SELECT (ARRAY['open', 'pending', 'closed'])[1 + g % 3], now() - g * interval '1 minute'
FROM generate_series(1, 3000) AS g;
ANALYZE tickets;
-- One read through the index, so that the index is not also reported as unused.
SET enable_seqscan = off;
SELECT count(*) FROM tickets WHERE status = 'pending';
RESET enable_seqscan;
