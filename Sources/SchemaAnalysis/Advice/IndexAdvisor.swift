import BackendCore
import Foundation
import PostgresClient

/// An index the workload would use, with the planner's cost before and after (hypopg) when verified.
public struct IndexSuggestion: Codable, Sendable, Equatable {
    public var table: String
    public var columns: [String]
    public var createSQL: String
    public var dropSQL: String
    /// True when hypopg showed the planner using it and the cost dropping.
    public var verified: Bool
    public var costBefore: Double?
    public var costAfter: Double?
    /// The queries whose planned cost it lowers (or that produced it, when unverified).
    public var queries: [String]
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case table, columns, createSQL = "create_sql", dropSQL = "drop_sql", verified
        case costBefore = "cost_before", costAfter = "cost_after", queries, reason
    }
}

/// Proposes indexes from the plans of a workload: equality columns first, then one range column,
/// then sort keys; verifies each with hypopg when the extension is installed.
enum IndexAdvisor {
    struct Query {
        let text: String
        let parameterCount: Int
    }

    struct Candidate: Hashable {
        let schema: String
        let table: String
        let columns: [String]
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
    static func plan(_ query: Query, on connection: PostgresConnection) throws(BackendError) -> PlanNode {
        try connection.query("DEALLOCATE ALL")
        try connection.query("PREPARE senior_backend_advice AS \(query.text)")
        let arguments = Array(repeating: "NULL", count: query.parameterCount).joined(separator: ", ")
        let call = query.parameterCount == 0 ? "" : "(\(arguments))"
        let text =
            try connection.query("EXPLAIN (FORMAT JSON) EXECUTE senior_backend_advice\(call)").rows.first?.first ?? nil
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
        var order: [Candidate] = []
        for (query, plan) in plans {
            for candidate in candidates(in: plan, catalog: catalog) where !alreadyIndexed(candidate, catalog: catalog) {
                if sources[candidate] == nil { order.append(candidate) }
                sources[candidate, default: []].append(query.text)
            }
        }
        let hypopg = catalog.extensions.contains("hypopg")
        if !hypopg { notes.append("hypopg is not installed in this database: suggestions are unverified") }
        var suggestions: [IndexSuggestion] = []
        for candidate in order {
            let table = "\(quoteIdentifier(candidate.schema)).\(quoteIdentifier(candidate.table))"
            let columns = candidate.columns.map(quoteIdentifier)
            let name = String("\(candidate.table)_\(candidate.columns.joined(separator: "_"))_idx".prefix(63))
            let qualifiedName = "\(quoteIdentifier(candidate.schema)).\(quoteIdentifier(name))"
            var suggestion = IndexSuggestion(
                table: table, columns: candidate.columns,
                createSQL:
                    "CREATE INDEX CONCURRENTLY IF NOT EXISTS \(quoteIdentifier(name)) ON \(table) (\(columns.joined(separator: ", ")));",
                dropSQL: "DROP INDEX CONCURRENTLY IF EXISTS \(qualifiedName);", verified: false, costBefore: nil,
                costAfter: nil, queries: sources[candidate] ?? [],
                reason:
                    "filters, joins or sorts on \(table)(\(columns.joined(separator: ", "))) read the table sequentially"
            )
            if hypopg {
                let affected = plans.filter { sources[candidate]?.contains($0.0.text) == true }
                let before = affected.map(\.1.totalCost).reduce(0, +)
                try connection.query(
                    "SELECT hypopg_create_index($1)", ["CREATE INDEX ON \(table) (\(columns.joined(separator: ", ")))"])
                var after = 0.0
                for (query, _) in affected { after += try plan(query, on: connection).totalCost }
                try connection.query("SELECT hypopg_reset()")
                suggestion.costBefore = before
                suggestion.costAfter = after
                suggestion.verified = after < before * 0.9
                if !suggestion.verified { continue }  // the planner would not use it: not worth suggesting
                suggestion.reason += "; hypopg: planned cost \(Int(before)) -> \(Int(after))"
            }
            suggestions.append(suggestion)
        }
        return (suggestions, notes)
    }

    /// Candidate indexes from sequential scans: equality columns, then one range column, then sort keys.
    static func candidates(in plan: PlanNode, catalog: CatalogSnapshot) -> [Candidate] {
        var found: [Candidate] = []
        func visit(_ node: PlanNode, sortKeys: [String]) {
            let keys = node.type == "Sort" ? node.sortKeys : (node.type == "Seq Scan" ? sortKeys : [])
            if node.type == "Seq Scan", let relation = node.relation {
                let schema = node.schema ?? "public"
                let known = Set(
                    catalog.tables.first { $0.schema == schema && $0.name == relation }.map {
                        catalog.columns(of: $0.oid).map(\.name)
                    } ?? [])
                var equality: [String] = []
                var range: [String] = []
                for match in (node.filter ?? "").matches(of: /\(?([A-Za-z_][A-Za-z0-9_]*)\)? (=|<=|>=|<|>|IS NULL)/) {
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
                if !columns.isEmpty {
                    found.append(Candidate(schema: schema, table: relation, columns: Array(columns.prefix(3))))
                }
            }
            for child in node.children {
                visit(child, sortKeys: node.type == "Sort" ? node.sortKeys : (node.type == "Seq Scan" ? [] : keys))
            }
        }
        visit(plan, sortKeys: [])
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
