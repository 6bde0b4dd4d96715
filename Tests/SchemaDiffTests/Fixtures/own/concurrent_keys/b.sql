CREATE TABLE customers (
    id integer NOT NULL,
    email text NOT NULL,
    region text,
    code text,
    CONSTRAINT customers_pkey PRIMARY KEY (id),
    CONSTRAINT customers_email_key UNIQUE (email) INCLUDE (region),
    CONSTRAINT customers_code_key UNIQUE NULLS NOT DISTINCT (code) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE orders (
    id integer NOT NULL,
    customer integer,
    number text NOT NULL,
    CONSTRAINT orders_pkey PRIMARY KEY (id) DEFERRABLE,
    CONSTRAINT orders_number_key UNIQUE (number, customer),
    CONSTRAINT orders_customer_fkey FOREIGN KEY (customer) REFERENCES customers (id)
);
ALTER TABLE customers REPLICA IDENTITY USING INDEX customers_pkey;
CREATE TABLE events (id bigint NOT NULL, at timestamptz, kind text, PRIMARY KEY (id));
INSERT INTO customers VALUES (1, 'a@example.com', 'eu', 'A'), (2, 'b@example.com', NULL, 'B');
INSERT INTO orders VALUES (10, 1, 'N-10'), (11, 2, 'N-11'), (12, NULL, 'N-12');
INSERT INTO events VALUES (1, now(), 'x');
