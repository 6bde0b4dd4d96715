/// Rules of the kind squawk checks, over the statements of a migration file.
///
/// Errors block the migration unless the caller overrides them; warnings are reported. Rule ids
/// follow squawk's names where one exists, so the two can be compared.
public enum MigrationLinter {
    public struct Issue: Codable, Sendable, Equatable {
        public enum Level: String, Codable, Sendable { case error, warning }
        public var rule: String
        public var level: Level
        public var file: String
        /// 1-based statement number in the file.
        public var statement: Int
        public var message: String
    }

    struct Rule: Sendable {
        let id: String
        let level: Issue.Level
        let message: String
        /// Matches a normalised (upper-case, literal-free) statement, given the tables the file creates.
        let matches: @Sendable (String, Set<String>) -> Bool
    }

    static func match(_ statement: String, _ pattern: String) -> Bool {
        statement.range(of: pattern, options: .regularExpression) != nil
    }

    /// The table an ALTER/CREATE INDEX statement acts on, upper-cased and unquoted.
    static func target(_ statement: String) -> String? {
        let patterns = [
            #"^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?([A-Z0-9_."]+)"#,
            #"^CREATE (?:UNIQUE )?INDEX (?:CONCURRENTLY )?(?:IF NOT EXISTS )?(?:[A-Z0-9_."]+ )?ON (?:ONLY )?([A-Z0-9_."]+)"#,
        ]
        for pattern in patterns {
            if let range = statement.range(of: pattern, options: .regularExpression) {
                let words = statement[range].split(separator: " ")
                return words.last.map { $0.replacingOccurrences(of: "\"", with: "") }
            }
        }
        return nil
    }

    static func onExistingTable(_ statement: String, _ created: Set<String>) -> Bool {
        guard let table = target(statement) else { return true }
        return !created.contains(table) && !created.contains(String(table.split(separator: ".").last ?? ""))
    }

    static let rules: [Rule] = [
        Rule(
            id: "adding-required-field", level: .error,
            message:
                "ADD COLUMN ... NOT NULL without a DEFAULT fails on a table with rows; add it nullable, backfill, then validate a CHECK"
        ) { statement, created in
            match(statement, #"^ALTER TABLE .* ADD (COLUMN )?.*\bNOT NULL\b"#) && !match(statement, #"\bDEFAULT\b"#)
                && !match(statement, #"\bGENERATED\b"#) && onExistingTable(statement, created)
        },
        Rule(
            id: "require-concurrent-index-creation", level: .error,
            message: "CREATE INDEX without CONCURRENTLY blocks writes to an existing table for the whole build"
        ) { statement, created in
            match(statement, #"^CREATE (UNIQUE )?INDEX "#)
                && !match(statement, #"^CREATE (UNIQUE )?INDEX CONCURRENTLY"#)
                && onExistingTable(statement, created)
        },
        Rule(
            id: "require-concurrent-index-deletion", level: .warning,
            message: "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table"
        ) { statement, _ in
            match(statement, #"^DROP INDEX "#) && !match(statement, #"^DROP INDEX CONCURRENTLY"#)
        },
        Rule(
            id: "adding-foreign-key-constraint", level: .error,
            message:
                "a foreign key added without NOT VALID scans the table under a SHARE ROW EXCLUSIVE lock; add it NOT VALID, then VALIDATE"
        ) { statement, created in
            match(statement, #"^ALTER TABLE .*\b(FOREIGN KEY|REFERENCES)\b"#) && !match(statement, #"\bNOT VALID\b"#)
                && onExistingTable(statement, created)
        },
        Rule(
            id: "constraint-missing-not-valid", level: .error,
            message: "a CHECK constraint added without NOT VALID scans the table under an ACCESS EXCLUSIVE lock"
        ) { statement, created in
            match(statement, #"^ALTER TABLE .* ADD (CONSTRAINT [A-Z0-9_"]+ )?CHECK\b"#)
                && !match(statement, #"\bNOT VALID\b"#)
                && onExistingTable(statement, created)
        },
        Rule(
            id: "changing-column-type", level: .error,
            message: "ALTER COLUMN ... TYPE rewrites the table (and its indexes) under an ACCESS EXCLUSIVE lock"
        ) { statement, created in
            match(statement, #"^ALTER TABLE .* ALTER (COLUMN )?[A-Z0-9_"]+ (SET DATA )?TYPE\b"#)
                && onExistingTable(statement, created)
        },
        Rule(
            id: "renaming-column", level: .warning,
            message: "renaming a column breaks every client that still uses the old name"
        ) { statement, _ in
            match(statement, #"^ALTER TABLE .* RENAME (COLUMN )?[A-Z0-9_"]+ TO "#)
                && !match(statement, #" RENAME CONSTRAINT "#)
        },
        Rule(
            id: "renaming-table", level: .warning,
            message: "renaming a table breaks every client that still uses the old name"
        ) { statement, _ in match(statement, #"^ALTER TABLE [A-Z0-9_."]+ RENAME TO "#) },
        Rule(
            id: "ban-drop-column", level: .error,
            message: "dropping a column loses its data and breaks clients that read it"
        ) { statement, _ in
            match(statement, #"^ALTER TABLE .* DROP (COLUMN )?(IF EXISTS )?[A-Z0-9_"]+"#)
                && !match(statement, #" DROP (CONSTRAINT|DEFAULT|NOT NULL|IDENTITY|EXPRESSION)"#)
        },
        Rule(
            id: "ban-drop-table", level: .error,
            message: "dropping a table loses its data"
        ) { statement, _ in match(statement, #"^DROP TABLE "#) },
        Rule(
            id: "ban-drop-database", level: .error,
            message: "dropping a database from a migration is never intended"
        ) { statement, _ in match(statement, #"^DROP DATABASE "#) },
        Rule(
            id: "disallowed-unique-constraint", level: .error,
            message:
                "ADD UNIQUE/PRIMARY KEY builds an index under an ACCESS EXCLUSIVE lock; build it CONCURRENTLY first, then ADD ... USING INDEX"
        ) { statement, created in
            match(statement, #"^ALTER TABLE .* ADD (CONSTRAINT [A-Z0-9_"]+ )?(UNIQUE|PRIMARY KEY)\b"#)
                && !match(statement, #"\bUSING INDEX\b"#) && onExistingTable(statement, created)
        },
        Rule(
            id: "adding-not-nullable-field", level: .error,
            message:
                "SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock; add a CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL"
        ) { statement, created in
            match(statement, #"^ALTER TABLE .* ALTER (COLUMN )?[A-Z0-9_"]+ SET NOT NULL"#)
                && onExistingTable(statement, created)
        },
        Rule(
            id: "ban-char-field", level: .warning,
            message: "char(n) pads with spaces; use text (with a CHECK on length if it matters)"
        ) { statement, _ in
            match(statement, #"\b(CHAR|CHARACTER)\s*\(\s*[0-9]+\s*\)"#) && !match(statement, #"\bVARYING\b"#)
        },
        Rule(
            id: "prefer-bigint-over-int", level: .warning,
            message: "integer keys overflow at 2^31; use bigint"
        ) { statement, _ in
            match(statement, #"\b(INT|INTEGER|INT4|SERIAL|SERIAL4|SMALLINT|INT2|SMALLSERIAL)\b[^,]*\bPRIMARY KEY\b"#)
                || match(statement, #"\b(SERIAL|SERIAL4|SMALLSERIAL)\b"#)
        },
        Rule(
            id: "prefer-identity", level: .warning,
            message: "serial hides a sequence with its own permissions; use GENERATED ... AS IDENTITY"
        ) { statement, _ in match(statement, #"\b(SMALLSERIAL|SERIAL|SERIAL2|SERIAL4|SERIAL8|BIGSERIAL)\b"#) },
        Rule(
            id: "prefer-text-field", level: .warning,
            message: "varchar(n) makes every length change a migration; use text with a CHECK"
        ) { statement, _ in match(statement, #"\b(VARCHAR|CHARACTER VARYING)\s*\(\s*[0-9]+\s*\)"#) },
        Rule(
            id: "prefer-timestamp-tz", level: .warning,
            message: "timestamp without time zone is ambiguous; use timestamptz"
        ) { statement, _ in
            match(statement, #"\bTIMESTAMP\b(?!\s*WITH TIME ZONE)(?!TZ)"#) && !match(statement, #"\bTIMESTAMPTZ\b"#)
                || match(statement, #"\bTIMESTAMP WITHOUT TIME ZONE\b"#)
        },
        Rule(
            id: "transaction-nesting", level: .error,
            message: "the runner wraps each file in a transaction; BEGIN/COMMIT inside the file breaks that"
        ) { statement, _ in match(statement, #"^(BEGIN|COMMIT|ROLLBACK|START TRANSACTION|END)\b"#) },
    ]

    /// Why a statement loses data when it runs (a dropped table, schema, database or column, a TRUNCATE or
    /// DELETE), or nil. `normalized` is `SQLScript.Statement.normalized`.
    public static func destructive(_ normalized: String) -> String? {
        let kinds: [(pattern: String, reason: String)] = [
            (#"^DROP (TABLE|SCHEMA|DATABASE|MATERIALIZED VIEW) "#, "drops stored data"),
            (#"^ALTER TABLE .* DROP (COLUMN )?(IF EXISTS )?[A-Z0-9_"]+"#, "drops a column and its data"),
            (#"^TRUNCATE "#, "empties tables"),
            (#"^DELETE FROM "#, "deletes rows"),
        ]
        for kind in kinds where match(normalized, kind.pattern) {
            // DROP CONSTRAINT/DEFAULT/NOT NULL change no stored value.
            if match(normalized, #" DROP (CONSTRAINT|DEFAULT|NOT NULL|IDENTITY|EXPRESSION)"#),
                normalized.hasPrefix("ALTER TABLE")
            {
                continue
            }
            return kind.reason
        }
        return nil
    }

    /// Lints one file; `missing-lock-timeout` is a file-level rule.
    public static func lint(file: String, script: SQLScript) -> [Issue] {
        var created = Set<String>()
        var issues: [Issue] = []
        for (number, statement) in script.statements.enumerated() {
            let normalized = statement.normalized
            if let range = normalized.range(
                of: #"^CREATE (UNLOGGED )?TABLE (IF NOT EXISTS )?[A-Z0-9_."]+"#, options: .regularExpression)
            {
                let name =
                    normalized[range].split(separator: " ").last.map { $0.replacingOccurrences(of: "\"", with: "") }
                    ?? ""
                created.insert(name)
                created.insert(String(name.split(separator: ".").last ?? ""))
            }
            for rule in rules where rule.matches(normalized, created) {
                issues.append(
                    .init(rule: rule.id, level: rule.level, file: file, statement: number + 1, message: rule.message))
            }
        }
        let touchesExisting = script.statements.contains { statement in
            let text = statement.normalized
            return
                (text.hasPrefix("ALTER TABLE") || text.hasPrefix("CREATE INDEX")
                || text.hasPrefix("CREATE UNIQUE INDEX")
                || text.hasPrefix("DROP")) && onExistingTable(text, created)
        }
        if touchesExisting, !script.statements.contains(where: { $0.normalized.contains("LOCK_TIMEOUT") }) {
            issues.append(
                .init(
                    rule: "require-lock-timeout", level: .warning, file: file, statement: 1,
                    message:
                        "no SET lock_timeout: a blocked ALTER queues every query behind it; the runner sets 5s when the file does not"
                ))
        }
        return issues
    }
}
