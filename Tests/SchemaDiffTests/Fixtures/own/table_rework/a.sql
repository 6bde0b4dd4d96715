CREATE TABLE accounts (id integer PRIMARY KEY, name text);
CREATE TABLE orders (
    id integer NOT NULL,
    account integer,
    total numeric(10,2) DEFAULT 0,
    status text,
    note character varying(50),
    placed_at bigint,
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT orders_account_fkey FOREIGN KEY (account) REFERENCES accounts (id),
    CONSTRAINT orders_total_check CHECK (total >= 0),
    CONSTRAINT orders_status_key UNIQUE (status, id)
);
CREATE INDEX orders_account_idx ON orders (account);
CREATE INDEX orders_status_idx ON orders (status) WHERE status IS NOT NULL;
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_owner ON orders FOR SELECT USING (account = current_setting('app.account')::integer);
CREATE TABLE order_lines (order_id integer, qty integer, CONSTRAINT order_lines_order_fkey FOREIGN KEY (order_id) REFERENCES orders (id));
CREATE POLICY orders_reader ON orders FOR SELECT TO PUBLIC USING (account = 1);
INSERT INTO accounts VALUES (1, 'one'), (2, 'two');
INSERT INTO orders VALUES (10, 1, 5.00, 'open', 'first', 1700000000), (11, 2, 7.50, 'paid', NULL, 1700003600);
INSERT INTO order_lines VALUES (10, 3);
