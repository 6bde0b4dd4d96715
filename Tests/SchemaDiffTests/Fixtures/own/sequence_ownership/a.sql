CREATE TABLE items (id bigint NOT NULL, code int);
CREATE TABLE other (n int);
CREATE SEQUENCE items_id_seq OWNED BY items.id;
ALTER TABLE items ALTER COLUMN id SET DEFAULT nextval('items_id_seq');
CREATE SEQUENCE free_seq;
CREATE SEQUENCE code_seq OWNED BY items.code;
