import BackendCore
import Foundation
import Testing

@testable import SchemaAnalysis

/// Reading real `EXPLAIN (ANALYZE, FORMAT JSON)` output: which nodes a LIMIT or a semi-join stops
/// early, so that their few actual rows are not taken for a misestimate.
@Suite struct PlanReadingTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let fixture: String
        /// Step ids (depth first) that were stopped early, and those that ran to the end.
        let cutShort: [Int]
        let ranFully: [Int]
        var testDescription: String { fixture }
    }

    static let cases = [
        // Nested Loop (Semi) -> Seq Scan on customers, Index Scan on orders (planned 60 a loop, got 1).
        Case(fixture: "exists_semi_join", cutShort: [2], ranFully: [0, 1]),
        // Limit -> Gather -> Hash Join (Semi) -> [Parallel Seq Scan o, Hash -> Parallel Seq Scan p]:
        // the outer side streams under the LIMIT, the hash reads all of its input first.
        Case(fixture: "limit_over_parallel_semi_join", cutShort: [1, 2, 3], ranFully: [0, 4, 5]),
    ]

    static func plan(_ name: String, filePath: String = #filePath) throws -> PlanNode {
        let path = URL(fileURLWithPath: filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/plans/\(name).json")
        return try PlanNode.parse(try String(contentsOf: path, encoding: .utf8)).plan
    }

    @Test(arguments: cases)
    func nodesStoppedEarlyAreMarkedAndNotMisestimates(_ example: Case) throws {
        let plan = try Self.plan(example.fixture)
        let steps = QueryExplainer.flatten(plan)
        for id in example.cutShort { #expect(steps[id].cutShort, "\(steps[id].label) should be cut short") }
        for id in example.ranFully { #expect(!steps[id].cutShort, "\(steps[id].label) ran to the end") }
        // Each fixture has a node with at least ten times fewer rows than planned, all of them stopped early.
        #expect(steps.contains { $0.cutShort && ($0.actualRows ?? 0) * 10 <= $0.estimatedRows })
        let misestimates = QueryExplainer.hotspots(plan).filter { $0.kind == "row_misestimate" }
        #expect(misestimates.isEmpty, "\(misestimates)")
    }

    @Test func theTreeShowsEstimatedAndActualRowsAndTime() throws {
        let steps = QueryExplainer.flatten(try Self.plan("exists_semi_join"))
        let report = ExplainReport(
            query: "q", analyzed: true, totalCost: 1, executionMs: 1, planningMs: nil, plan: steps, hotspots: [],
            indexSuggestions: [], nextSteps: [])
        let tree = report.tree(limit: 10)
        #expect(tree.count == 3)
        #expect(tree[0].hasPrefix("Nested Loop (Semi): rows 5000 est, 4970 actual, "))
        #expect(
            tree[2].hasPrefix(
                "  Index Scan using orders_customer_id_idx on orders: rows 60 est, 1 actual x5000 loops"))
        #expect(tree[2].hasSuffix("(cut short)"))
        #expect(report.tree(limit: 2).last == "… 1 more node(s) in the structured result")
    }
}
