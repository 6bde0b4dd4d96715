CREATE TABLE posts (author integer, published timestamptz, score integer);
CREATE INDEX posts_recent ON posts (author, published);
CREATE INDEX posts_score ON posts (score DESC);
