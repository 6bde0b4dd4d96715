CREATE TABLE events (id integer PRIMARY KEY, created_at bigint NOT NULL, code text, active integer, seen_at timestamp(3) without time zone);
INSERT INTO events VALUES (1, 1700000000, '42', 1, '2024-01-02 03:04:05.678');
