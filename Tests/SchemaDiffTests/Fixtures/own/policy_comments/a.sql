-- Comments on row-level security policies: one changes, one appears, one goes, and a policy whose rule
-- changes keeps its comment (it is dropped and created again, so the comment is set again).
CREATE TABLE accounts (id bigint PRIMARY KEY, owner text NOT NULL, region text);
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY owners_read ON accounts FOR SELECT USING (owner = current_user);
CREATE POLICY owners_write ON accounts FOR UPDATE USING (owner = current_user);
CREATE POLICY by_region ON accounts FOR SELECT USING (region = 'eu');
CREATE POLICY audit ON accounts FOR DELETE USING (false);
COMMENT ON POLICY owners_read ON accounts IS 'owners read their rows';
COMMENT ON POLICY by_region ON accounts IS 'regional readers';
COMMENT ON POLICY audit ON accounts IS 'nobody deletes';
