import BackendCore
import Foundation
import PostgresClient

/// How the shadow databases were compared.
public enum ProofLevel: String, Codable, Equatable, Sendable {
    /// By `pg_dump --schema-only` of both sides (see `SchemaDump`) and by `SchemaModel`: a proof.
    case pgDump = "pg_dump"
    /// By `SchemaModel` alone, which sees only what it reads: a check, never a proof.
    case model
}

/// The result of the proof on the shadow databases.
public struct ProofOutcome: Codable, Equatable, Sendable {
    /// Proven: compared with pg_dump, up reached the target and down came back to the start. Never true
    /// at model level.
    public var passed: Bool
    public var level: ProofLevel
    /// The pg_dump used, or why none was (then the run is a model-level check only, not a proof).
    public var note: String
    /// Where rebuilding the live schema from its catalog into the shadow fell short (the proof then
    /// cannot run); empty when the copy was exact.
    public var copyDifferences: [String]
    /// Where the copy after `up` differs from the target (beyond the pending destructive changes).
    public var upDifferences: [String]
    /// Where the copy after `up` then `down` differs from the start.
    public var downDifferences: [String]
    /// Where the pg_dump of a shadow differs from the one it must equal: short unified-diff excerpts,
    /// `-` what the shadow has, `+` what it should have, each headed by the comparison.
    public var dumpDifferences: [String]
    /// The statement that failed, with the server's message, when one did.
    public var error: String?

    /// Every comparison found nothing and nothing failed (at whichever level).
    public var clean: Bool {
        error == nil && copyDifferences.isEmpty && upDifferences.isEmpty && downDifferences.isEmpty
            && dumpDifferences.isEmpty
    }

    enum CodingKeys: String, CodingKey {
        case passed, level, note, copyDifferences = "copy_differences", upDifferences = "up_differences"
        case downDifferences = "down_differences", dumpDifferences = "dump_differences", error
    }
}

/// A planned, proven migration.
public struct MigrationPlan: Codable, Equatable, Sendable {
    /// Every up statement in order: the transactional ones run first, in one transaction, then the rest.
    public var up: [MigrationStatement]
    /// Every down statement, same convention.
    public var down: [MigrationStatement]
    /// Destructive changes held back because `allowDestructive` was false.
    public var pending: [PendingChange]
    public var proof: ProofOutcome
    /// The session settings each file starts with.
    public var header: [String]
    public var nonTransactionalHeader: [String]

    public var upTransactional: [MigrationStatement] { up.filter(\.transactional) }
    public var upNonTransactional: [MigrationStatement] { up.filter { !$0.transactional } }
    public var downTransactional: [MigrationStatement] { down.filter(\.transactional) }
    public var downNonTransactional: [MigrationStatement] { down.filter { !$0.transactional } }
    public var isEmpty: Bool { up.isEmpty && pending.isEmpty }
}

/// Plans a migration from a live database to a target `.sql` script and proves it on shadow databases.
///
/// Shadows are created on the live database's server (`CREATE DATABASE`, so the role needs CREATEDB)
/// from `template0` and always dropped again; the live database is only read. The proof:
/// 1. the target script is loaded into shadow `T`; the live and target catalogs are read;
/// 2. shadow `C` is built from the live catalog alone (the diff from an empty database to the live
///    schema) and must read back equal to the live schema;
/// 3. `up` is applied to `C` (transactional statements in one transaction, then the others); `C` must
///    equal the target, apart from pending destructive changes when those were held back;
/// 4. `down`, planned from what `C` now is back to the live schema, is applied; `C` must equal the start.
public struct MigrationPlanner: Sendable {
    public var lockTimeout: String
    public var statementTimeout: String
    /// Where a pg_dump for the complete comparison is looked for (none found: a model-level check only).
    public var pgDumpFolders: [String]

    public init(
        lockTimeout: String = "5s", statementTimeout: String = "15min",
        pgDumpFolders: [String] = PgDump.folders(environment: ProcessInfo.processInfo.environment)
    ) {
        self.lockTimeout = lockTimeout
        self.statementTimeout = statementTimeout
        self.pgDumpFolders = pgDumpFolders
    }

    public var header: [String] {
        [
            "SET lock_timeout = \(SQLText.literal(lockTimeout))",
            "SET statement_timeout = \(SQLText.literal(statementTimeout))",
            "SET check_function_bodies = false",
        ]
    }

    /// Index builds are not bounded by the statement timeout, only by the lock timeout.
    public var nonTransactionalHeader: [String] {
        ["SET lock_timeout = \(SQLText.literal(lockTimeout))", "SET statement_timeout = 0"]
    }

    public func plan(liveURL: String, targetSQL: String, allowDestructive: Bool) throws(BackendError) -> MigrationPlan {
        let live = try PostgresConnection.connect(liveURL)
        let start = try SchemaModel.load(from: live)
        let targetShadow = try ShadowDatabase(server: live, url: liveURL, label: "target")
        defer { targetShadow.drop(using: live) }
        let targetConnection = try targetShadow.connect()
        do {
            try targetConnection.execute(script: targetSQL)
        } catch {
            throw BackendError(.invalidInput, "the target script does not load into a fresh database: \(error.message)")
        }
        let target = try SchemaModel.load(from: targetConnection)
        return try prove(
            live: live, liveURL: liveURL, start: start, target: target, targetConnection: targetConnection,
            allowDestructive: allowDestructive)
    }

    /// Plans from the live database to the schema of a second database, read from its catalog directly (no
    /// shadow for the target); the proof still runs on shadows of the live server. A target that is the
    /// live database itself gives an empty, proven plan.
    public func plan(liveURL: String, targetURL: String, allowDestructive: Bool) throws(BackendError) -> MigrationPlan {
        let live = try PostgresConnection.connect(liveURL)
        let start = try SchemaModel.load(from: live)
        let targetConnection: PostgresConnection
        let target: SchemaModel
        do {
            targetConnection = try PostgresConnection.connect(targetURL)
            target = try SchemaModel.load(from: targetConnection)
        } catch {
            throw BackendError(error.code, "cannot read the target database: \(error.message)")
        }
        return try prove(
            live: live, liveURL: liveURL, start: start, target: target, targetConnection: targetConnection,
            allowDestructive: allowDestructive)
    }

    /// The pg_dump able to dump both servers, or nil with the reason.
    func locatePgDump(for servers: [PostgresConnection]) -> (PgDump?, String) {
        let major = servers.map { $0.serverVersion / 10000 }.max() ?? 0
        guard let found = PgDump.locate(atLeast: major, in: pgDumpFolders) else {
            return (
                nil,
                "model-level check only, not proven: no pg_dump of major version \(major) or later on PATH or "
                    + "under /usr/lib/postgresql/<major>/bin (install postgresql-client-\(major))"
            )
        }
        return (found, "pg_dump \(found.version) (\(found.path))")
    }

    /// Diffs `start` (the live schema) to `target` and proves up and down on a shadow copy of the live
    /// schema: each state of the copy is compared with the one it must equal by `SchemaModel` and, when a
    /// compatible pg_dump is found, by the pg_dump of both (which does not depend on what the model reads).
    private func prove(
        live: PostgresConnection, liveURL: String, start: SchemaModel, target: SchemaModel,
        targetConnection: PostgresConnection, allowDestructive: Bool
    ) throws(BackendError) -> MigrationPlan {
        let change = SchemaDiffer(allowDestructive: allowDestructive).diff(from: start, to: target)
        let (pgDump, note) = locatePgDump(for: [live, targetConnection])
        var proof = ProofOutcome(
            passed: false, level: pgDump == nil ? .model : .pgDump, note: note, copyDifferences: [],
            upDifferences: [], downDifferences: [], dumpDifferences: [], error: nil)
        var down: [MigrationStatement] = []
        let copy = try ShadowDatabase(server: live, url: liveURL, label: "copy")
        defer { copy.drop(using: live) }
        let connection = try copy.connect()
        /// Dumps the shadow and lists where it differs from `expected` (nothing without pg_dump).
        func compare(_ label: String, with expected: SchemaDump?) throws(BackendError) {
            guard let pgDump, let expected else { return }
            let actual = try pgDump.dump(connection, lockTimeout: lockTimeout)
            proof.dumpDifferences += actual.differences(to: expected).map { "\(label):\n\($0)" }
        }
        do {
            let empty = try SchemaModel.load(from: connection)
            let bootstrap = SchemaDiffer(allowDestructive: true, concurrentIndexes: false).diff(from: empty, to: start)
            try apply(bootstrap.statements, to: connection, what: "rebuilding the live schema")
            proof.copyDifferences = try SchemaModel.load(from: connection).differences(to: start)
            let liveDump = try pgDump?.dump(live, lockTimeout: lockTimeout)
            try compare("the copy of live in the shadow vs live", with: liveDump)
            guard proof.copyDifferences.isEmpty && proof.dumpDifferences.isEmpty else {
                proof.error = "the live schema could not be rebuilt exactly from its catalog"
                let fallback = Self.downDiffer.diff(from: target, to: start)
                return makePlan(change, fallback.statements, proof)
            }
            let targetDump = try pgDump?.dump(targetConnection, lockTimeout: lockTimeout)
            try apply(change.statements, to: connection, what: "up")
            let reached = try SchemaModel.load(from: connection)
            let residual = SchemaDiffer(allowDestructive: false).diff(from: reached, to: target)
            proof.upDifferences =
                change.pending.isEmpty || !residual.statements.isEmpty ? reached.differences(to: target) : []
            if change.pending.isEmpty { try compare("the shadow after up vs the target", with: targetDump) }
            down = Self.downDiffer.diff(from: reached, to: start).statements
            try apply(down, to: connection, what: "down", concurrentFirst: true)
            proof.downDifferences = try SchemaModel.load(from: connection).differences(to: start)
            try compare("the shadow after up and down vs live", with: liveDump)
            if !change.pending.isEmpty, pgDump != nil {
                let leftOver = try proveWithPending(change, target: target, on: connection) { () throws(BackendError) in
                    try compare("the shadow after up and the pending changes vs the target", with: targetDump)
                }
                proof.upDifferences += leftOver
            }
            proof.passed = proof.level == .pgDump && proof.clean
        } catch {
            proof.error = error.message
        }
        return makePlan(change, down, proof)
    }

    /// Plans a down: apply_migration rolls its concurrent file back before its transactional one, so keys
    /// and partitions' indexes are built in the transaction (see `SchemaDiffer.plansDown`).
    static var downDiffer: SchemaDiffer {
        var differ = SchemaDiffer(allowDestructive: true)
        differ.plansDown = true
        return differ
    }

    /// With destructive changes held back, up alone cannot reach the target. Up is applied again (down
    /// came back to the start) and then the remainder the model plans from there to the target: that
    /// remainder must hold back exactly the pending changes, and the result must dump as the target does.
    private func proveWithPending(
        _ change: SchemaChange, target: SchemaModel, on connection: PostgresConnection,
        compare: () throws(BackendError) -> Void
    ) throws(BackendError) -> [String] {
        try apply(change.statements, to: connection, what: "up (again, before the pending changes)")
        let reached = try SchemaModel.load(from: connection)
        let heldBack = SchemaDiffer(allowDestructive: false).diff(from: reached, to: target)
        let pending = Set(heldBack.pending.map(\.object))
        var leftOver: [String] = []
        if !heldBack.statements.isEmpty || pending != Set(change.pending.map(\.object)) {
            leftOver.append(
                "after up, what is left to reach the target is not exactly the pending changes: "
                    + pending.symmetricDifference(change.pending.map(\.object)).sorted().joined(separator: ", "))
        }
        let remainder = SchemaDiffer(allowDestructive: true).diff(from: reached, to: target)
        try apply(remainder.statements, to: connection, what: "the pending changes")
        try compare()
        return leftOver
    }

    private func makePlan(_ change: SchemaChange, _ down: [MigrationStatement], _ proof: ProofOutcome) -> MigrationPlan
    {
        MigrationPlan(
            up: change.statements, down: down, pending: change.pending, proof: proof, header: header,
            nonTransactionalHeader: nonTransactionalHeader)
    }

    /// Runs statements as the written files would run: the header and every transactional statement in one
    /// transaction, and each non-transactional statement on its own; after the transaction going up, before
    /// it coming down (apply_migration rolls the later `_concurrent` migration back first).
    public func apply(
        _ statements: [MigrationStatement], to connection: PostgresConnection, what: String = "migration",
        concurrentFirst: Bool = false
    ) throws(BackendError) {
        var current = ""
        func runConcurrent() throws(BackendError) {
            for sql in nonTransactionalHeader { try connection.query(sql) }
            for statement in statements where !statement.transactional {
                current = statement.sql
                try connection.query(statement.sql)
            }
        }
        do {
            if concurrentFirst { try runConcurrent() }
            try connection.transaction { () throws(BackendError) in
                for sql in header { try connection.query(sql) }
                for statement in statements where statement.transactional {
                    current = statement.sql
                    try connection.query(statement.sql)
                }
            }
            if !concurrentFirst { try runConcurrent() }
            try connection.query("RESET ALL")
        } catch {
            throw BackendError(error.code, "\(what) failed at `\(current)`: \(error.message)")
        }
    }
}

/// Plans `liveURL` -> `targetSQL` and proves the plan (see `MigrationPlanner`).
public func plan(liveURL: String, targetSQL: String, allowDestructive: Bool) throws(BackendError) -> MigrationPlan {
    try MigrationPlanner().plan(liveURL: liveURL, targetSQL: targetSQL, allowDestructive: allowDestructive)
}

/// Plans `liveURL` -> the schema of the database at `targetURL` and proves the plan (see `MigrationPlanner`).
public func plan(liveURL: String, targetURL: String, allowDestructive: Bool) throws(BackendError) -> MigrationPlan {
    try MigrationPlanner().plan(liveURL: liveURL, targetURL: targetURL, allowDestructive: allowDestructive)
}
