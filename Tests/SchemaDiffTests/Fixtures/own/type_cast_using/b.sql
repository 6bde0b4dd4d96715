CREATE TABLE events (id integer PRIMARY KEY, created_at timestamp without time zone NOT NULL, code integer, active boolean, seen_at bigint);
INSERT INTO events VALUES (1, '2023-11-14 22:13:20', 42, true, 1704164645);
