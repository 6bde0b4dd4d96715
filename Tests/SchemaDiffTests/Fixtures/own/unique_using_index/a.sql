CREATE TABLE accounts (id integer NOT NULL, email text NOT NULL, note text);
CREATE UNIQUE INDEX accounts_id_idx ON accounts (id);
CREATE UNIQUE INDEX accounts_email_key ON accounts (email);
INSERT INTO accounts VALUES (1, 'a@example.com', NULL), (2, 'b@example.com', 'x');
