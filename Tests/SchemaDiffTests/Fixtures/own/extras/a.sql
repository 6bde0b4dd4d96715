CREATE TABLE accounts (id bigint PRIMARY KEY, owner text, balance numeric);
INSERT INTO accounts VALUES (1, 'a', 10), (2, 'b', 20);
CREATE TABLE ledger (id bigint, account_id bigint, amount numeric);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER touch_ledger BEFORE INSERT ON ledger FOR EACH ROW EXECUTE FUNCTION touch();
COMMENT ON TABLE accounts IS 'old comment';
CREATE VIEW rich AS SELECT id, balance FROM accounts WHERE balance > 15;
GRANT SELECT ON accounts TO schemainspect_test_role;
