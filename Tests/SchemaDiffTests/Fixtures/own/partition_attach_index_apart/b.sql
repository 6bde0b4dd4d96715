CREATE SCHEMA books;
CREATE SCHEMA archive;
CREATE TABLE books.loans (id integer, member integer, branch text, due date) PARTITION BY LIST (branch);
CREATE TABLE archive.loans_east (id integer, member integer, branch text, due date);
ALTER TABLE books.loans ATTACH PARTITION archive.loans_east FOR VALUES IN ('east');
CREATE INDEX loans_member_due_idx ON books.loans (member, due);
CREATE INDEX loans_east_member_due ON archive.loans_east (member, due);
