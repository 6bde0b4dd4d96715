-- What an interrupted CREATE INDEX CONCURRENTLY leaves behind: an index marked invalid.
-- (A script runs in one transaction, where CONCURRENTLY is refused, so the flag is set directly.)
CREATE TABLE payments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reference text NOT NULL CHECK (length(reference) <= 64),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_reference_idx ON payments (reference);
UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'payments_reference_idx'::regclass;
