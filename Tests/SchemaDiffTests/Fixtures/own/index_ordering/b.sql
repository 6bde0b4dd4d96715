CREATE TABLE posts (author integer, published timestamptz, score integer);
CREATE INDEX posts_recent ON posts (author, published DESC NULLS LAST);
CREATE INDEX posts_score ON posts (score NULLS FIRST);
CREATE INDEX posts_new ON posts (published DESC, author ASC NULLS FIRST);
