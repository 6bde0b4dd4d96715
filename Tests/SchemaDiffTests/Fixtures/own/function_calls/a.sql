CREATE TABLE prices (id int, amount numeric);
CREATE FUNCTION tax(x numeric) RETURNS numeric LANGUAGE sql IMMUTABLE BEGIN ATOMIC SELECT x * 0.2; END;
CREATE FUNCTION gross(x numeric) RETURNS numeric LANGUAGE sql IMMUTABLE BEGIN ATOMIC SELECT x + tax(x); END;
ALTER TABLE prices ADD CONSTRAINT prices_gross CHECK (gross(amount) >= 0);
