CREATE SCHEMA ledger;
CREATE TABLE ledger.entries (id integer, book text, account text, memo text) PARTITION BY LIST (book);
CREATE TABLE ledger.entries_main PARTITION OF ledger.entries (CONSTRAINT entries_main_pk PRIMARY KEY (book, id))
    FOR VALUES IN ('main');
CREATE TABLE ledger.entries_side PARTITION OF ledger.entries (CONSTRAINT entries_side_pk PRIMARY KEY (book, id))
    FOR VALUES IN ('side');
CREATE TABLE ledger.entries_old PARTITION OF ledger.entries (CONSTRAINT entries_old_pk PRIMARY KEY (book, id))
    FOR VALUES IN ('old');
CREATE TABLE tallies (id integer, kind text, label text) PARTITION BY LIST (kind);
CREATE TABLE tallies_a PARTITION OF tallies (CONSTRAINT tallies_a_pk PRIMARY KEY (kind, id)) FOR VALUES IN ('a');
