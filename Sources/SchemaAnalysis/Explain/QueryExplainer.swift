import BackendCore
import PostgresClient

/// Explains a query: the plan tree, the costly nodes and the hotspots that have a known remedy.
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
        let steps = flatten(plan)
        return ExplainReport(
            query: sql, analyzed: analyze, totalCost: plan.totalCost, executionMs: root["Execution Time"]?.doubleValue,
            planningMs: root["Planning Time"]?.doubleValue, plan: steps, hotspots: costly(steps) + hotspots(plan),
            indexSuggestions: [], nextSteps: [])
    }

    /// The plan depth first, each node marked when a LIMIT or a semi/anti join above it stops it early.
    static func flatten(_ plan: PlanNode) -> [ExplainReport.Step] {
        var steps: [ExplainReport.Step] = []
        func visit(_ node: PlanNode, parent: Int?, depth: Int, cutShort: Bool) {
            let id = steps.count
            let childTime = node.children.compactMap(\.inclusiveMs).reduce(0, +)
            steps.append(
                ExplainReport.Step(
                    id: id, parent: parent, depth: depth, node: node.type, relation: node.relation, index: node.index,
                    joinType: node.joinType, estimatedRows: node.planRows, actualRows: node.actualRows,
                    loops: node.actualLoops, totalCost: node.totalCost, timeMs: node.inclusiveMs,
                    selfMs: node.inclusiveMs.map { max(0, $0 - childTime) }, filter: node.filter,
                    condition: node.indexCondition ?? node.joinCondition, rowsRemovedByFilter: node.rowsRemovedByFilter,
                    cutShort: cutShort))
            for (position, child) in node.children.enumerated() {
                visit(child, parent: id, depth: depth + 1, cutShort: childIsCutShort(node, position, cutShort))
            }
        }
        visit(plan, parent: nil, depth: 0, cutShort: false)
        return steps
    }

    /// A LIMIT stops its input early, and so, below it, does every node that streams rows; a node
    /// that reads its whole input first (Sort, Hash, a hashed or plain Aggregate) ends it. The inner
    /// side of a semi or anti join (EXISTS, NOT EXISTS) or of a unique inner join stops at the first
    /// match (unless it is a Hash, which loads everything first).
    static func childIsCutShort(_ node: PlanNode, _ position: Int, _ cutShort: Bool) -> Bool {
        // A Hash counts the rows it loaded, all of its input, however early the join stops.
        if node.children[position].type == "Hash" { return false }
        if node.type == "Limit" { return true }
        if node.consumesWholeInput { return false }
        let stopsAtFirstMatch = node.joinType == "Semi" || node.joinType == "Anti" || node.innerUnique
        if position == 1, stopsAtFirstMatch, node.joinType != nil { return true }
        return cutShort
    }

    /// The nodes that take at least a fifth of the time (EXPLAIN ANALYZE) or of the planned cost.
    static func costly(_ steps: [ExplainReport.Step]) -> [ExplainReport.Hotspot] {
        guard let root = steps.first else { return [] }
        let childCost = Dictionary(grouping: steps.filter { $0.parent != nil }, by: { $0.parent! })
            .mapValues { $0.map(\.totalCost).reduce(0, +) }
        // Parallel workers' times add up past the wall-clock time: shares are of the summed node times.
        let totalTime = steps.compactMap(\.selfMs).reduce(0, +)
        let shares: [(step: ExplainReport.Step, share: Double, detail: String)] = steps.compactMap { step in
            if root.timeMs != nil, totalTime > 0, let own = step.selfMs {
                let share = own / totalTime
                return (step, share, "\(percent(share)) of the time in the plan (\(ExplainReport.milliseconds(own)))")
            }
            guard root.timeMs == nil, root.totalCost > 0 else { return nil }
            let own = max(0, step.totalCost - (childCost[step.id] ?? 0))
            let share = own / root.totalCost
            return (step, share, "\(percent(share)) of the planned cost (\(ExplainReport.cost(own)))")
        }
        return shares.filter { $0.share >= 0.2 }.sorted { $0.share > $1.share }.prefix(3).map {
            ExplainReport.Hotspot(kind: "costly_node", node: $0.step.label, detail: $0.detail)
        }
    }

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }

    /// Patterns with a known remedy: big sequential scans, misestimates, spills, large nested loops.
    static func hotspots(_ plan: PlanNode) -> [ExplainReport.Hotspot] {
        var found: [ExplainReport.Hotspot] = []
        let steps = flatten(plan)
        for (node, step) in zip(plan.all, steps) {
            let name = step.label
            let rows = node.actualRows ?? node.planRows
            if node.isSequentialScan, rows >= 10_000 || node.planRows >= 10_000 {
                found.append(
                    .init(
                        kind: "sequential_scan", node: name,
                        detail: "reads about \(Int(rows)) rows\(node.filter.map { " to filter \($0)" } ?? "")"))
            }
            if let actual = node.actualRows, let loops = node.actualLoops, loops > 0 {
                let estimate = max(node.planRows, 1)
                let real = max(actual, 1)
                // Fewer rows than planned under a LIMIT or a semi-join is the stop, not the statistics.
                let stoppedEarly = step.cutShort && real < estimate
                if !stoppedEarly, real / estimate >= 10 || estimate / real >= 10 {
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
                (outer.actualRows ?? outer.planRows) * (outer.actualLoops ?? 1) >= 1_000
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

    /// Concrete changes for the report's hotspots, most useful first.
    static func nextSteps(_ report: ExplainReport, hypopgInstalled: Bool) -> [String] {
        var steps: [String] = []
        for suggestion in report.indexSuggestions {
            if suggestion.verified, let before = suggestion.costBefore, let after = suggestion.costAfter {
                steps.append(
                    "Create \(suggestion.kind) index (hypopg: planned cost \(ExplainReport.cost(before)) -> \(ExplainReport.cost(after))): \(suggestion.createSQL)"
                )
            } else {
                steps.append(
                    "Try \(suggestion.kind) index (unverified\(hypopgInstalled ? "" : ": hypopg is not installed")): \(suggestion.createSQL)"
                )
            }
        }
        var seen = Set<String>()
        for hotspot in report.hotspots where seen.insert("\(hotspot.kind) \(hotspot.node)").inserted {
            let relation = report.plan.first { $0.label == hotspot.node }?.relation
            switch hotspot.kind {
            case "row_misestimate":
                steps.append(
                    "Refresh statistics: ANALYZE\(relation.map { " \($0)" } ?? ""); if the estimate stays off, CREATE STATISTICS on the correlated columns it filters on."
                )
            case "sort_spill", "hash_spill":
                steps.append(
                    "\(hotspot.node) spilled to disk: SET LOCAL work_mem = '64MB' for this query, or let an index deliver the rows in order."
                )
            case "sequential_scan" where report.indexSuggestions.isEmpty:
                if let filter = report.plan.first(where: { $0.label == hotspot.node })?.filter,
                    filter.contains("SubPlan")
                {
                    steps.append(
                        "Rewrite: \(hotspot.node) runs a subquery per row (\(filter.prefix(80))); write it as a JOIN, or NOT IN as NOT EXISTS."
                    )
                } else if let filter = report.plan.first(where: { $0.label == hotspot.node })?.filter,
                    filter.contains(/[a-z_]+\([A-Za-z_][A-Za-z0-9_.]*[,)]/)
                {
                    steps.append(
                        "Rewrite: the filter \(filter.prefix(80)) wraps a column in a function, which no plain index serves; compare the bare column or index the expression."
                    )
                } else {
                    steps.append(
                        "\(hotspot.node) \(hotspot.detail): no index would lower its cost; return fewer rows (a tighter WHERE, keyset pagination) if the caller does not need them all."
                    )
                }
            default: continue
            }
        }
        return steps
    }
}
