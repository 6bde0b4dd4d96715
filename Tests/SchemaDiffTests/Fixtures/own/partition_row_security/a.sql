-- Row-level security belongs to each partition, not to its parent: partitions created with it (the copy
-- of the live schema builds them too), and switched on and off beside their parent.
CREATE TABLE events (id bigint, region text NOT NULL, body text) PARTITION BY LIST (region);
CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu');
CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us');
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE events_eu ENABLE ROW LEVEL SECURITY;
ALTER TABLE events_eu FORCE ROW LEVEL SECURITY;
