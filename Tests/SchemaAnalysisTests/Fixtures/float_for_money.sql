-- An amount of money in binary floating point.
CREATE TABLE payments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    amount double precision NOT NULL,
    paid_at timestamptz NOT NULL DEFAULT now()
);
