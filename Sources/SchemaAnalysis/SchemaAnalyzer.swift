import BackendCore
import Foundation
import PostgresClient

/// Input of `analyze_schema` (schema: `schemas/analyze_schema.input.json`).
public struct AnalyzeRequest: Codable, Sendable, Equatable {
    /// A libpq connection string or URI; empty: `DATABASE_URL`, then the `PG*` variables.
    public var connection: String?
    /// Longest a single catalog query may run, in milliseconds (default 30,000).
    public var statementTimeoutMs: Int?
    /// Run the schema checks (default true).
    public var analyze: Bool?
    /// Run only these checks (ids); default all.
    public var checks: [String]?
    /// Propose indexes for the workload (verified with hypopg when installed).
    public var suggestIndexes: Bool?
    /// The workload for index advice; default: the costliest statements of pg_stat_statements.
    public var queries: [String]?
    /// A query to explain.
    public var explain: String?
    /// Run the explained query (inside a transaction that is rolled back) for actual rows and times.
    public var explainAnalyze: Bool?
    /// A folder for the ER diagram (`erd.mmd`) and the index migration files.
    public var output: String?

    public init(connection: String? = nil) {
        self.connection = connection
    }

    enum CodingKeys: String, CodingKey {
        case connection, statementTimeoutMs = "statement_timeout_ms", analyze, checks
        case suggestIndexes = "suggest_indexes", queries, explain, explainAnalyze = "explain_analyze", output
    }
}

/// Output of `analyze_schema`.
public struct AnalysisResult: Codable, Sendable, Equatable {
    public var database: String
    public var serverVersion: Int
    public var tables: Int
    public var indexes: Int
    public var foreignKeys: Int
    /// Catalog queries the analysis ran: the same for 10 tables or 10,000.
    public var catalogQueries: Int
    public var checksRun: Int
    public var findings: [Finding]
    /// When statistics were last reset: unused-index findings only count scans since then.
    public var statsReset: String?
    public var indexSuggestions: [IndexSuggestion]?
    /// Where the index advice's workload came from: given, pg_stat_statements, or none.
    public var workloadSource: String?
    public var notes: [String]
    public var explain: ExplainReport?
    /// Files written under `output`.
    public var files: [String]

    enum CodingKeys: String, CodingKey {
        case database, serverVersion = "server_version", tables, indexes, foreignKeys = "foreign_keys"
        case catalogQueries = "catalog_queries", checksRun = "checks_run", findings, statsReset = "stats_reset"
        case indexSuggestions = "index_suggestions", workloadSource = "workload_source", notes, explain, files
    }
}

/// Reads a database's catalog in a read-only transaction and runs the checks over it.
public struct SchemaAnalyzer: Sendable {
    public let environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    public func analyze(_ request: AnalyzeRequest) throws(BackendError) -> AnalysisResult {
        let runChecks = request.analyze ?? true
        let checks = runChecks ? try Self.selectChecks(request.checks) : []
        let connection = try PostgresConnection.connect(
            PostgresConnection.resolve(request.connection, environment: environment),
            applicationName: "senior-backend analyze_schema")
        let timeout = max(100, min(request.statementTimeoutMs ?? 30_000, 600_000))
        var suggestions: [IndexSuggestion]?
        var source: String?
        var notes: [String] = []
        var explainAdvice: [IndexSuggestion] = []
        let catalog = try connection.transaction(readOnly: true, rollback: true) { () throws(BackendError) in
            try connection.query("SET LOCAL statement_timeout = \(timeout)")
            let catalog = try CatalogSnapshot.load(from: connection)
            if request.suggestIndexes == true {
                let workload = try IndexAdvisor.workload(request.queries, catalog: catalog, connection: connection)
                source = workload.source
                if workload.queries.isEmpty {
                    notes.append(
                        "no workload: pass queries, or install pg_stat_statements (shared_preload_libraries) and let it collect"
                    )
                }
                let advice = try IndexAdvisor.suggest(
                    queries: workload.queries, catalog: catalog, connection: connection)
                suggestions = advice.suggestions
                notes += advice.notes
            }
            // The explained query gets its own index advice, weighed the same way.
            if let sql = request.explain {
                let advice = try IndexAdvisor.suggest(
                    queries: [IndexAdvisor.query(sql)], catalog: catalog, connection: connection)
                explainAdvice = advice.suggestions
                notes += advice.notes.filter { !notes.contains($0) }
            }
            return catalog
        }
        let explain = try request.explain.map { sql throws(BackendError) in
            var report = try QueryExplainer.explain(
                sql, analyze: request.explainAnalyze == true, on: connection, timeoutMs: timeout)
            report.indexSuggestions = explainAdvice
            report.nextSteps = QueryExplainer.nextSteps(
                report, hypopgInstalled: catalog.extensions.contains("hypopg"))
            return report
        }
        if checks.contains(where: { ["never_vacuumed", "never_analyzed"].contains($0.id) }),
            let pending = MaintenanceChecks.pending(catalog)
        {
            notes.append(pending)
        }
        let findings = checks.flatMap { $0.run(catalog) }.sorted {
            ($0.severity, $1.check, $1.object) > ($1.severity, $0.check, $0.object)
        }
        var files: [String] = []
        if let output = request.output {
            files = try Self.write(output: output, catalog: catalog, suggestions: suggestions ?? [])
        }
        return AnalysisResult(
            database: connection.displayName, serverVersion: catalog.serverVersion, tables: catalog.tables.count,
            indexes: catalog.indexes.count, foreignKeys: catalog.constraints.filter { $0.kind == "f" }.count,
            catalogQueries: catalog.queryCount, checksRun: checks.count, findings: findings,
            statsReset: catalog.statsReset, indexSuggestions: suggestions, workloadSource: source, notes: notes,
            explain: explain, files: files)
    }

    /// Writes `erd.mmd` and, when there are suggestions, a non-transactional up/down migration pair.
    static func write(
        output: String, catalog: CatalogSnapshot, suggestions: [IndexSuggestion]
    ) throws(BackendError)
        -> [String]
    {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw .invalidInput("output \(output) is a file; give a folder")
        }
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            var written: [String] = []
            let erd = (output as NSString).appendingPathComponent("erd.mmd")
            try EntityRelationshipDiagram.mermaid(catalog).write(toFile: erd, atomically: true, encoding: .utf8)
            written.append(erd)
            if !suggestions.isEmpty {
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = TimeZone(identifier: "UTC")
                formatter.dateFormat = "yyyyMMddHHmmss"
                let stem = "\(formatter.string(from: Date()))_suggested_indexes"
                let header = """
                    -- senior-backend: non-transactional (CREATE/DROP INDEX CONCURRENTLY cannot run in a transaction)
                    SET lock_timeout = '5s';

                    """
                let up =
                    header + suggestions.map { "-- \($0.reason)\n\($0.createSQL)" }.joined(separator: "\n\n") + "\n"
                let down = header + suggestions.reversed().map(\.dropSQL).joined(separator: "\n") + "\n"
                for (suffix, text) in [("up", up), ("down", down)] {
                    let path = (output as NSString).appendingPathComponent("\(stem).\(suffix).sql")
                    try text.write(toFile: path, atomically: true, encoding: .utf8)
                    written.append(path)
                }
            }
            return written
        } catch {
            throw BackendError(.failed, "cannot write to \(output): \(error.localizedDescription)")
        }
    }

    static func selectChecks(_ ids: [String]?) throws(BackendError) -> [SchemaCheck] {
        guard let ids, !ids.isEmpty else { return SchemaChecks.all }
        let known = Set(SchemaChecks.all.map(\.id))
        if let unknown = ids.first(where: { !known.contains($0) }) {
            throw .invalidInput(
                "unknown check \(unknown); known: \(SchemaChecks.all.map(\.id).joined(separator: ", "))")
        }
        return SchemaChecks.all.filter { ids.contains($0.id) }
    }
}

extension AnalysisResult {
    /// The digest: the explained plan when there is one, else counts by severity and the worst findings.
    public var digest: Digest {
        if let explain { return explainDigest(explain) }
        let counts = Dictionary(grouping: findings, by: \.severity).mapValues(\.count)
        var digest = Digest(
            "\(findings.count) finding(s) in \(database): \(counts[.critical] ?? 0) critical, \(counts[.warning] ?? 0) warning, \(counts[.info] ?? 0) info"
        )
        digest.add(
            "\(tables) tables, \(indexes) indexes, \(foreignKeys) foreign keys; \(checksRun) checks, \(catalogQueries) catalog queries."
        )
        for finding in findings.prefix(5) {
            digest.bullet("[\(finding.severity.rawValue)] \(finding.check): \(finding.message)")
        }
        if findings.count > 5 { digest.add("… and \(findings.count - 5) more in the structured result.") }
        if let indexSuggestions {
            let verified = indexSuggestions.filter(\.verified).count
            digest.bullet(
                "Index advice (\(workloadSource ?? "none")): \(indexSuggestions.count) suggestion(s), \(verified) verified with hypopg"
                    + (indexSuggestions.first.map { "; first: \($0.createSQL)" } ?? ""))
        }
        if !files.isEmpty {
            digest.bullet("Wrote \(files.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")).")
        }
        digest.next(
            findings.isEmpty
                ? "Nothing to fix. Re-run after the next schema change."
                : "Review the fix_sql of each finding (critical first); apply it through a migration, and keep undo_sql beside it."
        )
        return digest
    }

    /// The plan as a condensed tree, the costly nodes, and the change to make first.
    func explainDigest(_ explain: ExplainReport) -> Digest {
        let time =
            explain.executionMs.map { ", \(ExplainReport.milliseconds($0)) (run and rolled back)" } ?? " (not run)"
        var digest = Digest(
            "Plan of \(explain.query.prefix(80)): cost \(ExplainReport.count(explain.totalCost))\(time)")
        digest.add("```")
        for line in explain.tree(limit: 10) { digest.add(line) }
        digest.add("```")
        let costly = explain.hotspots.filter { $0.kind == "costly_node" }
        if !costly.isEmpty {
            digest.bullet("Costly: " + costly.map { "\($0.node), \($0.detail)" }.joined(separator: "; "))
        }
        let other = explain.hotspots.filter { $0.kind != "costly_node" }
        if !other.isEmpty {
            digest.bullet("Hotspots: " + other.prefix(3).map { "\($0.kind) (\($0.node))" }.joined(separator: ", "))
        }
        if checksRun > 0 {
            let critical = findings.filter { $0.severity == .critical }.count
            digest.bullet(
                "Schema checks: \(findings.count) finding(s), \(critical) critical, in the structured result.")
        }
        for step in explain.nextSteps.dropFirst().prefix(1) { digest.bullet("Then: \(step)") }
        digest.next(
            explain.nextSteps.first
                ?? "Nothing to change: no node is costly for a known reason (no big sequential scan, misestimate or spill)."
        )
        return digest
    }
}
