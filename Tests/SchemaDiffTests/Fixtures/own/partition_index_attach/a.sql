-- A partitioned index made ON ONLY the parent with one partition's index left apart (the parent index
-- is invalid until it is attached); the target attaches it, and going back it is apart again.
CREATE TABLE visits (id bigint, site text NOT NULL, seen date) PARTITION BY LIST (site);
CREATE TABLE visits_home PARTITION OF visits FOR VALUES IN ('home');
CREATE TABLE visits_shop PARTITION OF visits FOR VALUES IN ('shop');
CREATE TABLE "Visits_Blog" PARTITION OF visits FOR VALUES IN ('blog');
CREATE INDEX visits_seen_idx ON ONLY visits (seen);
CREATE INDEX visits_home_seen ON visits_home (seen);
ALTER INDEX visits_seen_idx ATTACH PARTITION visits_home_seen;
CREATE INDEX visits_shop_seen ON visits_shop (seen);
ALTER INDEX visits_seen_idx ATTACH PARTITION visits_shop_seen;
CREATE INDEX "Visits_Blog_Seen" ON "Visits_Blog" (seen);
INSERT INTO visits VALUES (1, 'home', '2026-01-01'), (2, 'blog', '2026-01-02');
