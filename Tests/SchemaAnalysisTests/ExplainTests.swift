import BackendCore
import Foundation
import PostgresClient
import PostgresTestSupport
import SchemaAnalysis
import Testing

/// A database of 200,000 orders, seeded once for the explain and index-advice suites: a skewed status
/// (2% 'active'), customers, and a table whose statistics are stale on purpose.
enum SeededOrders {
    static let script = """
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
        SELECT 1 + (g * 7919) % 5000,
               CASE WHEN g % 50 = 0 THEN 'active' ELSE (ARRAY['paid', 'shipped', 'refunded'])[1 + g % 3] END,
               timestamptz '2026-01-01' + (g || ' minutes')::interval, g % 1000
        FROM generate_series(1, 200000) g;
        CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kind text NOT NULL)
            WITH (autovacuum_enabled = false);
        INSERT INTO events (kind) SELECT 'view' FROM generate_series(1, 1000);
        ANALYZE events;
        INSERT INTO events (kind) SELECT 'click' FROM generate_series(1, 50000);
        """

    /// VACUUM sets the visibility map, so index-only scans are costed as they would run.
    static func create() -> Result<TestDatabase, any Error> {
        Result {
            let database = try TestDatabase("seeded_orders", script: script)
            try database.connect().query("VACUUM ANALYZE customers, orders")
            return database
        }
    }

    static func analyze(
        _ database: Result<TestDatabase, any Error>, _ configure: (inout AnalyzeRequest) -> Void
    ) throws -> AnalysisResult {
        var request = AnalyzeRequest(connection: try database.get().url)
        request.analyze = false
        configure(&request)
        return try SchemaAnalyzer(environment: [:]).analyze(request)
    }
}

/// `analyze_schema` with `explain`: the plan as a tree, the costly nodes, and a next step.
@Suite(.serialized) struct ExplainTests {
    /// Created once for the suite, which only reads it.
    static let database = SeededOrders.create()
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let sql: String
        /// The relation a row misestimate must be reported on; nil: none may be reported.
        let misestimateOn: String?
        var testDescription: String { label }
    }

    static let cases = [
        Case(
            label: "a LIMIT stops the scan after 50 rows",
            sql: "SELECT id, amount FROM orders WHERE amount > 5 LIMIT 50",
            misestimateOn: nil),
        Case(
            label: "a LIMIT over a sort: the sort still reads everything",
            sql: "SELECT id FROM orders WHERE amount > 5 ORDER BY created_at LIMIT 50", misestimateOn: nil),
        Case(
            label: "EXISTS under a LIMIT",
            sql:
                "SELECT c.id FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'active') LIMIT 20",
            misestimateOn: nil),
        Case(
            label: "stale statistics are still a misestimate",
            sql: "SELECT count(*) FROM events WHERE kind = 'click'", misestimateOn: "events"),
    ]

    @Test(arguments: cases)
    func misestimatesAreReportedOnlyWhereTheStatisticsAreWrong(_ example: Case) throws {
        let result = try SeededOrders.analyze(Self.database) {
            $0.explain = example.sql
            $0.explainAnalyze = true
        }
        let explain = try #require(result.explain)
        let misestimates = explain.hotspots.filter { $0.kind == "row_misestimate" }
        if let relation = example.misestimateOn {
            #expect(misestimates.contains { $0.node.contains(relation) }, "\(explain.hotspots)")
            #expect(explain.nextSteps.contains { $0.contains("ANALYZE \(relation)") }, "\(explain.nextSteps)")
        } else {
            #expect(misestimates.isEmpty, "\(explain.tree(limit: 50))")
        }
    }

    @Test func theDigestShowsTheTreeTheCostlyNodeAndAVerifiedIndex() throws {
        let result = try SeededOrders.analyze(Self.database) {
            $0.explain = "SELECT id, amount FROM orders WHERE status = 'active' ORDER BY created_at DESC LIMIT 20"
            $0.explainAnalyze = true
        }
        let explain = try #require(result.explain)
        let digest = result.digest.render()
        #expect(Digest.wordCount(digest) <= Digest.maxWords)
        let scan = try #require(explain.plan.first { $0.node.hasSuffix("Seq Scan") && $0.relation == "orders" })
        #expect(scan.actualRows != nil && scan.timeMs != nil)
        #expect(digest.contains("Limit: rows 20 est, 20 actual"), "\(digest)")
        #expect(digest.contains("\(scan.label): rows "), "\(digest)")
        #expect(explain.hotspots.contains { $0.kind == "costly_node" })
        #expect(digest.contains("Costly: "), "\(digest)")
        let index = try #require(explain.indexSuggestions.first, "\(result.notes)")
        #expect(index.verified && index.kind.hasPrefix("partial"), "\(index)")
        #expect(digest.contains("Next: Create \(index.kind) index (hypopg: planned cost"), "\(digest)")
        #expect(digest.contains(index.createSQL), "\(digest)")
    }

    @Test func thePlanIsStructuredAsObjects() throws {
        let result = try SeededOrders.analyze(Self.database) {
            $0.explain = "SELECT count(*) FROM orders WHERE amount > 500"
        }
        let json = try JSONValue(encoding: result)
        let plan = try #require(json["explain"]?["plan"]?.arrayValue)
        #expect(plan.count >= 2)
        #expect(plan.allSatisfy { $0.objectValue != nil })
        #expect(plan.first?["parent"] == nil && plan.first?["depth"]?.integerValue == 0)
        #expect(plan.dropFirst().allSatisfy { $0["parent"]?.integerValue != nil })
        #expect(plan.contains { $0["relation"]?.stringValue == "orders" && $0["estimated_rows"]?.doubleValue != nil })
        // Not run: no actual rows or times, the planned cost instead.
        #expect(plan.allSatisfy { $0["actual_rows"] == nil && $0["time_ms"] == nil })
        #expect(result.digest.render().contains("(not run)"))
    }

    @Test func theHumanReportPrintsTheTreeAndTheNextSteps() throws {
        let result = try SeededOrders.analyze(Self.database) {
            $0.explain = "SELECT customer_id, sum(amount) FROM orders WHERE customer_id = 42 GROUP BY customer_id"
        }
        let report = result.markdown
        #expect(report.contains("## Explain"))
        #expect(report.contains("Seq Scan on orders: rows "), "\(report)")
        #expect(report.contains("Next steps:"))
        #expect(report.contains("1. Create covering index (hypopg: planned cost"), "\(report)")
    }
}
