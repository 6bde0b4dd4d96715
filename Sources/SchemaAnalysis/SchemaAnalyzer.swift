import BackendCore
import Foundation
import PostgresClient

/// Input of `analyze_schema` (schema: `schemas/analyze_schema.input.json`).
public struct AnalyzeRequest: Codable, Sendable, Equatable {
    /// A libpq connection string or URI; empty: `DATABASE_URL`, then the `PG*` variables.
    public var connection: String?
    /// Longest a single catalog query may run, in milliseconds (default 30,000).
    public var statementTimeoutMs: Int?
    /// Run only these checks (ids); default all.
    public var checks: [String]?

    public init(connection: String? = nil, statementTimeoutMs: Int? = nil, checks: [String]? = nil) {
        self.connection = connection
        self.statementTimeoutMs = statementTimeoutMs
        self.checks = checks
    }

    enum CodingKeys: String, CodingKey {
        case connection, statementTimeoutMs = "statement_timeout_ms", checks
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

    enum CodingKeys: String, CodingKey {
        case database, serverVersion = "server_version", tables, indexes, foreignKeys = "foreign_keys"
        case catalogQueries = "catalog_queries", checksRun = "checks_run", findings, statsReset = "stats_reset"
    }
}

/// Reads a database's catalog in a read-only transaction and runs the checks over it.
public struct SchemaAnalyzer: Sendable {
    public let environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    public func analyze(_ request: AnalyzeRequest) throws(BackendError) -> AnalysisResult {
        let checks = try Self.selectChecks(request.checks)
        let connection = try PostgresConnection.connect(
            PostgresConnection.resolve(request.connection, environment: environment),
            applicationName: "senior-backend analyze_schema")
        let timeout = max(100, min(request.statementTimeoutMs ?? 30_000, 600_000))
        let catalog = try connection.transaction(readOnly: true, rollback: true) { () throws(BackendError) in
            try connection.query("SET LOCAL statement_timeout = \(timeout)")
            return try CatalogSnapshot.load(from: connection)
        }
        let findings = checks.flatMap { $0.run(catalog) }.sorted {
            ($0.severity, $1.check, $1.object) > ($1.severity, $0.check, $0.object)
        }
        return AnalysisResult(
            database: connection.displayName, serverVersion: catalog.serverVersion, tables: catalog.tables.count,
            indexes: catalog.indexes.count, foreignKeys: catalog.constraints.filter { $0.kind == "f" }.count,
            catalogQueries: catalog.queryCount, checksRun: checks.count, findings: findings,
            statsReset: catalog.statsReset)
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
    /// The digest: counts by severity, the worst findings, the next step.
    public var digest: Digest {
        let counts = Dictionary(grouping: findings, by: \.severity).mapValues(\.count)
        var digest = Digest(
            "\(findings.count) finding(s) in \(database): \(counts[.critical] ?? 0) critical, \(counts[.warning] ?? 0) warning, \(counts[.info] ?? 0) info"
        )
        digest.add(
            "\(tables) tables, \(indexes) indexes, \(foreignKeys) foreign keys; \(checksRun) checks, \(catalogQueries) catalog queries."
        )
        for finding in findings.prefix(6) {
            digest.bullet("[\(finding.severity.rawValue)] \(finding.check): \(finding.message)")
        }
        if findings.count > 6 { digest.add("… and \(findings.count - 6) more in the structured result.") }
        digest.next(
            findings.isEmpty
                ? "Nothing to fix. Re-run after the next schema change."
                : "Review the fix_sql of each finding (critical first); apply it through a migration, and keep undo_sql beside it."
        )
        return digest
    }
}
