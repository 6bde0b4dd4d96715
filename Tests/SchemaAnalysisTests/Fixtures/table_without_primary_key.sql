CREATE TABLE events_log (happened_at timestamptz NOT NULL, message text NOT NULL);
