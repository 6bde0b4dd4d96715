-- An integer sequence 88% through its range: invoice numbers run out at 2,147,483,647.
CREATE SEQUENCE invoice_number_seq AS integer;
CREATE TABLE invoices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number bigint NOT NULL DEFAULT nextval('invoice_number_seq'),
    issued_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX invoices_number_key ON invoices (number);
ALTER SEQUENCE invoice_number_seq OWNED BY invoices.number;
SELECT setval('invoice_number_seq', 1900000000);
