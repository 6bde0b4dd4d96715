-- A price stored as money.
CREATE TABLE invoices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    total money NOT NULL,
    issued_at timestamptz NOT NULL DEFAULT now()
);
