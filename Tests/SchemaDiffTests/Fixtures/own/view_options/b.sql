-- View options: security_barrier and check options on views, storage parameters on a materialised view
-- (in place, its TOAST table's too), on kept views altered in place and on new ones given at creation.
CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, total numeric, note text);
CREATE VIEW open_orders WITH (security_barrier = true, check_option = cascaded) AS SELECT id, status FROM orders WHERE status = 'open';
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
CREATE VIEW checked_orders WITH (check_option = local) AS SELECT id, status FROM orders WHERE status <> 'void';
CREATE VIEW secret_orders WITH (security_invoker = true) AS SELECT id FROM orders WHERE note IS NOT NULL;
CREATE MATERIALIZED VIEW order_totals WITH (fillfactor = 70, autovacuum_enabled = false) AS SELECT status, sum(total) AS total FROM orders GROUP BY status;
CREATE MATERIALIZED VIEW order_notes WITH (toast_tuple_target = 2048, toast.autovacuum_enabled = false) AS SELECT id, note FROM orders;
