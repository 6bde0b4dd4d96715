import BackendCore

/// The explain part of `analyze_schema`: the plan as a flat list of nodes, the costly ones, and
/// what to do next.
public struct ExplainReport: Codable, Sendable, Equatable {
    /// One plan node; `parent` and `depth` give the tree (schemas stay flat: no recursion).
    public struct Step: Codable, Sendable, Equatable {
        public var id: Int
        public var parent: Int?
        public var depth: Int
        public var node: String
        public var relation: String?
        public var index: String?
        public var joinType: String?
        /// Per loop, as the planner estimated them.
        public var estimatedRows: Double
        /// Per loop (EXPLAIN ANALYZE only).
        public var actualRows: Double?
        public var loops: Double?
        public var totalCost: Double
        /// Time in this node and below over all loops, in milliseconds (EXPLAIN ANALYZE only).
        public var timeMs: Double?
        /// Time in this node alone, in milliseconds (EXPLAIN ANALYZE only).
        public var selfMs: Double?
        public var filter: String?
        public var condition: String?
        public var rowsRemovedByFilter: Double?
        /// A LIMIT, or a semi/anti join that stops at the first match, stopped this node early:
        /// fewer actual rows than estimated is expected, not a misestimate.
        public var cutShort: Bool

        enum CodingKeys: String, CodingKey {
            case id, parent, depth, node, relation, index, joinType = "join_type", estimatedRows = "estimated_rows"
            case actualRows = "actual_rows", loops, totalCost = "total_cost", timeMs = "time_ms", selfMs = "self_ms"
            case filter, condition, rowsRemovedByFilter = "rows_removed_by_filter", cutShort = "cut_short"
        }

        /// `Seq Scan on orders`, `Index Scan using orders_pkey on orders`, `Hash Join (Semi)`.
        public var label: String {
            var text = node
            if let index { text += " using \(index)" }
            if let relation { text += " on \(relation)" }
            if let joinType, joinType != "Inner" { text += " (\(joinType))" }
            return text
        }
    }

    public struct Hotspot: Codable, Sendable, Equatable {
        public var kind: String
        public var node: String
        public var detail: String
    }

    public var query: String
    public var analyzed: Bool
    public var totalCost: Double
    public var executionMs: Double?
    public var planningMs: Double?
    public var plan: [Step]
    public var hotspots: [Hotspot]
    /// Indexes that would serve this query (hypopg-verified when the extension is installed).
    public var indexSuggestions: [IndexSuggestion]
    /// Concrete changes, most useful first.
    public var nextSteps: [String]

    enum CodingKeys: String, CodingKey {
        case query, analyzed, totalCost = "total_cost", executionMs = "execution_ms", planningMs = "planning_ms"
        case plan, hotspots, indexSuggestions = "index_suggestions", nextSteps = "next_steps"
    }

    /// The plan as indented lines: node, estimated (and actual) rows, time; at most `limit` nodes.
    public func tree(limit: Int) -> [String] {
        var lines = plan.prefix(limit).map { step in
            var line = String(repeating: "  ", count: step.depth) + step.label + ": "
            if let actual = step.actualRows {
                let loops = (step.loops ?? 1) > 1 ? " x\(NumberText.plain(step.loops ?? 1)) loops" : ""
                line += "rows \(Self.count(step.estimatedRows)) est, \(Self.count(actual)) actual\(loops)"
            } else {
                line += "rows \(Self.count(step.estimatedRows)) est, cost \(Self.cost(step.totalCost))"
            }
            if let time = step.timeMs { line += ", \(Self.milliseconds(time))" }
            if step.cutShort, let actual = step.actualRows, actual < step.estimatedRows { line += " (cut short)" }
            return line
        }
        if plan.count > limit { lines.append("… \(plan.count - limit) more node(s) in the structured result") }
        return lines
    }

    static func count(_ value: Double) -> String { NumberText.plain(value.rounded()) }

    /// A planner cost: whole units, with one decimal below 10 (an index probe costs well under 1).
    static func cost(_ value: Double) -> String {
        value < 10 ? NumberText.plain((value * 10).rounded() / 10) : count(value)
    }

    static func milliseconds(_ value: Double) -> String {
        value >= 100 ? "\(Int(value.rounded())) ms" : "\(NumberText.plain((value * 100).rounded() / 100)) ms"
    }
}
