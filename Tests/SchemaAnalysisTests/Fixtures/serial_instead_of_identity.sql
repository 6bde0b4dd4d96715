-- A bigserial key (a default from an owned sequence) rather than an identity column.
CREATE TABLE tickets (
    id bigserial PRIMARY KEY,
    subject text NOT NULL,
    opened_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO tickets (subject) SELECT 'ticket ' || g FROM generate_series(1, 5) AS g;
