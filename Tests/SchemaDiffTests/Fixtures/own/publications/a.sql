CREATE SCHEMA audit;
CREATE TABLE orders (id int PRIMARY KEY, status text, total numeric);
CREATE TABLE customers (id int PRIMARY KEY, name text);
CREATE TABLE audit.log (id int);
CREATE PUBLICATION orders_pub FOR TABLE orders, customers;
CREATE PUBLICATION everything FOR ALL TABLES;
CREATE PUBLICATION gone_pub FOR TABLE customers WITH (publish = 'insert');
