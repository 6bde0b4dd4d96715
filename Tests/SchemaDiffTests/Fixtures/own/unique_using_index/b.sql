CREATE TABLE accounts (id integer NOT NULL, email text NOT NULL, note text);
CREATE UNIQUE INDEX accounts_id_idx ON accounts (id);
ALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_id_idx;
ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);
INSERT INTO accounts VALUES (1, 'a@example.com', NULL), (2, 'b@example.com', 'x');
