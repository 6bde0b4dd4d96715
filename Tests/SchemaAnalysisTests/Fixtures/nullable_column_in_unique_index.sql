-- external_ref is unique but nullable: any number of accounts may have no external_ref.
CREATE TABLE accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    external_ref text CHECK (length(external_ref) <= 64),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_external_ref_key ON accounts (external_ref);
