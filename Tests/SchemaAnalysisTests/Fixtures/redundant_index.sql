-- orders (status) is a leading prefix of orders (status, placed_at): the wider index serves its lookups.
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status text NOT NULL CHECK (status IN ('open', 'paid', 'shipped')),
    placed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_status_idx ON orders (status);
CREATE INDEX orders_status_placed_at_idx ON orders (status, placed_at);
