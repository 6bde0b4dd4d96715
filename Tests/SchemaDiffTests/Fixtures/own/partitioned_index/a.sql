CREATE TABLE readings (id bigint NOT NULL, taken date NOT NULL, sensor integer, value numeric) PARTITION BY RANGE (taken);
CREATE TABLE readings_2025 PARTITION OF readings FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')
    PARTITION BY LIST (sensor);
CREATE TABLE readings_2026_low PARTITION OF readings_2026 FOR VALUES IN (1, 2, 3);
CREATE TABLE readings_2026_rest PARTITION OF readings_2026 DEFAULT;
CREATE INDEX readings_taken_idx ON readings (taken);
CREATE INDEX readings_value_idx ON readings (value);
INSERT INTO readings VALUES (1, '2025-03-01', 1, 1.5), (2, '2026-03-01', 2, 2.5), (3, '2026-04-01', 9, 3.5);
