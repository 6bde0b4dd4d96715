-- An integer key fed by a bigint sequence now past 1.2 billion: 56% of the integer range, though the
-- sequence itself has room for billions more. A child's integer foreign key must widen with it.
CREATE SEQUENCE events_id_seq AS bigint;
CREATE TABLE events (
    id integer PRIMARY KEY DEFAULT nextval('events_id_seq'),
    happened_at timestamptz NOT NULL DEFAULT now()
);
ALTER SEQUENCE events_id_seq OWNED BY events.id;
SELECT setval('events_id_seq', 1200000000);

CREATE TABLE event_attachments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id integer NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    url text NOT NULL CHECK (length(url) <= 2000)
);
CREATE INDEX event_attachments_event_id_idx ON event_attachments (event_id);
