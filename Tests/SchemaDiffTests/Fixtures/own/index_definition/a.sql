CREATE TABLE documents (id integer PRIMARY KEY, title text, slug text, owner integer, archived boolean, body text);
CREATE INDEX documents_title ON documents (title);
CREATE INDEX documents_slug ON documents (slug COLLATE "C");
CREATE INDEX documents_owner ON documents (owner) WHERE NOT archived;
CREATE INDEX documents_owner_cover ON documents (owner) INCLUDE (title);
CREATE UNIQUE INDEX documents_slug_live ON documents (slug) WHERE archived IS NOT TRUE;
INSERT INTO documents VALUES (1, 'One', 'one', 7, false, 'x'), (2, 'Two', 'two', 7, true, 'y');
