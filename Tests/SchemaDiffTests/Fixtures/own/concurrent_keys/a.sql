CREATE TABLE customers (id integer, email text NOT NULL, region text, code text);
CREATE TABLE orders (id integer NOT NULL, customer integer, number text NOT NULL, CONSTRAINT orders_number_key UNIQUE (number));
CREATE TABLE events (id bigint NOT NULL, at timestamptz, kind text);
INSERT INTO customers VALUES (1, 'a@example.com', 'eu', 'A'), (2, 'b@example.com', NULL, 'B');
INSERT INTO orders VALUES (10, 1, 'N-10'), (11, 2, 'N-11'), (12, NULL, 'N-12');
INSERT INTO events VALUES (1, now(), 'x');
