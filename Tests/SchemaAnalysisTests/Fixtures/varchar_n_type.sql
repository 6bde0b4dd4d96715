-- A length limit kept in the type.
CREATE TABLE accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username character varying(40) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
