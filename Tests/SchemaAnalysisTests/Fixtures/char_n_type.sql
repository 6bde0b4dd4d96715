-- A country code stored as character(n).
CREATE TABLE addresses (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    country_code character(2) NOT NULL,
    street text NOT NULL
);
