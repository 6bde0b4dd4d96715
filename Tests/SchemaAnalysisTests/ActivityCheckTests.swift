import BackendCore
import Foundation
import PostgresTestSupport
import SchemaAnalysis
import Testing

/// Checks built on activity statistics (never_vacuumed, never_analyzed, table_bloat_estimate) wait for
/// autovacuum: a table it will take on its next visit is not a finding; one it cannot take is.
@Suite(.serialized) struct ActivityCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let table: String
        let why: String
        /// The activity checks that must report the table; empty: none may.
        let expected: Set<String>
        var testDescription: String { "\(table): \(why)" }
    }

    static let script = """
        CREATE TABLE fresh_load (id bigint PRIMARY KEY, note text NOT NULL);
        INSERT INTO fresh_load SELECT g, 'n' || g FROM generate_series(1, 50000) g;
        CREATE TABLE fresh_churn (id bigint PRIMARY KEY, note text NOT NULL);
        INSERT INTO fresh_churn SELECT g, 'n' || g FROM generate_series(1, 40000) g;
        DELETE FROM fresh_churn WHERE id <= 30000;
        CREATE TABLE held_back (id bigint PRIMARY KEY, note text NOT NULL) WITH (autovacuum_enabled = false);
        INSERT INTO held_back SELECT g, 'n' || g FROM generate_series(1, 40000) g;
        DELETE FROM held_back WHERE id <= 30000;
        CREATE TABLE held_back_small (id bigint PRIMARY KEY, note text NOT NULL) WITH (autovacuum_enabled = false);
        INSERT INTO held_back_small SELECT g, 'n' || g FROM generate_series(1, 1200) g;
        ANALYZE held_back_small;
        """

    static let cases = [
        Case(table: "fresh_load", why: "50,000 rows loaded just now, autovacuum on", expected: []),
        Case(table: "fresh_churn", why: "30,000 dead rows just now, autovacuum on", expected: []),
        Case(
            table: "held_back", why: "30,000 dead rows, autovacuum off for the table",
            expected: ["never_vacuumed", "never_analyzed", "table_bloat_estimate"]),
        Case(
            table: "held_back_small",
            why: "1,200 inserts, below autovacuum's insert trigger (1000 + 20% of 1200), analysed", expected: []),
    ]

    static let database: Result<TestDatabase, any Error> = Result {
        try TestDatabase("activity", script: script)
    }

    static let activityChecks: Set<String> = ["never_vacuumed", "never_analyzed", "table_bloat_estimate"]

    @Test(arguments: cases)
    func onlyTablesAutovacuumCannotTakeAreReported(_ example: Case) throws {
        let result = try SchemaAnalyzer(environment: [:]).analyze(
            AnalyzeRequest(connection: try Self.database.get().url))
        let reported = Set(
            result.findings.filter { $0.object == "public.\(example.table)" && Self.activityChecks.contains($0.check) }
                .map(\.check))
        #expect(reported == example.expected, "\(result.findings.map { "\($0.check) \($0.object)" })")
        if let vacuum = result.findings.first(where: {
            $0.check == "never_vacuumed" && $0.object.hasSuffix(example.table)
        }) {
            // The finding says what autovacuum waits for, how often it looks, and why it will not come.
            #expect(vacuum.message.contains("30000 dead rows > 50 + 20% of"), "\(vacuum.message)")
            #expect(vacuum.message.contains("every 60 s (autovacuum_naptime)"))
            #expect(vacuum.message.contains("autovacuum is disabled for the table (autovacuum_enabled = false)"))
        }
    }

    @Test func tablesAutovacuumWillTakeAreNamedInANote() throws {
        let database = try Self.database.get()
        let result = try SchemaAnalyzer(environment: [:]).analyze(AnalyzeRequest(connection: database.url))
        let note = result.notes.first { $0.contains("past autovacuum's trigger but not reported") } ?? ""
        #expect(!note.contains("held_back"), "\(note)")
        // Autovacuum may have taken a fresh table meanwhile; one it has not taken yet is named.
        let untouched = try database.connect().query(
            """
            SELECT relname FROM pg_stat_user_tables
            WHERE relname LIKE 'fresh%' AND last_autovacuum IS NULL AND last_autoanalyze IS NULL
            """
        ).rows.compactMap { $0.first ?? nil }
        for table in untouched {
            #expect(note.contains("public.\(table)"), "\(table) is not named: \(result.notes)")
            #expect(note.contains("every 60 s (autovacuum_naptime)"))
        }
    }
}
