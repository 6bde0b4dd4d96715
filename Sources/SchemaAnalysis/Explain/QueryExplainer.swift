import BackendCore
import PostgresClient

/// The explain part of `analyze_schema`: the plan, and the nodes that cost the most.
public struct ExplainReport: Codable, Sendable, Equatable {
    public struct Hotspot: Codable, Sendable, Equatable {
        public var kind: String
        public var node: String
        public var detail: String
    }

    public var query: String
    public var analyzed: Bool
    public var totalCost: Double
    public var executionMs: Double?
    public var hotspots: [Hotspot]
    /// The JSON plan as PostgreSQL printed it.
    public var plan: String

    enum CodingKeys: String, CodingKey {
        case query, analyzed, totalCost = "total_cost", executionMs = "execution_ms", hotspots, plan
    }
}

enum QueryExplainer {
    /// Explains `sql`; with `analyze`, runs it inside a transaction that is rolled back.
    static func explain(
        _ sql: String, analyze: Bool, on connection: PostgresConnection, timeoutMs: Int
    )
        throws(BackendError) -> ExplainReport
    {
        let options = analyze ? "ANALYZE, BUFFERS, FORMAT JSON" : "FORMAT JSON"
        let text = try connection.transaction(readOnly: !analyze, rollback: true) { () throws(BackendError) in
            try connection.query("SET LOCAL statement_timeout = \(timeoutMs)")
            return try connection.query("EXPLAIN (\(options)) \(sql)").rows.first?.first ?? nil
        }
        guard let text else { throw BackendError(.failed, "EXPLAIN returned nothing") }
        let (plan, root) = try PlanNode.parse(text)
        return ExplainReport(
            query: sql, analyzed: analyze, totalCost: plan.totalCost, executionMs: root["Execution Time"]?.doubleValue,
            hotspots: hotspots(plan), plan: text)
    }

    static func hotspots(_ plan: PlanNode) -> [ExplainReport.Hotspot] {
        var found: [ExplainReport.Hotspot] = []
        for node in plan.all {
            let name = node.relation.map { "\(node.type) on \($0)" } ?? node.type
            let rows = node.actualRows ?? node.planRows
            if node.type == "Seq Scan", rows >= 10_000 || node.planRows >= 10_000 {
                found.append(
                    .init(
                        kind: "sequential_scan", node: name,
                        detail: "reads about \(Int(rows)) rows\(node.filter.map { " to filter \($0)" } ?? "")"))
            }
            if let actual = node.actualRows, let loops = node.actualLoops, loops > 0 {
                let estimate = max(node.planRows, 1)
                let real = max(actual, 1)
                if real / estimate >= 10 || estimate / real >= 10 {
                    found.append(
                        .init(
                            kind: "row_misestimate", node: name,
                            detail:
                                "planned \(Int(node.planRows)) rows, got \(Int(actual)): run ANALYZE or add extended statistics"
                        ))
                }
            }
            if node.sortSpaceType == "Disk" {
                found.append(
                    .init(
                        kind: "sort_spill", node: name,
                        detail: "the sort spilled to disk: raise work_mem or add an index that delivers the order"))
            }
            if let batches = node.hashBatches, batches > 1 {
                found.append(
                    .init(
                        kind: "hash_spill", node: name,
                        detail: "the hash used \(Int(batches)) batches: it spilled to disk"))
            }
            if node.type == "Nested Loop", let outer = node.children.first,
                (outer.actualRows ?? outer.planRows) >= 1_000
            {
                found.append(
                    .init(
                        kind: "nested_loop_large_input", node: name,
                        detail:
                            "the outer side has about \(Int(outer.actualRows ?? outer.planRows)) rows: an index on the inner join key, or a hash join"
                    ))
            }
        }
        return found
    }
}
