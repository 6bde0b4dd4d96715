-- A foreign key left at ON DELETE NO ACTION to a parent estimated at over 10,000 rows.
-- The parent is analysed at 10,001 rows, then trimmed to 999 so that it stays under the maintenance checks'
-- thresholds (a fixture script runs in one transaction, where VACUUM cannot run); the estimate stays 10,001.
CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
INSERT INTO customers (name) SELECT 'customer ' || g FROM generate_series(1, 10001) AS g;
ANALYZE customers;
DELETE FROM customers WHERE id > 999;
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    placed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
ANALYZE orders;
