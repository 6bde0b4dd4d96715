CREATE TABLE items (id bigint NOT NULL, code int);
CREATE TABLE other (n int);
CREATE SEQUENCE items_id_seq;
ALTER TABLE items ALTER COLUMN id SET DEFAULT nextval('items_id_seq');
CREATE SEQUENCE free_seq OWNED BY other.n;
CREATE SEQUENCE code_seq OWNED BY items.id;
CREATE TABLE fresh (id int);
CREATE SEQUENCE fresh_seq OWNED BY fresh.id;
