import BackendCore
import Foundation
import PostgresClient
import PostgresTestSupport
import SchemaAnalysis
import Testing

/// The index strategy of the skill: partial indexes for selective constants, INCLUDE columns where an
/// index-only scan follows, and neither where they do not win; each weighed with hypopg and then
/// built for real to see the planner use it.
@Suite(.serialized) struct IndexVariantTests {
    /// A database of its own: the cases build their indexes for real (and drop them again).
    static let database = SeededOrders.create()
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let query: String
        let kind: String
        let columns: [String]
        let include: [String]
        let predicate: String?
        var testDescription: String { label }
    }

    static let cases = [
        Case(
            label: "2% 'active': a partial index",
            query: "SELECT id, amount FROM orders WHERE status = 'active' ORDER BY created_at DESC LIMIT 20",
            kind: "partial", columns: ["created_at"], include: [], predicate: "status = 'active'::text"),
        Case(
            label: "the one other column read: a covering index",
            query: "SELECT customer_id, sum(amount) FROM orders WHERE customer_id = 42 GROUP BY customer_id",
            kind: "covering", columns: ["customer_id"], include: ["amount"], predicate: nil),
        Case(
            label: "a third of the rows is not selective: no partial index",
            query: "SELECT count(*) FROM orders WHERE status = 'paid' AND created_at > timestamptz '2026-05-01'",
            kind: "plain", columns: ["status", "created_at"], include: [], predicate: nil),
        Case(
            label: "every column read: no covering index",
            query: "SELECT * FROM orders WHERE customer_id = 42",
            kind: "plain", columns: ["customer_id"], include: [], predicate: nil),
    ]

    @Test(arguments: cases)
    func theSuggestedIndexHasTheShapeThatWins(_ example: Case) throws {
        let result = try SeededOrders.analyze(Self.database) {
            $0.suggestIndexes = true
            $0.queries = [example.query]
        }
        let suggestions = try #require(result.indexSuggestions)
        #expect(suggestions.count == 1, "\(suggestions) \(result.notes)")
        let suggestion = try #require(suggestions.first)
        #expect(suggestion.kind == example.kind, "\(suggestion.reason)")
        #expect(suggestion.columns == example.columns)
        #expect(suggestion.include == example.include)
        #expect(suggestion.predicate == example.predicate)
        #expect(suggestion.verified)
        let before = try #require(suggestion.costBefore)
        let after = try #require(suggestion.costAfter)
        #expect(after < before * 0.9)
        #expect(suggestion.reason.contains("hypopg: planned cost \(Int(before.rounded())) -> "), "\(suggestion.reason)")

        // Built for real, the planner picks it, answering from the index alone when it is covering.
        let connection = try PostgresConnection.connect(try Self.database.get().url)
        try connection.query(suggestion.createSQL)
        defer { _ = try? connection.query(suggestion.dropSQL) }
        try connection.query("VACUUM orders")
        let plan = try connection.query("EXPLAIN \(example.query)").rows.compactMap { $0.first ?? nil }
            .joined(separator: "\n")
        let name = try #require(suggestion.createSQL.firstMatch(of: /EXISTS ([a-z0-9_]+) ON/)?.1)
        #expect(plan.contains(name), "\(plan)")
        if !example.include.isEmpty { #expect(plan.contains("Index Only Scan"), "\(plan)") }
    }
}
