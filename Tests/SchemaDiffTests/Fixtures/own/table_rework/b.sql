CREATE TABLE accounts (id integer PRIMARY KEY, name text);
CREATE TABLE orders (
    id bigint NOT NULL,
    account bigint NOT NULL,
    total numeric(12,2) NOT NULL DEFAULT 1,
    status character varying(20) DEFAULT 'open',
    memo text,
    placed_at timestamp without time zone,
    CONSTRAINT orders_pkey PRIMARY KEY (account, id),
    CONSTRAINT orders_account_fkey FOREIGN KEY (account) REFERENCES accounts (id) ON DELETE CASCADE,
    CONSTRAINT orders_total_check CHECK (total > 0),
    CONSTRAINT orders_status_key UNIQUE (status, account)
);
CREATE INDEX orders_account_idx ON orders (account DESC, placed_at);
CREATE INDEX orders_status_idx ON orders (status) WHERE status <> 'open';
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE orders FORCE ROW LEVEL SECURITY;
CREATE POLICY orders_owner ON orders FOR ALL USING (account = current_setting('app.account')::bigint)
    WITH CHECK (status IS NOT NULL);
CREATE TABLE order_lines (
    order_id bigint, account bigint, qty integer,
    CONSTRAINT order_lines_order_fkey FOREIGN KEY (account, order_id) REFERENCES orders (account, id)
);
CREATE POLICY orders_reader ON orders FOR SELECT TO PUBLIC USING (account = 1);
INSERT INTO accounts VALUES (1, 'one'), (2, 'two');
INSERT INTO orders VALUES (10, 1, 5.00, 'open', NULL, '2023-11-14 22:13:20'), (11, 2, 7.50, 'paid', 'x', '2023-11-14 23:13:20');
INSERT INTO order_lines VALUES (10, 1, 3);
