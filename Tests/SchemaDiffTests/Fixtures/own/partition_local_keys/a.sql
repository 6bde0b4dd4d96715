-- Keys on single partitions (not on the parent): they make the partition's columns NOT NULL, and
-- dropping them leaves those columns NOT NULL until dropped by hand.
CREATE SCHEMA ledger;
CREATE TABLE ledger.entries (id integer, book text, account text, memo text) PARTITION BY LIST (book);
CREATE TABLE ledger.entries_main PARTITION OF ledger.entries (CONSTRAINT entries_main_pk PRIMARY KEY (book, id))
    FOR VALUES IN ('main');
CREATE TABLE ledger.entries_side PARTITION OF ledger.entries FOR VALUES IN ('side');
CREATE TABLE ledger.entries_old PARTITION OF ledger.entries (CONSTRAINT entries_old_pk PRIMARY KEY (book, account))
    FOR VALUES IN ('old');
CREATE TABLE tallies (id integer, kind text NOT NULL, label text NOT NULL) PARTITION BY LIST (kind);
CREATE TABLE tallies_a PARTITION OF tallies FOR VALUES IN ('a');
CREATE UNIQUE INDEX tallies_a_pk ON tallies_a (kind, id);
INSERT INTO ledger.entries VALUES (1, 'main', 'cash', NULL), (2, 'side', NULL, NULL), (3, 'old', 'bank', NULL);
INSERT INTO tallies VALUES (1, 'a', 'x');
