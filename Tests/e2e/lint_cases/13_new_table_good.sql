CREATE TABLE events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    happened_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_name_idx ON events (name);
