CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, body text, CONSTRAINT events_pkey PRIMARY KEY (id, at))
    PARTITION BY RANGE (at);
CREATE INDEX events_at_idx ON events (at);
CREATE TABLE events_2025 (id bigint NOT NULL, at date NOT NULL, body text, CONSTRAINT events_2025_pkey PRIMARY KEY (id, at));
CREATE INDEX events_2025_at_idx ON events_2025 (at);
ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_2026 (id bigint NOT NULL, at date NOT NULL, body text);
ALTER TABLE events ATTACH PARTITION events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE event_notes (
    event bigint, at date, note text,
    CONSTRAINT event_notes_event_fkey FOREIGN KEY (event, at) REFERENCES events (id, at)
);
CREATE VIEW recent_events AS SELECT id, at FROM events WHERE at >= '2026-01-01';
GRANT SELECT ON events TO PUBLIC;
COMMENT ON TABLE events IS 'every event';
INSERT INTO events VALUES (1, '2025-03-01', 'a'), (2, '2026-05-01', 'b'), (3, '2025-06-01', 'c');
