CREATE TABLE orders (
    id int PRIMARY KEY, qty int NOT NULL, price numeric NOT NULL,
    total numeric GENERATED ALWAYS AS (qty * price * 1.2) STORED,
    label text GENERATED ALWAYS AS ('#' || id::text) STORED
);
CREATE INDEX orders_total_idx ON orders (total);
ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);
CREATE STATISTICS orders_qty_total (dependencies) ON qty, total FROM orders;
COMMENT ON COLUMN orders.total IS 'line total with tax';
COMMENT ON INDEX orders_total_idx IS 'by total';
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY priced ON orders USING (total > 0);
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
