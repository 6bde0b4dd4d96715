import BackendCore
import Foundation
import PostgresClient

/// The result of the proof on the shadow databases.
public struct ProofOutcome: Codable, Equatable, Sendable {
    /// Up reached the target and down came back to the start.
    public var passed: Bool
    /// Where rebuilding the live schema from its catalog into the shadow fell short (the proof then
    /// cannot run); empty when the copy was exact.
    public var copyDifferences: [String]
    /// Where the copy after `up` differs from the target (beyond the pending destructive changes).
    public var upDifferences: [String]
    /// Where the copy after `up` then `down` differs from the start.
    public var downDifferences: [String]
    /// The statement that failed, with the server's message, when one did.
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case passed, copyDifferences = "copy_differences", upDifferences = "up_differences"
        case downDifferences = "down_differences", error
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

    public init(lockTimeout: String = "5s", statementTimeout: String = "15min") {
        self.lockTimeout = lockTimeout
        self.statementTimeout = statementTimeout
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
        do {
            try targetShadow.connect().execute(script: targetSQL)
        } catch {
            throw BackendError(.invalidInput, "the target script does not load into a fresh database: \(error.message)")
        }
        let target = try SchemaModel.load(from: try targetShadow.connect())
        return try prove(live: live, liveURL: liveURL, start: start, target: target, allowDestructive: allowDestructive)
    }

    /// Plans from the live database to the schema of a second database, read from its catalog directly (no
    /// shadow for the target); the proof still runs on shadows of the live server. A target that is the
    /// live database itself gives an empty, proven plan.
    public func plan(liveURL: String, targetURL: String, allowDestructive: Bool) throws(BackendError) -> MigrationPlan {
        let live = try PostgresConnection.connect(liveURL)
        let start = try SchemaModel.load(from: live)
        let target: SchemaModel
        do {
            target = try SchemaModel.load(from: try PostgresConnection.connect(targetURL))
        } catch {
            throw BackendError(error.code, "cannot read the target database: \(error.message)")
        }
        return try prove(live: live, liveURL: liveURL, start: start, target: target, allowDestructive: allowDestructive)
    }

    /// Diffs `start` (the live schema) to `target` and proves up and down on a shadow copy of the live schema.
    private func prove(
        live: PostgresConnection, liveURL: String, start: SchemaModel, target: SchemaModel, allowDestructive: Bool
    ) throws(BackendError) -> MigrationPlan {
        let change = SchemaDiffer(allowDestructive: allowDestructive).diff(from: start, to: target)

        var proof = ProofOutcome(passed: false, copyDifferences: [], upDifferences: [], downDifferences: [], error: nil)
        var down: [MigrationStatement] = []
        let copy = try ShadowDatabase(server: live, url: liveURL, label: "copy")
        defer { copy.drop(using: live) }
        let connection = try copy.connect()
        do {
            let empty = try SchemaModel.load(from: connection)
            let bootstrap = SchemaDiffer(allowDestructive: true, concurrentIndexes: false).diff(from: empty, to: start)
            try apply(bootstrap.statements, to: connection, what: "rebuilding the live schema")
            proof.copyDifferences = try SchemaModel.load(from: connection).differences(to: start)
            guard proof.copyDifferences.isEmpty else {
                proof.error = "the live schema could not be rebuilt exactly from its catalog"
                let fallback = SchemaDiffer(allowDestructive: true).diff(from: target, to: start)
                return makePlan(change, fallback.statements, proof)
            }
            try apply(change.statements, to: connection, what: "up")
            let reached = try SchemaModel.load(from: connection)
            let residual = SchemaDiffer(allowDestructive: false).diff(from: reached, to: target)
            proof.upDifferences =
                change.pending.isEmpty || !residual.statements.isEmpty ? reached.differences(to: target) : []
            down = SchemaDiffer(allowDestructive: true).diff(from: reached, to: start).statements
            try apply(down, to: connection, what: "down")
            proof.downDifferences = try SchemaModel.load(from: connection).differences(to: start)
            proof.passed = proof.upDifferences.isEmpty && proof.downDifferences.isEmpty
        } catch {
            proof.error = error.message
        }
        return makePlan(change, down, proof)
    }

    private func makePlan(_ change: SchemaChange, _ down: [MigrationStatement], _ proof: ProofOutcome) -> MigrationPlan
    {
        MigrationPlan(
            up: change.statements, down: down, pending: change.pending, proof: proof, header: header,
            nonTransactionalHeader: nonTransactionalHeader)
    }

    /// Runs statements as the written files would run: the header and every transactional statement in one
    /// transaction, then each non-transactional statement on its own.
    public func apply(
        _ statements: [MigrationStatement], to connection: PostgresConnection, what: String = "migration"
    ) throws(BackendError) {
        var current = ""
        do {
            try connection.transaction { () throws(BackendError) in
                for sql in header { try connection.query(sql) }
                for statement in statements where statement.transactional {
                    current = statement.sql
                    try connection.query(statement.sql)
                }
            }
            for sql in nonTransactionalHeader { try connection.query(sql) }
            for statement in statements where !statement.transactional {
                current = statement.sql
                try connection.query(statement.sql)
            }
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
