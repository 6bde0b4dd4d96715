import Foundation

/// What can go wrong when a statement runs on a live, busy database.
public enum Hazard: String, Codable, Sendable, CaseIterable {
    /// The table is rewritten (every row copied) under an ACCESS EXCLUSIVE lock.
    case tableRewrite = "table_rewrite"
    /// A lock that blocks reads or writes for longer than a catalog update (a scan or a rewrite).
    case longLock = "long_lock"
    /// Rows or values are lost (a dropped table or column, a narrowed type).
    case dataLoss = "data_loss"
    /// An index is built (time and I/O proportional to the table).
    case indexBuild = "index_build"
    /// A type change the server has no assignment cast for: `USING` converts each row, and a value that
    /// does not convert makes the statement fail.
    case castMayFail = "cast_may_fail"
    /// Rows are moved into a partitioned table: a row no partition takes, or a key the moved rows break,
    /// makes the statement (and the transaction) fail.
    case rowsMayNotFit = "rows_may_not_fit"
}

/// One statement of a migration, without its terminating semicolon.
public struct MigrationStatement: Codable, Equatable, Sendable {
    public var sql: String
    public var hazards: [Hazard]
    /// Loses data or can fail on existing data; emitted only with `allowDestructive`.
    public var destructive: Bool
    /// False for statements that cannot run inside a transaction block (`... CONCURRENTLY`).
    public var transactional: Bool

    public init(_ sql: String, hazards: [Hazard] = [], destructive: Bool = false, transactional: Bool = true) {
        self.sql = sql
        self.hazards = hazards
        self.destructive = destructive
        self.transactional = transactional
    }
}

/// A destructive change left out of a plan because `allowDestructive` was false.
public struct PendingChange: Codable, Equatable, Sendable {
    public var object: String
    public var reason: String
    /// The statements that would make the change.
    public var statements: [String]
}

/// The statements that take one schema to another, in the order they must run: first every
/// transactional statement (one transaction), then the non-transactional ones, each on its own.
public struct SchemaChange: Codable, Equatable, Sendable {
    public var statements: [MigrationStatement]
    public var pending: [PendingChange]

    public var transactional: [MigrationStatement] { statements.filter(\.transactional) }
    public var nonTransactional: [MigrationStatement] { statements.filter { !$0.transactional } }
    public var isEmpty: Bool { statements.isEmpty }
}
