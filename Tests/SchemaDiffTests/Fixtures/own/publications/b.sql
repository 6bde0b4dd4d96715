CREATE SCHEMA audit;
CREATE TABLE orders (id int PRIMARY KEY, status text, total numeric);
CREATE TABLE customers (id int PRIMARY KEY, name text);
CREATE TABLE audit.log (id int);
CREATE PUBLICATION orders_pub FOR TABLE orders (id, status) WHERE (status <> 'draft')
    WITH (publish = 'insert, update', publish_via_partition_root = true);
CREATE PUBLICATION everything FOR TABLES IN SCHEMA audit;
CREATE PUBLICATION fresh_pub FOR TABLE customers;
COMMENT ON PUBLICATION fresh_pub IS 'customer changes';
