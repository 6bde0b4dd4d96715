import BackendCore
import Foundation
import PostgresClient
import SchemaDiff

/// Input of `apply_migration` (schema: `schemas/apply_migration.input.json`).
public struct ApplyRequest: Codable, Sendable, Equatable {
    public var connection: String?
    /// Migration files, or folders of them, applied in version order.
    public var files: [String]
    /// Run each file inside a transaction and roll it back (default true: the safe choice for agents).
    public var dryRun: Bool?
    /// Run the down file of the last applied version instead of applying.
    public var rollback: Bool?
    /// Apply even when the lint reports errors.
    public var allowLintErrors: Bool?
    /// How long to wait for another runner's lock, in seconds (default 30).
    public var lockWaitSeconds: Int?

    public init(files: [String], connection: String? = nil) {
        self.files = files
        self.connection = connection
    }

    enum CodingKeys: String, CodingKey {
        case connection, files, dryRun = "dry_run", rollback, allowLintErrors = "allow_lint_errors"
        case lockWaitSeconds = "lock_wait_seconds"
    }
}

/// Output of `apply_migration`.
public struct ApplyResult: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case applied, rolledBack = "rolled-back", dryRun = "dry-run", nothingToDo = "nothing-to-do"
        case blockedByLint = "blocked-by-lint", failed
        /// The person was asked to confirm the destructive statements and did not: nothing ran.
        case declined
    }

    public struct Step: Codable, Sendable, Equatable {
        public var version: String
        public var name: String
        public var file: String
        public var direction: String
        /// applied, already-applied, dry-run (rolled back), validated-on-shadow (non-transactional, dry run),
        /// not-run-in-dry-run (non-transactional, no shadow copy could take it), failed
        public var outcome: String
        public var durationMs: Double
        public var checksum: String
        public var statements: Int
        /// Locks the file took, seen before the dry run rolled back (`mode on relation`).
        public var locks: [String]
        /// How a non-transactional file was checked in a dry run: on a shadow copy of the schema, and
        /// what that copy cannot tell.
        public var shadow: String?

        enum CodingKeys: String, CodingKey {
            case version, name, file, direction, outcome, durationMs = "duration_ms", checksum, statements, locks
            case shadow
        }
    }

    public struct Failure: Codable, Sendable, Equatable {
        public var file: String
        public var statement: String?
        public var message: String
    }

    public var database: String
    public var status: Status
    public var dryRun: Bool
    public var lint: [MigrationLinter.Issue]
    public var steps: [Step]
    public var failure: Failure?
    public var nextStep: String

    /// A file failed or the lint blocked the run: an error result over MCP, exit status 1 on the CLI.
    public var failedCheck: Bool { status == .failed || status == .blockedByLint }

    enum CodingKeys: String, CodingKey {
        case database, status, dryRun = "dry_run", lint, steps, failure, nextStep = "next_step"
    }

    /// The person did not confirm the destructive statements (non-empty): nothing ran.
    public static func declined(database: String, _ statements: [MigrationRunner.DestructiveStatement]) -> ApplyResult {
        let first = statements[0]
        return ApplyResult(
            database: database, status: .declined, dryRun: false, lint: [], steps: [], failure: nil,
            nextStep:
                "Not confirmed: nothing was applied. \(statements.count) destructive statement(s), the first \(first.file) #\(first.statement): \(first.text.prefix(120)). Review with dry_run true, then confirm when asked."
        )
    }
}

/// Applies migration files with a ledger, checksums, an advisory lock and one transaction per file.
public struct MigrationRunner: Sendable {
    public static let ledgerTable = "senior_backend_migrations"
    /// Advisory lock key: every runner of every senior-backend on the database shares it.
    static let lockKey = "hashtext('senior_backend_migrations')"

    public let environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// `confirmed`: the destructive statements a person confirmed (`destructiveStatements`, on another
    /// connection and earlier). The run checks them again under its lock, against the very texts it is about to
    /// execute, and applies nothing if a file or the ledger changed in between.
    public func run(
        _ request: ApplyRequest, confirmed: [DestructiveStatement]? = nil
    ) throws(BackendError)
        -> ApplyResult
    {
        guard !request.files.isEmpty else { throw .invalidInput("files: give at least one migration file or folder") }
        let files = try MigrationFile.collect(request.files)
        let dryRun = request.dryRun ?? true
        var lint = files.flatMap { MigrationLinter.lint(file: $0.path, script: SQLScript($0.text)) }
        if request.rollback == true {
            for file in files {
                guard let text = try file.downText() else { continue }
                lint += MigrationLinter.lint(file: file.downPath, script: SQLScript(text)).filter {
                    !$0.rule.hasPrefix("ban-drop")  // a down file drops what its up file made
                }
            }
        }
        let url = PostgresConnection.resolve(request.connection, environment: environment)
        let connection = try PostgresConnection.connect(url, applicationName: "senior-backend apply_migration")
        var result = ApplyResult(
            database: connection.displayName, status: .nothingToDo, dryRun: dryRun, lint: lint, steps: [], failure: nil,
            nextStep: "")
        if lint.contains(where: { $0.level == .error }), request.allowLintErrors != true {
            result.status = .blockedByLint
            result.nextStep =
                "Fix the lint errors (or pass allow_lint_errors after review): "
                + Set(lint.filter { $0.level == .error }.map(\.rule)).sorted().joined(separator: ", ")
            return result
        }
        // If this process dies, the server notices within a second and rolls the file back.
        try connection.query("SET client_connection_check_interval = '1s'")
        try acquireLock(connection, waitSeconds: max(0, min(request.lockWaitSeconds ?? 30, 3600)))
        defer { _ = try? connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))") }
        let ledgerExists =
            try connection.query("SELECT to_regclass($1) IS NOT NULL", [Self.ledgerTable]).rows.first?.first == "t"
        let applied = ledgerExists ? try appliedVersions(connection) : [:]
        if let confirmed, !dryRun {
            let now = try Self.destructive(in: files, applied: applied, rollback: request.rollback == true)
            if now != confirmed {
                let changed = now.first { !confirmed.contains($0) } ?? confirmed.first { !now.contains($0) }
                result.status = .failed
                result.failure = .init(
                    file: changed?.file ?? "", statement: changed?.text,
                    message:
                        "the destructive statements changed after they were confirmed (\(confirmed.count) confirmed, \(now.count) now): a file or the ledger changed in between; nothing was applied"
                )
                result.nextStep = "Run again, and confirm the statements that are there now."
                return result
            }
        }
        if request.rollback == true {
            return try rollback(
                files: files, applied: applied, dryRun: dryRun, url: url, connection: connection, result: result)
        }
        // CREATE INDEX CONCURRENTLY and the like cannot run in a transaction that is rolled back: the dry
        // run plays every pending file, in order, on a shadow copy of the schema instead.
        let pending = files.filter { applied[$0.version] == nil }
        let shadow = dryRun && pending.contains(where: \.nonTransactional) ? shadowRun(pending, url: url) : nil
        for file in files {
            let checksum = try self.checksum(file.text, connection)
            if let previous = applied[file.version] {
                guard previous == checksum else {
                    result.status = .failed
                    result.failure = .init(
                        file: file.path, statement: nil,
                        message:
                            "checksum drift: \(file.version) was applied with checksum \(previous.prefix(12))…, the file now hashes to \(checksum.prefix(12))…; never edit an applied migration, write a new one"
                    )
                    result.nextStep = "Restore the applied file, and put the change in a new migration."
                    return result
                }
                result.steps.append(step(file, "up", "already-applied", 0, checksum, []))
                continue
            }
            do {
                let outcome = try apply(
                    file, direction: "up", dryRun: dryRun, checksum: checksum, shadow: shadow, on: connection)
                result.steps.append(outcome)
            } catch {
                result.status = .failed
                result.failure = failure(file: file.path, script: SQLScript(file.text), error: error)
                result.steps.append(step(file, "up", "failed", 0, checksum, []))
                result.nextStep =
                    "Nothing of \(file.path) was kept (its transaction rolled back); fix the statement and run again."
                return result
            }
        }
        let ran = result.steps.filter { $0.outcome != "already-applied" }
        result.status = ran.isEmpty ? .nothingToDo : (dryRun ? .dryRun : .applied)
        result.nextStep =
            switch result.status {
            case .dryRun:
                "Dry run rolled back\(shadow == nil ? "" : "; non-transactional files ran on a shadow copy of the schema, without rows")."
                    + " Review the locks and timings, then run again with dry_run false."
            case .applied: "Applied \(ran.count) migration(s); the ledger \(Self.ledgerTable) records them."
            default: "Nothing to apply: every file is in the ledger with the same checksum."
            }
        return result
    }

    /// A statement that loses data, in a file this request would run for real.
    public struct DestructiveStatement: Sendable, Equatable {
        public var file: String
        /// 1-based position of the statement in its file.
        public var statement: Int
        public var text: String
        public var reason: String
    }

    /// What a run for real would destroy: the destructive statements of the pending files, or of the down
    /// file a rollback runs, on the named database. A dry run destroys nothing. Reads the ledger only.
    public func destructiveStatements(
        _ request: ApplyRequest
    ) throws(BackendError) -> (database: String, statements: [DestructiveStatement]) {
        let files = try MigrationFile.collect(request.files)
        let url = PostgresConnection.resolve(request.connection, environment: environment)
        let connection = try PostgresConnection.connect(url, applicationName: "senior-backend apply_migration")
        guard request.dryRun == false else { return (connection.displayName, []) }
        let ledgerExists =
            try connection.query("SELECT to_regclass($1) IS NOT NULL", [Self.ledgerTable]).rows.first?.first == "t"
        let applied = ledgerExists ? try appliedVersions(connection) : [:]
        return (
            connection.displayName,
            try Self.destructive(in: files, applied: applied, rollback: request.rollback == true)
        )
    }

    /// The destructive statements among the scripts a run for real would execute: the pending files, or the
    /// down file of the last applied one for a rollback.
    static func destructive(
        in files: [MigrationFile], applied: [String: String], rollback: Bool
    ) throws(BackendError) -> [DestructiveStatement] {
        var scripts: [(path: String, text: String)] = files.filter { applied[$0.version] == nil }.map {
            ($0.path, $0.text)
        }
        if rollback {
            scripts = []
            if let last = files.last(where: { applied[$0.version] != nil }), let text = try last.downText() {
                scripts = [(last.downPath, text)]
            }
        }
        return scripts.flatMap { script in
            SQLScript(script.text).statements.enumerated().compactMap { number, statement in
                MigrationLinter.destructive(statement.normalized).map {
                    DestructiveStatement(file: script.path, statement: number + 1, text: statement.text, reason: $0)
                }
            }
        }
    }

    // MARK: Steps

    func apply(
        _ file: MigrationFile, direction: String, dryRun: Bool, checksum: String, shadow: ShadowRun?,
        on connection: PostgresConnection
    )
        throws(BackendError) -> ApplyResult.Step
    {
        let script = SQLScript(file.text)
        let start = ContinuousClock.now
        let setsLockTimeout = file.text.lowercased().contains("lock_timeout")
        if file.nonTransactional {
            if dryRun { return try shadowStep(file, direction: direction, checksum: checksum, shadow: shadow) }
            if !setsLockTimeout { try connection.query("SET lock_timeout = '5s'") }
            for statement in script.statements { try connection.query(statement.text) }
            try record(file, direction: direction, checksum: checksum, start: start, on: connection)
            return step(file, direction, "applied", milliseconds(since: start), checksum, [])
        }
        try connection.query("BEGIN")
        do {
            if !setsLockTimeout { try connection.query("SET LOCAL lock_timeout = '5s'") }
            try connection.execute(script: file.text)
            if dryRun {
                let locks = try connection.query(
                    """
                    SELECT mode || ' on ' || coalesce(relation::regclass::text, locktype) FROM pg_locks
                    WHERE pid = pg_backend_pid() AND granted AND locktype = 'relation'
                      AND relation NOT IN (SELECT oid FROM pg_class WHERE relnamespace = 'pg_catalog'::regnamespace)
                    ORDER BY 1
                    """
                ).rows.compactMap { $0.first ?? nil }
                try connection.query("ROLLBACK")
                return step(file, direction, "dry-run", milliseconds(since: start), checksum, locks)
            }
            try record(file, direction: direction, checksum: checksum, start: start, on: connection)
            try connection.query("COMMIT")
            return step(file, direction, "applied", milliseconds(since: start), checksum, [])
        } catch {
            _ = try? connection.query("ROLLBACK")
            throw error
        }
    }

    func rollback(
        files: [MigrationFile], applied: [String: String], dryRun: Bool, url: String, connection: PostgresConnection,
        result: ApplyResult
    ) throws(BackendError) -> ApplyResult {
        var result = result
        guard let last = files.last(where: { applied[$0.version] != nil }) else {
            result.nextStep = "Nothing to roll back: none of these files is applied."
            return result
        }
        guard let text = try last.downText() else {
            throw .invalidInput("\(last.path) is applied but has no down file at \(last.downPath)")
        }
        let down = MigrationFile(
            path: last.downPath, version: last.version, name: last.name, text: text,
            nonTransactional: text.contains("senior-backend: non-transactional")
                || text.uppercased().contains("CONCURRENTLY"))
        do {
            let shadow = dryRun && down.nonTransactional ? shadowRun([down], url: url) : nil
            result.steps.append(
                try apply(
                    down, direction: "down", dryRun: dryRun, checksum: applied[last.version] ?? "", shadow: shadow,
                    on: connection))
            result.status = dryRun ? .dryRun : .rolledBack
            result.nextStep =
                dryRun ? "Dry run of the rollback rolled back." : "Rolled back \(last.version)_\(last.name)."
        } catch {
            result.status = .failed
            result.failure = failure(file: down.path, script: SQLScript(text), error: error)
            result.nextStep = "The rollback failed and was undone; fix \(down.path)."
        }
        return result
    }

    // MARK: Shadow copy

    /// The files of a dry run played on a shadow copy of the schema: where the run stopped, if it did.
    struct ShadowRun {
        /// Why no shadow copy could be made (the role needs CREATEDB, say); nil when it was.
        var unavailable: String?
        /// Where the copy read back different from the live schema.
        var differences: [String] = []
        /// Files that ran to the end, by path.
        var passed: Set<String> = []
        /// The file that failed, and why; later files did not run.
        var failure: (path: String, error: BackendError)?
    }

    /// Plays `files` in order on a shadow copy of the schema, as a real run would run them.
    func shadowRun(_ files: [MigrationFile], url: String) -> ShadowRun {
        var run = ShadowRun()
        do throws(BackendError) {
            run.differences = try MigrationPlanner().withShadowCopy(of: url) { shadow throws(BackendError) in
                for file in files {
                    do throws(BackendError) {
                        if file.nonTransactional {
                            if !file.text.lowercased().contains("lock_timeout") {
                                try shadow.query("SET lock_timeout = '5s'")
                            }
                            for statement in SQLScript(file.text).statements { try shadow.query(statement.text) }
                        } else {
                            _ = try shadow.transaction { () throws(BackendError) in
                                try shadow.execute(script: file.text)
                            }
                        }
                        run.passed.insert(file.path)
                    } catch {
                        run.failure = (file.path, error)
                        return
                    }
                }
            }.differences
        } catch {
            run.unavailable = error.message
        }
        return run
    }

    /// The dry-run outcome of a non-transactional file: what the shadow copy made of it.
    func shadowStep(
        _ file: MigrationFile, direction: String, checksum: String, shadow: ShadowRun?
    ) throws(BackendError) -> ApplyResult.Step {
        var result = step(file, direction, "not-run-in-dry-run", 0, checksum, [])
        guard let shadow else { return result }
        if let unavailable = shadow.unavailable {
            result.shadow = "not validated: no shadow copy of the schema could be made (\(unavailable))"
            return result
        }
        if let failure = shadow.failure, failure.path == file.path { throw failure.error }
        guard shadow.passed.contains(file.path) else {
            result.shadow =
                "not validated: the shadow run stopped at \(shadow.failure.map { "\($0.path): \($0.error.message)" } ?? "an earlier file")"
            return result
        }
        result.outcome = "validated-on-shadow"
        let copy =
            shadow.differences.isEmpty
            ? "the copy read back equal to the live schema"
            : "the copy differs from the live schema in \(shadow.differences.count) place(s): \(shadow.differences.prefix(3).joined(separator: "; "))"
        result.shadow =
            "ran on a shadow copy of the schema, after the pending files before it (\(copy)); the copy holds no rows, so what only live data can break (duplicates under a unique index, build time, lock waits) is not checked"
        return result
    }

    // MARK: Ledger and lock

    func acquireLock(_ connection: PostgresConnection, waitSeconds: Int) throws(BackendError) {
        let deadline = ContinuousClock.now + .seconds(waitSeconds)
        while true {
            if try connection.query("SELECT pg_try_advisory_lock(\(Self.lockKey))").rows.first?.first == "t" { return }
            if ContinuousClock.now >= deadline {
                let holder =
                    try connection.query(
                        "SELECT pid::text FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = (\(Self.lockKey))::oid LIMIT 1"
                    ).rows.first?.first ?? nil
                throw BackendError(
                    .failed,
                    "another migration runner holds the lock\(holder.map { " (backend pid \($0))" } ?? "") and did not release it within \(waitSeconds) s; wait for it, or raise lock_wait_seconds"
                )
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    func createLedger(_ connection: PostgresConnection) throws(BackendError) {
        try connection.query(
            """
            CREATE TABLE IF NOT EXISTS \(Self.ledgerTable) (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                version text NOT NULL,
                name text NOT NULL,
                checksum text NOT NULL,
                direction text NOT NULL CHECK (direction IN ('up', 'down')),
                applied_at timestamptz NOT NULL DEFAULT now(),
                duration_ms numeric NOT NULL,
                applied_by text NOT NULL
            )
            """)
    }

    /// Versions whose latest ledger event is `up`, with the checksum they were applied with.
    func appliedVersions(_ connection: PostgresConnection) throws(BackendError) -> [String: String] {
        let rows = try connection.query(
            """
            SELECT DISTINCT ON (version) version, checksum, direction FROM \(Self.ledgerTable)
            ORDER BY version, id DESC
            """
        ).rows
        var applied: [String: String] = [:]
        for row in rows where row[2] == "up" { applied[row[0] ?? ""] = row[1] ?? "" }
        return applied
    }

    func record(
        _ file: MigrationFile, direction: String, checksum: String, start: ContinuousClock.Instant,
        on connection: PostgresConnection
    ) throws(BackendError) {
        let who = "\(ProcessInfo.processInfo.userName)@\(ProcessInfo.processInfo.hostName)"
        // Created in the same transaction as the first migration, so a crash leaves no trace at all.
        try createLedger(connection)
        try connection.query(
            """
            INSERT INTO \(Self.ledgerTable) (version, name, checksum, direction, duration_ms, applied_by)
            VALUES ($1, $2, $3, $4, $5, current_user || ' (' || $6 || ')')
            """,
            [file.version, file.name, checksum, direction, String(milliseconds(since: start)), who])
    }

    func checksum(_ text: String, _ connection: PostgresConnection) throws(BackendError) -> String {
        (try connection.query("SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')", [text]).rows.first?.first ?? nil)
            ?? ""
    }

    func step(
        _ file: MigrationFile, _ direction: String, _ outcome: String, _ duration: Double, _ checksum: String,
        _ locks: [String]
    ) -> ApplyResult.Step {
        .init(
            version: file.version, name: file.name, file: file.path, direction: direction, outcome: outcome,
            durationMs: duration, checksum: checksum, statements: SQLScript(file.text).statements.count, locks: locks,
            shadow: nil)
    }

    func failure(file: String, script: SQLScript, error: BackendError) -> ApplyResult.Failure {
        let position = error.message.firstMatch(of: /at character ([0-9]+)/).flatMap { Int($0.1) }
        let statement = position.flatMap { script.statement(atPosition: $0) }?.text
        return .init(file: file, statement: statement.map { String($0.prefix(500)) }, message: error.message)
    }

    func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return (Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15).rounded()
    }
}

extension ApplyResult {
    public var digest: Digest {
        var digest = Digest("Migration \(status.rawValue)\(dryRun ? " (dry run)" : "") on \(database)")
        for step in steps.prefix(6) {
            digest.bullet(
                "\(step.version)_\(step.name) \(step.direction): \(step.outcome), \(Int(step.durationMs)) ms"
                    + (step.locks.isEmpty ? "" : "; locks: \(step.locks.prefix(4).joined(separator: ", "))"))
        }
        if let failure {
            digest.bullet("Failed in \(failure.file): \(failure.message)")
            if let statement = failure.statement { digest.bullet("Statement: \(statement.prefix(160))") }
        }
        let errors = lint.filter { $0.level == .error }
        let warnings = lint.filter { $0.level == .warning }
        if !lint.isEmpty {
            digest.bullet(
                "Lint: \(errors.count) error(s), \(warnings.count) warning(s): "
                    + Set(lint.map(\.rule)).sorted().prefix(6).joined(separator: ", "))
        }
        digest.next(nextStep)
        return digest
    }
}
