CREATE SCHEMA util;
CREATE TABLE accounts (id int, email text);
CREATE FUNCTION fold_email(x text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(trim(x)) $$;
CREATE FUNCTION util.shout(x text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN upper(x); END $$;
CREATE PROCEDURE util.touch() LANGUAGE sql AS $$ SELECT 1 $$;
REVOKE EXECUTE ON FUNCTION fold_email(text) FROM PUBLIC;
COMMENT ON FUNCTION fold_email(text) IS 'folds case';
CREATE INDEX accounts_email ON accounts (fold_email(email));
CREATE VIEW emails AS SELECT fold_email(email) AS email FROM accounts;
