import BackendCore
import Foundation
import PostgresClient

/// An index the workload would use, with the planner's cost before and after (hypopg) when verified.
public struct IndexSuggestion: Codable, Sendable, Equatable {
    public var table: String
    public var columns: [String]
    /// INCLUDE columns: the rest of what the queries read, so that an index-only scan answers them.
    public var include: [String]
    /// The WHERE of a partial index: a selective constant the queries filter on.
    public var predicate: String?
    /// plain, partial, covering or partial covering.
    public var kind: String
    public var createSQL: String
    public var dropSQL: String
    /// True when hypopg showed the planner using it and the cost dropping.
    public var verified: Bool
    public var costBefore: Double?
    public var costAfter: Double?
    /// hypopg's estimate of the index's size, in bytes.
    public var estimatedBytes: Double?
    /// The queries whose planned cost it lowers (or that produced it, when unverified).
    public var queries: [String]
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case table, columns, include, predicate, kind, createSQL = "create_sql", dropSQL = "drop_sql", verified
        case costBefore = "cost_before", costAfter = "cost_after", estimatedBytes = "estimated_bytes", queries, reason
    }
}

/// Proposes indexes from the plans of a workload: equality columns first, then one range column,
/// then sort keys; a partial index when the queries filter a low-cardinality column on a selective
/// constant; INCLUDE columns when an index-only scan would follow. Each variant is weighed with
/// hypopg when the extension is installed.
enum IndexAdvisor {
    struct Query {
        let text: String
        let parameterCount: Int
    }

    /// An index: key columns, INCLUDE columns, and the WHERE of a partial index.
    struct Candidate: Hashable {
        let schema: String
        let table: String
        let columns: [String]
        var include: [String] = []
        var predicate: String? = nil
        var predicateColumn: String? = nil

        var kind: String {
            switch (predicate != nil, !include.isEmpty) {
            case (true, true): "partial covering"
            case (true, false): "partial"
            case (false, true): "covering"
            case (false, false): "plain"
            }
        }
    }

    /// What a sequential scan tells about the index that would replace it.
    struct Scan {
        let plain: Candidate
        /// Column = constant comparisons in its filter (the literal as PostgreSQL printed it).
        let constants: [(column: String, literal: String)]
        /// Columns the query reads from the scan; nil when it returns an expression.
        let output: [String]?
        /// Columns its filter reads.
        let filterColumns: [String]
        /// Columns of the table.
        let tableColumns: Int
    }

    /// The workload: the caller's queries, else the costliest statements of pg_stat_statements.
    static func workload(
        _ given: [String]?, catalog: CatalogSnapshot, connection: PostgresConnection
    )
        throws(BackendError) -> (queries: [Query], source: String)
    {
        if let given, !given.isEmpty { return (given.map(query), "given") }
        guard catalog.extensions.contains("pg_stat_statements") else { return ([], "none") }
        let rows = try connection.query(
            """
            SELECT query FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND query ~* '^\\s*(select|update|delete|with)\\s' AND query !~* 'pg_catalog|pg_stat|hypopg'
            ORDER BY total_exec_time DESC LIMIT 20
            """
        ).rows
        return (rows.compactMap { $0.first ?? nil }.map(query), "pg_stat_statements")
    }

    static func query(_ text: String) -> Query {
        let numbers = text.matches(of: /\$([0-9]+)/).compactMap { Int($0.1) }
        return Query(text: text, parameterCount: numbers.max() ?? 0)
    }

    /// A generic plan of `query` (parameters stay symbolic), so normalised statements can be planned.
    /// VERBOSE, for the columns each scan returns.
    static func plan(_ query: Query, on connection: PostgresConnection) throws(BackendError) -> PlanNode {
        try connection.query("DEALLOCATE ALL")
        try connection.query("PREPARE senior_backend_advice AS \(query.text)")
        let arguments = Array(repeating: "NULL", count: query.parameterCount).joined(separator: ", ")
        let call = query.parameterCount == 0 ? "" : "(\(arguments))"
        let text =
            try connection.query("EXPLAIN (VERBOSE, FORMAT JSON) EXECUTE senior_backend_advice\(call)").rows.first?
            .first ?? nil
        try connection.query("DEALLOCATE senior_backend_advice")
        guard let text else { throw BackendError(.failed, "EXPLAIN returned nothing for \(query.text)") }
        return try PlanNode.parse(text).plan
    }

    static func suggest(
        queries: [Query], catalog: CatalogSnapshot, connection: PostgresConnection
    ) throws(BackendError) -> (suggestions: [IndexSuggestion], notes: [String]) {
        var notes: [String] = []
        try connection.query("SET LOCAL plan_cache_mode = force_generic_plan")
        var plans: [(Query, PlanNode)] = []
        for query in queries {
            // A query that does not plan (a typo, a missing table) is noted and skipped, not fatal.
            try connection.query("SAVEPOINT senior_backend_advice")
            do {
                plans.append((query, try plan(query, on: connection)))
                try connection.query("RELEASE SAVEPOINT senior_backend_advice")
            } catch {
                notes.append("could not plan \(query.text.prefix(80)): \(error.message)")
                try connection.query("ROLLBACK TO SAVEPOINT senior_backend_advice")
            }
        }
        var sources: [Candidate: [String]] = [:]
        var scans: [Candidate: Scan] = [:]
        var order: [Candidate] = []
        for (query, plan) in plans {
            for scan in self.scans(in: plan, catalog: catalog) where !alreadyIndexed(scan.plain, catalog: catalog) {
                if sources[scan.plain] == nil {
                    order.append(scan.plain)
                    scans[scan.plain] = scan
                }
                if sources[scan.plain]?.contains(query.text) != true {
                    sources[scan.plain, default: []].append(query.text)
                }
            }
        }
        let hypopg = catalog.extensions.contains("hypopg")
        if !hypopg {
            notes.append(
                "hypopg is not installed in this database: suggestions are unverified and none is covering (CREATE EXTENSION hypopg to weigh them)"
            )
        }
        var suggestions: [IndexSuggestion] = []
        for plain in order {
            guard let scan = scans[plain] else { continue }
            let claimed = sources[plain] ?? []
            let partial = try guarded(connection, &notes, "could not weigh a partial index on \(plain.table)") {
                () throws(BackendError) in
                try partialVariant(of: scan, catalog: catalog, connection: connection)
            }
            guard hypopg else {
                let chosen = partial?.candidate ?? plain
                var reason =
                    "filters, joins or sorts on \(chosen.table)(\(chosen.columns.joined(separator: ", "))) read the table sequentially"
                if let partial {
                    reason += "; partial: \(partial.why)"
                }
                suggestions.append(suggestion(chosen, queries: claimed, verified: false, reason: reason))
                continue
            }
            let affected = plans.filter { claimed.contains($0.0.text) }
            let before = affected.map(\.1.totalCost).reduce(0, +)
            let plainCost = try weigh(plain, affected: affected, connection: connection)
            var chosen = plain
            var chosenCost = plainCost
            var reason =
                "filters, joins or sorts on \(plain.table)(\(plain.columns.joined(separator: ", "))) read the table sequentially"
            // A partial index that plans as well as the full one is smaller and cheaper to maintain.
            if let partial, let partialCost = try weighVariant(partial.candidate, affected, connection, &notes) {
                if partialCost.cost <= plainCost.cost * 1.05 {
                    chosen = partial.candidate
                    chosenCost = partialCost
                    reason =
                        "partial: \(partial.why); planned cost \(ExplainReport.cost(partialCost.cost)) vs \(ExplainReport.cost(plainCost.cost)) for the full index\(sizes(partialCost.bytes, plainCost.bytes))"
                }
            }
            // INCLUDE pays only when the planner then answers from the index alone, and saves more than
            // a few page reads (10 cost units): otherwise it only makes the index bigger.
            if let covering = coveringVariant(of: chosen, scan: scan),
                let coveringCost = try weighVariant(covering, affected, connection, &notes)
            {
                if coveringCost.indexOnly, coveringCost.cost < chosenCost.cost * 0.9,
                    chosenCost.cost - coveringCost.cost >= 10
                {
                    reason +=
                        "; covering: INCLUDE (\(covering.include.joined(separator: ", "))) gives an index-only scan, planned cost \(ExplainReport.cost(coveringCost.cost)) vs \(ExplainReport.cost(chosenCost.cost)) without"
                    chosen = covering
                    chosenCost = coveringCost
                }
            }
            // The planner would not use it, or it saves too little: not worth suggesting.
            guard chosenCost.cost < before * 0.9 else { continue }
            reason += "; hypopg: planned cost \(ExplainReport.cost(before)) -> \(ExplainReport.cost(chosenCost.cost))"
            var found = suggestion(chosen, queries: claimed, verified: true, reason: reason)
            found.costBefore = before
            found.costAfter = chosenCost.cost
            found.estimatedBytes = chosenCost.bytes
            suggestions.append(found)
        }
        return (suggestions, notes)
    }

    static func sizes(_ mine: Double?, _ other: Double?) -> String {
        guard let mine, let other else { return "" }
        return ", \(Int((mine / 1024).rounded())) KiB vs \(Int((other / 1024).rounded())) KiB"
    }

    static func suggestion(
        _ candidate: Candidate, queries: [String], verified: Bool, reason: String
    )
        -> IndexSuggestion
    {
        let table = "\(quoteIdentifier(candidate.schema)).\(quoteIdentifier(candidate.table))"
        let name = indexName(candidate)
        return IndexSuggestion(
            table: table, columns: candidate.columns, include: candidate.include, predicate: candidate.predicate,
            kind: candidate.kind,
            createSQL: "CREATE INDEX CONCURRENTLY IF NOT EXISTS \(quoteIdentifier(name)) ON \(definition(candidate));",
            dropSQL:
                "DROP INDEX CONCURRENTLY IF EXISTS \(quoteIdentifier(candidate.schema)).\(quoteIdentifier(name));",
            verified: verified, costBefore: nil, costAfter: nil, estimatedBytes: nil, queries: queries,
            reason: reason)
    }

    /// `table (a, b) INCLUDE (c) WHERE p`: what follows `CREATE INDEX ... ON`.
    static func definition(_ candidate: Candidate) -> String {
        var text =
            "\(quoteIdentifier(candidate.schema)).\(quoteIdentifier(candidate.table)) (\(candidate.columns.map(quoteIdentifier).joined(separator: ", ")))"
        if !candidate.include.isEmpty {
            text += " INCLUDE (\(candidate.include.map(quoteIdentifier).joined(separator: ", ")))"
        }
        if let predicate = candidate.predicate { text += " WHERE \(predicate)" }
        return text
    }

    static func indexName(_ candidate: Candidate) -> String {
        var name = "\(candidate.table)_\(candidate.columns.joined(separator: "_"))"
        if let column = candidate.predicateColumn, let predicate = candidate.predicate {
            let value = predicate.split(separator: "'").dropFirst().first.map(String.init) ?? ""
            let word = String(value.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(20))
            name += "_\(column)_\(word.isEmpty ? "where" : word)"
        }
        if !candidate.include.isEmpty { name += "_incl" }
        return String((name + "_idx").prefix(63))
    }

    /// The planned cost of the affected queries with `candidate` as a hypothetical index, whether an
    /// index-only scan on its table follows, and hypopg's estimate of its size.
    static func weigh(
        _ candidate: Candidate, affected: [(Query, PlanNode)], connection: PostgresConnection
    ) throws(BackendError) -> (cost: Double, indexOnly: Bool, bytes: Double?) {
        let size =
            try connection.query(
                "SELECT hypopg_relation_size(indexrelid) FROM hypopg_create_index($1)",
                ["CREATE INDEX ON \(definition(candidate))"]
            ).rows.first?.first ?? nil
        var cost = 0.0
        var indexOnly = false
        for (query, _) in affected {
            let plan = try plan(query, on: connection)
            cost += plan.totalCost
            indexOnly =
                indexOnly || plan.all.contains { $0.type == "Index Only Scan" && $0.relation == candidate.table }
        }
        try connection.query("SELECT hypopg_reset()")
        return (cost, indexOnly, size.flatMap(Double.init))
    }

    /// `weigh` for a variant: one hypopg refuses is noted and skipped.
    static func weighVariant(
        _ candidate: Candidate, _ affected: [(Query, PlanNode)], _ connection: PostgresConnection,
        _ notes: inout [String]
    ) throws(BackendError) -> (cost: Double, indexOnly: Bool, bytes: Double?)? {
        try guarded(connection, &notes, "hypopg could not weigh \(definition(candidate))") { () throws(BackendError) in
            try weigh(candidate, affected: affected, connection: connection)
        }
    }

    /// Runs `body` under a savepoint: a failure is noted and rolled back instead of ending the analysis.
    static func guarded<T>(
        _ connection: PostgresConnection, _ notes: inout [String], _ what: String,
        _ body: () throws(BackendError) -> T?
    ) throws(BackendError) -> T? {
        try connection.query("SAVEPOINT senior_backend_variant")
        do {
            let result = try body()
            try connection.query("RELEASE SAVEPOINT senior_backend_variant")
            return result
        } catch {
            notes.append("\(what): \(error.message)")
            try connection.query("ROLLBACK TO SAVEPOINT senior_backend_variant")
            return nil
        }
    }

    /// A partial variant when the scan filters a low-cardinality column (at most 100 distinct values)
    /// on a constant that the planner expects in at most 20% of the rows.
    static func partialVariant(
        of scan: Scan, catalog: CatalogSnapshot, connection: PostgresConnection
    ) throws(BackendError) -> (candidate: Candidate, why: String)? {
        let plain = scan.plain
        guard let table = catalog.tables.first(where: { $0.schema == plain.schema && $0.name == plain.table }),
            table.estimatedRows > 0
        else { return nil }
        var best: (column: String, literal: String, share: Double)?
        for constant in scan.constants {
            guard let column = catalog.columns(of: table.oid).first(where: { $0.name == constant.column }),
                let distinct = column.distinctValues
            else { continue }
            let values = distinct > 0 ? distinct : -distinct * table.estimatedRows
            guard values <= 100 else { continue }
            let text =
                try connection.query(
                    "EXPLAIN (FORMAT JSON) SELECT 1 FROM \(table.qualifiedName) WHERE \(quoteIdentifier(constant.column)) = \(constant.literal)"
                ).rows.first?.first ?? nil
            guard let text else { continue }
            let share = try PlanNode.parse(text).plan.planRows / table.estimatedRows
            if share <= 0.2, share < best?.share ?? 1 { best = (constant.column, constant.literal, share) }
        }
        guard let best else { return nil }
        let keys = plain.columns.filter { $0 != best.column }
        let predicate = "\(quoteIdentifier(best.column)) = \(best.literal)"
        let candidate = Candidate(
            schema: plain.schema, table: plain.table, columns: keys.isEmpty ? [best.column] : keys,
            predicate: predicate, predicateColumn: best.column)
        let percent = best.share < 0.01 ? "under 1%" : "about \(Int((best.share * 100).rounded()))%"
        return (candidate, "the queries filter \(predicate), \(percent) of the rows")
    }

    /// The same index with INCLUDE columns for the rest of what the scan reads (at most four).
    static func coveringVariant(of candidate: Candidate, scan: Scan) -> Candidate? {
        guard let output = scan.output else { return nil }
        var needed: [String] = []
        for column in output + scan.filterColumns
        where !candidate.columns.contains(column) && !needed.contains(column) {
            // A partial index's predicate column is needed only when the query returns it.
            if column == candidate.predicateColumn, !output.contains(column) { continue }
            needed.append(column)
        }
        // An index holding every column is a second copy of the table, not a covering index.
        guard !needed.isEmpty, needed.count <= 4, candidate.columns.count + needed.count < scan.tableColumns
        else { return nil }
        var covering = candidate
        covering.include = needed
        return covering
    }

    /// Sequential scans and the index each would want: equality columns, one range column, sort keys.
    static func scans(in plan: PlanNode, catalog: CatalogSnapshot) -> [Scan] {
        var found: [Scan] = []
        func visit(_ node: PlanNode, sortKeys: [String], above: [String]) {
            let keys = node.type == "Sort" ? node.sortKeys : (node.isSequentialScan ? sortKeys : [])
            if node.isSequentialScan, let relation = node.relation {
                let schema = node.schema ?? "public"
                let known = Set(
                    catalog.tables.first { $0.schema == schema && $0.name == relation }.map {
                        catalog.columns(of: $0.oid).map(\.name)
                    } ?? [])
                let filter = node.filter ?? ""
                var equality: [String] = []
                var range: [String] = []
                for match in filter.matches(of: /\(?([A-Za-z_][A-Za-z0-9_]*)\)? (=|<=|>=|<|>|IS NULL)/) {
                    let column = String(match.1)
                    guard known.contains(column) else { continue }
                    if match.2 == "=" || match.2 == "IS NULL" {
                        if !equality.contains(column) { equality.append(column) }
                    } else if !range.contains(column) {
                        range.append(column)
                    }
                }
                var columns = equality + range.prefix(1)
                if range.isEmpty {
                    for key in keys {
                        let column = String(key.split(separator: " ").first?.split(separator: ".").last ?? "")
                        if known.contains(column), !columns.contains(column) { columns.append(column) }
                    }
                }
                let constants = filter.matches(
                    of: /([A-Za-z_][A-Za-z0-9_]*) = ('(?:[^']|'')*'(?:::[a-z ]+[a-z])?|-?[0-9]+(?:\.[0-9]+)?)\)/
                ).compactMap { match -> (column: String, literal: String)? in
                    known.contains(String(match.1)) ? (String(match.1), String(match.2)) : nil
                }
                let unquoted = filter.replacing(/'(?:[^']|'')*'/, with: "''")
                let filterColumns = unquoted.matches(of: /[A-Za-z_][A-Za-z0-9_]*/).map { String($0.0) }
                    .filter { known.contains($0) }
                var output: [String?] = node.output.map { entry -> String? in
                    guard let match = entry.wholeMatch(of: /(?:[A-Za-z_][A-Za-z0-9_]*\.)?([A-Za-z_][A-Za-z0-9_]*)/),
                        known.contains(String(match.1))
                    else { return nil }
                    return String(match.1)
                }
                // A scan under an aggregate or a Gather returns the whole row (PostgreSQL's "physical
                // target list"); what the query reads is then what the nodes above refer to.
                if output.count == known.count, !above.isEmpty {
                    let qualifiers = Set([node.alias, relation].compactMap { $0 })
                    var referenced: [String] = []
                    for text in above {
                        let bare = text.replacing(/'(?:[^']|'')*'/, with: "''")
                        for match in bare.matches(of: /(?:([A-Za-z_][A-Za-z0-9_]*)\.)?([A-Za-z_][A-Za-z0-9_]*)/) {
                            let column = String(match.2)
                            guard known.contains(column), match.1.map({ qualifiers.contains(String($0)) }) ?? true,
                                !referenced.contains(column)
                            else { continue }
                            referenced.append(column)
                        }
                    }
                    output = referenced
                }
                if !columns.isEmpty {
                    found.append(
                        Scan(
                            plain: Candidate(schema: schema, table: relation, columns: Array(columns.prefix(3))),
                            constants: constants, output: output.contains(nil) ? nil : output.compactMap { $0 },
                            filterColumns: filterColumns, tableColumns: known.count))
                }
            }
            for child in node.children {
                visit(
                    child, sortKeys: node.type == "Sort" ? node.sortKeys : (node.isSequentialScan ? [] : keys),
                    above: above + node.expressions)
            }
        }
        visit(plan, sortKeys: [], above: [])
        return found
    }

    static func alreadyIndexed(_ candidate: Candidate, catalog: CatalogSnapshot) -> Bool {
        guard let table = catalog.tables.first(where: { $0.schema == candidate.schema && $0.name == candidate.table })
        else { return false }
        let numbers = candidate.columns.compactMap { name in
            catalog.columns(of: table.oid).first { $0.name == name }?.number
        }
        return catalog.indexes(of: table.oid).contains { index in
            index.isValid && index.predicate == nil && Array(index.keyColumns.prefix(numbers.count)) == numbers
        }
    }
}
