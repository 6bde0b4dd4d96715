-- Foreign keys that rest on unique indexes (not constraints) of the tables they reference.
CREATE SCHEMA billing;

CREATE TABLE accounts (
    id integer NOT NULL,
    region text NOT NULL,
    handle text,
    email text
);
CREATE UNIQUE INDEX accounts_region_id_idx ON accounts (region, id);
CREATE UNIQUE INDEX accounts_handle_idx ON accounts (handle);

CREATE TABLE billing.invoices (
    number integer NOT NULL,
    account integer,
    region text,
    handle text,
    email text,
    currency text
);
CREATE UNIQUE INDEX invoices_number_idx ON billing.invoices (number);
ALTER TABLE billing.invoices ADD CONSTRAINT invoices_account_fk
    FOREIGN KEY (region, account) REFERENCES accounts (region, id);
ALTER TABLE billing.invoices ADD CONSTRAINT invoices_handle_fk FOREIGN KEY (handle) REFERENCES accounts (handle);

-- A partitioned table referenced through its unique index; one of its partitions goes in b.
CREATE TABLE ledger (
    entry integer NOT NULL,
    book text NOT NULL
) PARTITION BY LIST (book);
CREATE TABLE ledger_main PARTITION OF ledger FOR VALUES IN ('main');
CREATE TABLE ledger_side PARTITION OF ledger FOR VALUES IN ('side');
CREATE UNIQUE INDEX ledger_book_entry_idx ON ledger (book, entry);
CREATE TABLE postings (
    book text,
    entry integer
);
ALTER TABLE postings ADD CONSTRAINT postings_entry_fk FOREIGN KEY (book, entry) REFERENCES ledger (book, entry);

-- A partitioned table that gets a unique index (and a foreign key to it) in b.
CREATE TABLE journal (
    line integer NOT NULL,
    shard integer NOT NULL
) PARTITION BY LIST (shard);
CREATE TABLE journal_0 PARTITION OF journal FOR VALUES IN (0);
CREATE TABLE journal_1 PARTITION OF journal FOR VALUES IN (1);
CREATE TABLE audits (
    shard integer,
    line integer
);

-- An index that moves to another table under the same name.
CREATE TABLE drafts (
    code text NOT NULL
);
CREATE UNIQUE INDEX shared_code_idx ON drafts (code);
CREATE TABLE sheets (
    code text NOT NULL,
    kind integer NOT NULL
) PARTITION BY LIST (kind);
CREATE TABLE sheets_1 PARTITION OF sheets FOR VALUES IN (1);
CREATE TABLE sheet_refs (
    code text,
    kind integer
);
ALTER TABLE sheet_refs ADD CONSTRAINT sheet_refs_code_fk FOREIGN KEY (code) REFERENCES drafts (code);
