-- A document stored as json.
CREATE TABLE webhooks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payload json NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
