-- A full index on a boolean: two values, each matching a large share of the rows.
CREATE TABLE subscriptions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan text NOT NULL CHECK (plan IN ('free', 'team', 'enterprise')),
    is_active boolean NOT NULL DEFAULT true,
    started_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_is_active_idx ON subscriptions (is_active);
