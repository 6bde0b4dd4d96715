import ArgumentParser
import BackendCore
import Foundation
import MigrationRunner
import SchemaAnalysis
import SchemaDiff

struct Schema: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse a PostgreSQL schema, suggest indexes, explain a query (read-only).",
        discussion: """
            The connection is any libpq connection string or URI; without --connection, DATABASE_URL and then \
            the PG* variables are used. Exit status: 0 done (findings are not failures), 2 bad input or an \
            unreachable database.
            """
    )

    @Option(help: "libpq connection string or URI.") var connection: String?
    @Flag(help: "Run the schema checks (the default when nothing else is asked).") var analyze = false
    @Option(name: .customLong("check"), help: "Run only this check (repeatable).") var checks: [String] = []
    @Flag(help: "Propose indexes for the workload, verified with hypopg when installed.") var suggestIndexes = false
    @Option(name: .customLong("query"), help: "A workload query for --suggest-indexes (repeatable).")
    var queries: [String] = []
    @Option(help: "A query to explain.") var explain: String?
    @Flag(help: "Run the explained query (rolled back) for actual rows and times.") var explainAnalyze = false
    @Option(help: "Folder for erd.mmd and the index migration files.") var output: String?
    @Option(help: "Longest one catalog query may run, ms.") var statementTimeoutMs: Int?
    @Option(name: .customLong("migrate"), help: "Apply this migration file or folder (repeatable).")
    var migrations: [String] = []
    @Flag(help: "With --migrate: run each file and roll it back.") var dryRun = false
    @Flag(help: "With --migrate: run the down file of the last applied version.") var rollback = false
    @Flag(help: "With --migrate: apply despite lint errors (after review).") var allowLintErrors = false
    @Option(help: "With --migrate: seconds to wait for another runner's lock.") var lockWaitSeconds: Int?
    @Option(
        help: "Plan a migration from the live schema to this target .sql (file or folder); with --output, write it.")
    var compare: String?
    @Option(help: "Plan against a second database whose schema is the target, instead of a .sql file.")
    var compareConnection: String?
    @Flag(help: "With --compare: include drops and narrowing type changes.") var allowDestructive = false
    @Option(help: "With --compare: a few words for the file names.") var slug: String?
    @Option(name: .customLong("lint"), help: "Lint this migration file without connecting (repeatable).")
    var lintFiles: [String] = []
    @OptionGroup var report: ReportOptions

    func run() async throws {
        if !lintFiles.isEmpty {
            try lint()
            return
        }
        if !migrations.isEmpty {
            try migrate()
            return
        }
        if compare != nil || compareConnection != nil {
            try plan()
            return
        }
        var request = AnalyzeRequest(connection: connection)
        request.analyze = analyze || (!suggestIndexes && explain == nil)
        request.checks = checks.isEmpty ? nil : checks
        request.suggestIndexes = suggestIndexes
        request.queries = queries.isEmpty ? nil : queries
        request.explain = explain
        request.explainAnalyze = explainAnalyze
        request.output = output
        request.statementTimeoutMs = statementTimeoutMs
        let environment = ProcessInfo.processInfo.environment
        let result = try CommandOutput.run { try SchemaAnalyzer(environment: environment).analyze(request) }
        if report.json {
            try CommandOutput.emit(result, digest: result.digest, json: true)
        } else {
            print(result.markdown)
        }
    }
}

extension Schema {
    /// `--migrate`: applies for real unless `--dry-run` (over MCP the default is the dry run).
    func migrate() throws {
        var request = ApplyRequest(files: migrations, connection: connection)
        request.dryRun = dryRun
        request.rollback = rollback
        request.allowLintErrors = allowLintErrors
        request.lockWaitSeconds = lockWaitSeconds
        let environment = ProcessInfo.processInfo.environment
        let result = try CommandOutput.run { try MigrationRunner(environment: environment).run(request) }
        try CommandOutput.emit(result, digest: result.digest, json: report.json)
        if result.failedCheck { throw ExitCode(1) }
    }
}

extension Schema {
    /// `--lint`: the migration lint alone, no database needed; exit 1 when it reports an error.
    func lint() throws {
        let files = try CommandOutput.run { try MigrationFile.collect(lintFiles) }
        let issues = files.flatMap { MigrationLinter.lint(file: $0.path, script: SQLScript($0.text)) }
        if report.json {
            print(JSONWriter.string(try JSONValue(encoding: issues)))
        } else if issues.isEmpty {
            print("No lint issues in \(files.count) file(s).")
        } else {
            for issue in issues {
                print(
                    "\(issue.file): statement \(issue.statement): \(issue.level.rawValue) [\(issue.rule)] \(issue.message)"
                )
            }
        }
        if issues.contains(where: { $0.level == .error }) { throw ExitCode(1) }
    }
}

extension Schema {
    /// `--compare target.sql --output DIR`: plan, prove, and write when proven; exit 1 when the proof fails.
    func plan() throws {
        var request = PlanRequest(target: compare, connection: connection)
        request.targetConnection = compareConnection
        request.output = output
        request.allowDestructive = allowDestructive
        request.slug = slug
        let environment = ProcessInfo.processInfo.environment
        let result = try CommandOutput.run { try PlanMigration(environment: environment).run(request) }
        try CommandOutput.emit(result, digest: result.digest, json: report.json)
        if result.failedCheck { throw ExitCode(1) }
    }
}
