CREATE TABLE accounts (id integer PRIMARY KEY, code text NOT NULL);
CREATE UNIQUE INDEX accounts_code ON accounts (code);
CREATE TABLE audit (at timestamptz, what text);
CREATE TABLE readings (id integer, taken date) PARTITION BY RANGE (taken);
CREATE TABLE readings_2025 PARTITION OF readings FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE quiet (id integer);
ALTER TABLE quiet REPLICA IDENTITY NOTHING;
