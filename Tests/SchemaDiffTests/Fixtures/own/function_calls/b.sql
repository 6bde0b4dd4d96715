CREATE TABLE prices (id int, amount numeric);
-- Callees named after their callers: created in name order they would not exist yet.
CREATE FUNCTION z_rate() RETURNS numeric LANGUAGE sql IMMUTABLE BEGIN ATOMIC SELECT 0.25; END;
CREATE FUNCTION tax(x numeric) RETURNS numeric LANGUAGE sql IMMUTABLE BEGIN ATOMIC SELECT x * z_rate(); END;
CREATE FUNCTION gross(x numeric) RETURNS numeric LANGUAGE sql IMMUTABLE BEGIN ATOMIC SELECT x + tax(x); END;
ALTER TABLE prices ADD CONSTRAINT prices_gross CHECK (gross(amount) >= 0);
CREATE FUNCTION y_total() RETURNS numeric LANGUAGE sql STABLE BEGIN ATOMIC SELECT sum(gross(amount)) FROM prices; END;
CREATE FUNCTION a_report() RETURNS numeric LANGUAGE sql STABLE BEGIN ATOMIC SELECT y_total(); END;
CREATE FUNCTION b_label() RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN c_format(a_report()); END $$;
CREATE FUNCTION c_format(x numeric) RETURNS text LANGUAGE sql AS $$ SELECT to_char(x, '999D99') $$;
