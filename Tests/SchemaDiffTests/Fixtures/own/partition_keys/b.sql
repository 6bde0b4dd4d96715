CREATE TABLE accounts (id integer PRIMARY KEY);
CREATE TABLE events (
    id bigint NOT NULL, at date NOT NULL, account integer, PRIMARY KEY (id, at),
    CONSTRAINT events_account_fkey FOREIGN KEY (account) REFERENCES accounts (id)
) PARTITION BY RANGE (at);
CREATE INDEX events_account_idx ON events (account);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE events_2025 ADD CONSTRAINT events_2025_account_key UNIQUE (account, id);
CREATE TABLE events_old (id bigint NOT NULL, at date NOT NULL, account integer);
CREATE TABLE events_2019 (id bigint NOT NULL, at date NOT NULL, account integer, CONSTRAINT events_2019_pkey PRIMARY KEY (id, at));
CREATE INDEX events_2019_account_idx ON events_2019 (account);
CREATE TABLE events_2026 (id bigint NOT NULL, at date NOT NULL, account integer);
ALTER TABLE events ATTACH PARTITION events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE event_notes (
    event bigint, at date, body text,
    CONSTRAINT event_notes_event_fkey FOREIGN KEY (event, at) REFERENCES events (id, at)
);
CREATE TABLE event_links (event bigint, at date, CONSTRAINT event_links_event_fkey FOREIGN KEY (event, at) REFERENCES events (id, at) ON DELETE CASCADE);
INSERT INTO accounts VALUES (1), (2);
INSERT INTO events VALUES (1, '2025-02-01', 1), (3, '2026-02-01', 1);
INSERT INTO events_old VALUES (2, '2021-05-01', 2);
INSERT INTO event_notes VALUES (1, '2025-02-01', 'x');
INSERT INTO event_links VALUES (1, '2025-02-01');
