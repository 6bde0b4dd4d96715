-- Two indexes with the same definition on customers (email): one of them only costs writes and disk.
CREATE TABLE customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL CHECK (length(email) <= 255),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customers_email_idx ON customers (email);
CREATE INDEX customers_email_lookup_idx ON customers (email);
