CREATE TABLE visits (id int PRIMARY KEY, at timestamptz, page text);
CREATE INDEX visits_at ON visits (at);
CREATE INDEX visits_page ON visits (page);
ALTER TABLE visits CLUSTER ON visits_at;
CREATE TABLE logs (id int PRIMARY KEY, line text);
ALTER TABLE logs CLUSTER ON logs_pkey;
CREATE TABLE tags (id int, name text);
CREATE INDEX tags_name ON tags (name);
