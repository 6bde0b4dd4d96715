-- sessions is written to, but nothing has ever read it through sessions_expires_at_idx.
CREATE TABLE sessions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    label text NOT NULL CHECK (length(label) <= 64),
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);
INSERT INTO sessions (label, expires_at)
SELECT 'session ' || g, now() + g * interval '1 minute' FROM generate_series(1, 200) AS g;
ANALYZE sessions;
