-- Foreign keys that rest on unique indexes (not constraints) of the tables they reference.
CREATE SCHEMA billing;

CREATE TABLE accounts (
    id integer NOT NULL,
    region text NOT NULL,
    handle text,
    email text
);
CREATE UNIQUE INDEX accounts_region_id_idx ON accounts (region, id);
-- Rebuilt (a storage parameter): the foreign key resting on it is dropped before and added after.
CREATE UNIQUE INDEX accounts_handle_idx ON accounts (handle) WITH (fillfactor = 80);
-- New on an existing table, built concurrently: the new foreign key to it follows it out of the transaction.
CREATE UNIQUE INDEX accounts_email_idx ON accounts (email);

CREATE TABLE billing.invoices (
    number integer NOT NULL,
    account integer,
    region text,
    handle text,
    email text,
    currency text
);
ALTER TABLE billing.invoices ADD CONSTRAINT invoices_account_fk
    FOREIGN KEY (region, account) REFERENCES accounts (region, id);
ALTER TABLE billing.invoices ADD CONSTRAINT invoices_handle_fk FOREIGN KEY (handle) REFERENCES accounts (handle);
ALTER TABLE billing.invoices ADD CONSTRAINT invoices_email_fk FOREIGN KEY (email) REFERENCES accounts (email);

-- A new table with a unique index, referenced by an existing one.
CREATE TABLE billing.currencies (
    code text NOT NULL
);
CREATE UNIQUE INDEX currencies_code_idx ON billing.currencies (code);
ALTER TABLE billing.invoices ADD CONSTRAINT invoices_currency_fk
    FOREIGN KEY (currency) REFERENCES billing.currencies (code);

CREATE TABLE ledger (
    entry integer NOT NULL,
    book text NOT NULL
) PARTITION BY LIST (book);
CREATE TABLE ledger_main PARTITION OF ledger FOR VALUES IN ('main');
CREATE UNIQUE INDEX ledger_book_entry_idx ON ledger (book, entry);
CREATE TABLE postings (
    book text,
    entry integer
);
ALTER TABLE postings ADD CONSTRAINT postings_entry_fk FOREIGN KEY (book, entry) REFERENCES ledger (book, entry);

CREATE TABLE journal (
    line integer NOT NULL,
    shard integer NOT NULL
) PARTITION BY LIST (shard);
CREATE TABLE journal_0 PARTITION OF journal FOR VALUES IN (0);
CREATE TABLE journal_1 PARTITION OF journal FOR VALUES IN (1);
CREATE UNIQUE INDEX journal_shard_line_idx ON journal (shard, line);
CREATE TABLE audits (
    shard integer,
    line integer
);
ALTER TABLE audits ADD CONSTRAINT audits_line_fk FOREIGN KEY (shard, line) REFERENCES journal (shard, line);

CREATE TABLE drafts (
    code text NOT NULL
);
CREATE TABLE sheets (
    code text NOT NULL,
    kind integer NOT NULL
) PARTITION BY LIST (kind);
CREATE TABLE sheets_1 PARTITION OF sheets FOR VALUES IN (1);
CREATE UNIQUE INDEX shared_code_idx ON sheets (code, kind);
CREATE TABLE sheet_refs (
    code text,
    kind integer
);
ALTER TABLE sheet_refs ADD CONSTRAINT sheet_refs_code_fk FOREIGN KEY (code, kind) REFERENCES sheets (code, kind);
