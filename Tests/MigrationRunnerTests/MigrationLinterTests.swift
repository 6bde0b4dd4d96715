import MigrationRunner
import Testing

@Suite struct MigrationLinterTests {
    static func rules(_ sql: String) -> [String] {
        MigrationLinter.lint(file: "m.sql", script: SQLScript(sql)).map(\.rule).filter {
            $0 != "require-lock-timeout"
        }
    }

    @Test(arguments: [
        ("ALTER TABLE users ADD COLUMN age integer NOT NULL;", ["adding-required-field"]),
        ("ALTER TABLE users ADD COLUMN age integer NOT NULL DEFAULT 0;", []),
        ("CREATE INDEX users_email ON users (email);", ["require-concurrent-index-creation"]),
        ("CREATE INDEX CONCURRENTLY users_email ON users (email);", []),
        ("CREATE TABLE t (id bigint PRIMARY KEY); CREATE INDEX t_x ON t (id);", []),
        ("DROP INDEX users_email;", ["require-concurrent-index-deletion"]),
        (
            "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);",
            ["adding-foreign-key-constraint"]
        ),
        ("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;", []),
        ("ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0);", ["constraint-missing-not-valid"]),
        ("ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);", ["changing-column-type"]),
        ("ALTER TABLE orders RENAME COLUMN total TO amount;", ["renaming-column"]),
        ("ALTER TABLE orders RENAME TO purchases;", ["renaming-table"]),
        ("ALTER TABLE orders DROP COLUMN note;", ["ban-drop-column"]),
        ("ALTER TABLE orders DROP CONSTRAINT positive;", []),
        ("DROP TABLE orders;", ["ban-drop-table"]),
        ("ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);", ["disallowed-unique-constraint"]),
        ("ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email;", []),
        ("ALTER TABLE users ALTER COLUMN email SET NOT NULL;", ["adding-not-nullable-field"]),
        ("CREATE TABLE codes (id bigint PRIMARY KEY, code char(4));", ["ban-char-field"]),
        ("CREATE TABLE things (id serial PRIMARY KEY);", ["prefer-bigint-over-int", "prefer-identity"]),
        ("CREATE TABLE things (id integer PRIMARY KEY);", ["prefer-bigint-over-int"]),
        ("CREATE TABLE things (id bigint PRIMARY KEY, name varchar(40));", ["prefer-text-field"]),
        ("CREATE TABLE things (id bigint PRIMARY KEY, at timestamp);", ["prefer-timestamp-tz"]),
        ("CREATE TABLE things (id bigint PRIMARY KEY, at timestamptz DEFAULT current_timestamp);", []),
        ("BEGIN; CREATE TABLE x (id bigint PRIMARY KEY); COMMIT;", ["transaction-nesting", "transaction-nesting"]),
        ("-- DROP TABLE users;\nSELECT 'DROP TABLE users;';", []),
        ("CREATE FUNCTION f() RETURNS void AS $$ DROP TABLE users; $$ LANGUAGE sql;", []),
    ])
    func flagsWhatSquawkWouldFlag(sql: String, expected: [String]) {
        #expect(Self.rules(sql) == expected)
    }

    /// What apply_migration asks the person to confirm before a run for real.
    @Test(
        arguments: [
            ("DROP TABLE orders;", "drops stored data"),
            ("drop schema billing cascade;", "drops stored data"),
            ("DROP MATERIALIZED VIEW totals;", "drops stored data"),
            ("ALTER TABLE orders DROP COLUMN note;", "drops a column and its data"),
            ("ALTER TABLE orders DROP IF EXISTS note;", "drops a column and its data"),
            ("TRUNCATE orders;", "empties tables"),
            ("DELETE FROM orders WHERE id < 10;", "deletes rows"),
            ("ALTER TABLE orders DROP CONSTRAINT positive;", nil),
            ("ALTER TABLE orders ALTER COLUMN total DROP DEFAULT;", nil),
            ("ALTER TABLE orders ALTER COLUMN total DROP NOT NULL;", nil),
            ("DROP INDEX CONCURRENTLY orders_total;", nil),
            ("DROP VIEW order_view;", nil),
            ("ALTER TABLE orders ADD COLUMN note text;", nil),
            ("SELECT 'DROP TABLE orders';", nil),
        ] as [(String, String?)])
    func destructiveStatementsAreNamed(sql: String, reason: String?) {
        #expect(SQLScript(sql).statements.map { MigrationLinter.destructive($0.normalized) } == [reason])
    }

    @Test func filesThatTouchExistingTablesWithoutALockTimeoutGetAWarning() {
        let issues = MigrationLinter.lint(file: "m.sql", script: SQLScript("ALTER TABLE users ADD COLUMN note text;"))
        #expect(issues.map(\.rule) == ["require-lock-timeout"])
        let quiet = MigrationLinter.lint(
            file: "m.sql", script: SQLScript("SET lock_timeout = '2s'; ALTER TABLE users ADD COLUMN note text;"))
        #expect(quiet.isEmpty)
    }

    @Test func splitsStatementsAsPsqlDoes() {
        let script = SQLScript(
            """
            -- a comment; with a semicolon
            CREATE TABLE a (x text DEFAULT 'a;b');
            /* block; comment */ INSERT INTO a VALUES ('it''s; fine');
            CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
            SELECT $1::int
            """)
        #expect(script.statements.count == 4)
        #expect(script.statements[2].text.hasPrefix("CREATE FUNCTION"))
        #expect(script.statements[3].text == "SELECT $1::int")
    }
}
