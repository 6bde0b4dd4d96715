CREATE TABLE documents (id integer PRIMARY KEY, title text, slug text, owner integer, archived boolean, body text);
CREATE INDEX documents_title ON documents (title text_pattern_ops);
CREATE INDEX documents_slug ON documents (slug COLLATE "POSIX" DESC);
CREATE INDEX documents_owner ON documents (owner) WHERE archived IS NOT TRUE AND owner > 0;
CREATE INDEX documents_owner_cover ON documents (owner) INCLUDE (title, slug);
CREATE UNIQUE INDEX documents_slug_live ON documents (slug text_pattern_ops) INCLUDE (id) WHERE NOT archived;
CREATE INDEX documents_body ON documents (lower(body) varchar_pattern_ops) WHERE body IS NOT NULL;
INSERT INTO documents VALUES (1, 'One', 'one', 7, false, 'x'), (2, 'Two', 'two', 7, true, 'y');
