-- A table attached as a partition while its own index, which matches the parent's, stays apart: the
-- target attaches the parent index's clone instead. Back, the partition is detached and the clone goes.
CREATE SCHEMA books;
CREATE SCHEMA archive;
CREATE TABLE books.loans (id integer, member integer, branch text, due date) PARTITION BY LIST (branch);
CREATE TABLE archive.loans_east (id integer, member integer, branch text, due date);
CREATE INDEX loans_member_due_idx ON books.loans (member, due);
CREATE INDEX loans_east_member_due ON archive.loans_east (member, due);
INSERT INTO archive.loans_east VALUES (1, 7, 'east', '2026-03-01');
