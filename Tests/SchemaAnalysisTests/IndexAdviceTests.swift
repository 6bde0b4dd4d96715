import BackendCore
import Foundation
import PostgresClient
import PostgresTestSupport
import SchemaAnalysis
import Testing

/// Index advice and explain against a workload of 200,000 rows.
@Suite(.serialized) struct IndexAdviceTests {
    static let setup = """
        CREATE EXTENSION IF NOT EXISTS hypopg;
        CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
        INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 5000) g;
        CREATE TABLE orders (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            customer_id bigint NOT NULL REFERENCES customers (id),
            status text NOT NULL,
            created_at timestamptz NOT NULL,
            amount numeric(12, 2) NOT NULL
        );
        INSERT INTO orders (customer_id, status, created_at, amount)
        SELECT 1 + (g * 7919) % 5000, (ARRAY['open', 'paid', 'shipped', 'refunded'])[1 + g % 4],
               timestamptz '2026-01-01' + (g || ' minutes')::interval, g % 1000
        FROM generate_series(1, 200000) g;
        ANALYZE;
        """

    static let workload = [
        "SELECT id, amount FROM orders WHERE customer_id = 42",
        "SELECT id FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 10",
        "SELECT count(*) FROM orders WHERE status = 'open' AND created_at > timestamptz '2026-04-01'",
    ]

    static func executionMs(_ sql: String, on connection: PostgresConnection) throws -> Double {
        var best = Double.infinity
        for _ in 0..<3 {
            let text = try connection.query("EXPLAIN (ANALYZE, FORMAT JSON) \(sql)").rows[0][0]!
            let value = try JSONParser.parse(text)
            best = min(best, value.arrayValue?.first?["Execution Time"]?.doubleValue ?? .infinity)
        }
        return best
    }

    @Test func suggestedIndexesLowerTheMeasuredTimeOfTheQueriesTheyClaim() throws {
        let database = try TestDatabase("advice", script: Self.setup)
        defer { database.drop() }
        var request = AnalyzeRequest(connection: database.url)
        request.analyze = false
        request.suggestIndexes = true
        request.queries = Self.workload
        let result = try SchemaAnalyzer(environment: [:]).analyze(request)
        let suggestions = try #require(result.indexSuggestions)
        #expect(result.workloadSource == "given")
        #expect(!suggestions.isEmpty, "\(result.notes)")
        #expect(suggestions.allSatisfy { $0.verified })
        #expect(suggestions.contains { $0.columns.first == "customer_id" })
        #expect(suggestions.allSatisfy { ($0.costAfter ?? .infinity) < ($0.costBefore ?? 0) })

        let connection = try PostgresConnection.connect(database.url)
        let concrete = Self.workload.map { $0.replacingOccurrences(of: "$1", with: "42") }
        var before: [String: Double] = [:]
        for query in concrete { before[query] = try Self.executionMs(query, on: connection) }
        for suggestion in suggestions { try connection.query(suggestion.createSQL) }
        try connection.query("ANALYZE orders")
        for suggestion in suggestions {
            for claimed in suggestion.queries {
                let query = claimed.replacingOccurrences(of: "$1", with: "42")
                let after = try Self.executionMs(query, on: connection)
                let previous = before[query] ?? 0
                #expect(
                    after < previous, "\(suggestion.createSQL) did not speed up \(query): \(previous) -> \(after) ms")
            }
        }
        for suggestion in suggestions { try connection.query(suggestion.dropSQL) }
    }

    @Test func theWorkloadComesFromPgStatStatementsWhenNoQueriesAreGiven() throws {
        let database = try TestDatabase(
            "pgss", script: Self.setup + "CREATE EXTENSION IF NOT EXISTS pg_stat_statements;")
        defer { database.drop() }
        let connection = try PostgresConnection.connect(database.url)
        for customer in 1...5 {
            try connection.query("SELECT id, amount FROM orders WHERE customer_id = $1", [String(customer)])
        }
        var request = AnalyzeRequest(connection: database.url)
        request.analyze = false
        request.suggestIndexes = true
        let result = try SchemaAnalyzer(environment: [:]).analyze(request)
        #expect(result.workloadSource == "pg_stat_statements")
        #expect(result.indexSuggestions?.contains { $0.columns == ["customer_id"] && $0.verified } == true, "\(result)")
    }

    @Test func withoutHypopgSuggestionsAreMarkedUnverified() throws {
        let database = try TestDatabase(
            "nohypo", script: Self.setup.replacingOccurrences(of: "CREATE EXTENSION IF NOT EXISTS hypopg;", with: ""))
        defer { database.drop() }
        var request = AnalyzeRequest(connection: database.url)
        request.analyze = false
        request.suggestIndexes = true
        request.queries = [Self.workload[0], "SELECT * FROM no_such_table"]
        let result = try SchemaAnalyzer(environment: [:]).analyze(request)
        #expect(result.indexSuggestions?.isEmpty == false)
        #expect(result.indexSuggestions?.allSatisfy { !$0.verified } == true)
        #expect(result.notes.contains { $0.contains("hypopg is not installed") })
        #expect(result.notes.contains { $0.contains("no_such_table") })
    }

    @Test func explainNamesTheCostlyNodes() throws {
        let database = try TestDatabase("explain", script: Self.setup)
        defer { database.drop() }
        var request = AnalyzeRequest(connection: database.url)
        request.analyze = false
        request.explain = "SELECT * FROM orders WHERE amount > 5 ORDER BY created_at"
        request.explainAnalyze = true
        let result = try SchemaAnalyzer(environment: [:]).analyze(request)
        let explain = try #require(result.explain)
        #expect(explain.analyzed)
        #expect(explain.executionMs != nil)
        #expect(explain.hotspots.contains { $0.kind == "sequential_scan" && $0.node.contains("orders") })
    }

    @Test func explainAnalyzeOfAWriteIsRolledBack() throws {
        let database = try TestDatabase(
            "rollback", script: "CREATE TABLE t (id bigint PRIMARY KEY); INSERT INTO t VALUES (1);")
        defer { database.drop() }
        var request = AnalyzeRequest(connection: database.url)
        request.analyze = false
        request.explain = "DELETE FROM t"
        request.explainAnalyze = true
        _ = try SchemaAnalyzer(environment: [:]).analyze(request)
        let connection = try PostgresConnection.connect(database.url)
        #expect(try connection.query("SELECT count(*) FROM t").rows == [["1"]])
    }

    @Test func outputHoldsTheDiagramAndTheMigrationPair() throws {
        let database = try TestDatabase("erd", script: Self.setup)
        defer { database.drop() }
        let folder = NSTemporaryDirectory() + "analyze-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var request = AnalyzeRequest(connection: database.url)
        request.suggestIndexes = true
        request.queries = [Self.workload[0]]
        request.output = folder
        let result = try SchemaAnalyzer(environment: [:]).analyze(request)
        #expect(result.files.count == 3)
        let erd = try String(contentsOfFile: folder + "/erd.mmd", encoding: .utf8)
        #expect(erd.hasPrefix("erDiagram"))
        #expect(erd.contains("customers ||--o{ orders"))
        let up = try #require(result.files.first { $0.hasSuffix(".up.sql") })
        #expect(try String(contentsOfFile: up, encoding: .utf8).contains("CREATE INDEX CONCURRENTLY"))
    }
}
