-- View options: security_barrier and check options on views, storage parameters on a materialised view
-- (in place, its TOAST table's too), on kept views altered in place and on new ones given at creation.
CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, total numeric, note text);
CREATE VIEW open_orders AS SELECT id, status FROM orders WHERE status = 'open';
CREATE VIEW big_orders WITH (security_barrier = true) AS SELECT id, total FROM orders WHERE total > 100;
CREATE VIEW checked_orders WITH (check_option = local) AS SELECT id, status FROM orders WHERE status <> 'void';
CREATE MATERIALIZED VIEW order_totals WITH (fillfactor = 80) AS SELECT status, sum(total) AS total FROM orders GROUP BY status;
CREATE MATERIALIZED VIEW order_notes AS SELECT id, note FROM orders;
