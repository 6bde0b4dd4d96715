CREATE TABLE codes (
    id serial PRIMARY KEY,
    code char(4) NOT NULL,
    label varchar(40),
    created_at timestamp NOT NULL DEFAULT now()
);
