import BackendCore
import Foundation
import MigrationRunner
import PostgresClient
import PostgresTestSupport
import Testing

/// The runner against the test cluster: ledger, dry run, failures, drift, rollback, lock.
@Suite final class MigrationRunnerTests {
    let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "migrations-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// A class so that each test's migrations folder is removed when the test ends.
    deinit { try? FileManager.default.removeItem(atPath: folder) }

    func write(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func request(_ database: TestDatabase, dryRun: Bool, rollback: Bool = false) -> ApplyRequest {
        var request = ApplyRequest(files: [folder], connection: database.url)
        request.dryRun = dryRun
        request.rollback = rollback
        request.allowLintErrors = true
        return request
    }

    /// A fingerprint of the user schema, to prove a dry run changed nothing.
    static func catalogHash(_ url: String) throws -> String {
        let connection = try PostgresConnection.connect(url)
        return try connection.query(
            """
            SELECT md5(coalesce(string_agg(c.relname || ':' || c.relkind::text || ':' || coalesce(a.cols, ''), '|' ORDER BY c.relname), ''))
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN LATERAL (SELECT string_agg(attname || format_type(atttypid, atttypmod) || attnotnull, ',' ORDER BY attnum) AS cols
                               FROM pg_attribute WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped) a ON true
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
            """
        ).rows[0][0] ?? ""
    }

    @Test func appliesOnceWithALedgerAndThenHasNothingToDo() throws {
        let database = try TestDatabase("apply")
        defer { database.drop() }
        _ = try write(
            "20260101000000_create_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);")
        _ = try write("20260101000000_create_users.down.sql", "DROP TABLE users;")
        _ = try write("20260102000000_add_note.sql", "SET lock_timeout = '1s'; ALTER TABLE users ADD COLUMN note text;")
        let runner = MigrationRunner(environment: [:])
        let first = try runner.run(request(database, dryRun: false))
        #expect(first.status == .applied)
        #expect(first.steps.map(\.outcome) == ["applied", "applied"])
        let connection = try PostgresConnection.connect(database.url)
        let ledger = try connection.query(
            "SELECT version, name, direction, length(checksum), applied_by <> '' FROM senior_backend_migrations ORDER BY id"
        ).rows
        #expect(
            ledger == [
                ["20260101000000", "create_users", "up", "64", "t"], ["20260102000000", "add_note", "up", "64", "t"],
            ])
        let second = try runner.run(request(database, dryRun: false))
        #expect(second.status == .nothingToDo)
        #expect(second.steps.map(\.outcome) == ["already-applied", "already-applied"])
    }

    @Test func aDryRunLeavesTheCatalogIdenticalAndReportsLocks() throws {
        let database = try TestDatabase("dry", script: "CREATE TABLE users (id bigint PRIMARY KEY);")
        defer { database.drop() }
        _ = try write(
            "20260101000000_alter.up.sql",
            "ALTER TABLE users ADD COLUMN email text; CREATE TABLE audit (id bigint PRIMARY KEY);")
        let before = try Self.catalogHash(database.url)
        let result = try MigrationRunner(environment: [:]).run(request(database, dryRun: true))
        #expect(result.status == .dryRun)
        #expect(
            result.steps.first?.locks.contains { $0.contains("AccessExclusiveLock on users") } == true,
            "\(result.steps)")
        #expect(try Self.catalogHash(database.url) == before)
    }

    @Test func aFailingStatementRollsTheFileBackAndNamesTheStatement() throws {
        let database = try TestDatabase("fail")
        defer { database.drop() }
        _ = try write(
            "20260101000000_broken.up.sql",
            "CREATE TABLE a (id bigint PRIMARY KEY);\nINSERT INTO a VALUES (1);\nINSERT INTO missing_table VALUES (2);")
        let result = try MigrationRunner(environment: [:]).run(request(database, dryRun: false))
        #expect(result.status == .failed)
        #expect(result.failure?.statement == "INSERT INTO missing_table VALUES (2)")
        #expect(result.failure?.message.contains("SQLSTATE 42P01") == true)
        let connection = try PostgresConnection.connect(database.url)
        #expect(try connection.query("SELECT to_regclass('a') IS NULL").rows == [["t"]])
        // The ledger is created in the migration's own transaction, so nothing of the run remains.
        #expect(try connection.query("SELECT to_regclass('senior_backend_migrations') IS NULL").rows == [["t"]])
    }

    @Test func anEditedAppliedFileIsRefused() throws {
        let database = try TestDatabase("drift")
        defer { database.drop() }
        let path = try write("20260101000000_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY);")
        _ = try MigrationRunner(environment: [:]).run(request(database, dryRun: false))
        try "CREATE TABLE users (id bigint PRIMARY KEY, extra text);".write(
            toFile: path, atomically: true, encoding: .utf8)
        let result = try MigrationRunner(environment: [:]).run(request(database, dryRun: false))
        #expect(result.status == .failed)
        #expect(result.failure?.message.contains("checksum drift") == true)
    }

    /// The statements a person confirmed bind the run: a file that changed between the question and the run
    /// (another connection, later) applies nothing, whether it gained a drop or lost one; the same statements
    /// run. Confirming "no destructive statement" binds too.
    @Test(arguments: [
        ("DROP TABLE audit;", "DROP TABLE audit;", true),
        ("DROP TABLE audit;", "DROP TABLE audit; DROP TABLE users;", false),
        ("CREATE TABLE extra (id int);", "DROP TABLE users;", false),
        ("DROP TABLE audit;", "CREATE TABLE extra (id int);", false),
    ])
    func confirmedStatementsBindTheRun(asked: String, run: String, applies: Bool) throws {
        let database = try TestDatabase(
            "confirmed", script: "CREATE TABLE users (id int); CREATE TABLE audit (id int);")
        defer { database.drop() }
        let path = try write("20260101000000_change.up.sql", asked)
        let runner = MigrationRunner(environment: [:])
        let confirmed = try runner.destructiveStatements(request(database, dryRun: false)).statements
        try run.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runner.run(request(database, dryRun: false), confirmed: confirmed)
        #expect(result.status == (applies ? .applied : .failed))
        let tables = try database.connect().query(
            "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname IN ('users', 'audit', 'extra')"
        )
        if applies {
            #expect(tables.rows == [["users"]])
        } else {
            #expect(result.failure?.message.contains("changed after they were confirmed") == true)
            #expect(tables.rows == [["audit,users"]])
        }
    }

    @Test func rollbackRunsTheDownFileOfTheLastApplied() throws {
        let database = try TestDatabase("rollback")
        defer { database.drop() }
        _ = try write("20260101000000_a.up.sql", "CREATE TABLE a (id bigint PRIMARY KEY);")
        _ = try write("20260101000000_a.down.sql", "DROP TABLE a;")
        _ = try write("20260102000000_b.up.sql", "CREATE TABLE b (id bigint PRIMARY KEY);")
        _ = try write("20260102000000_b.down.sql", "DROP TABLE b;")
        let runner = MigrationRunner(environment: [:])
        _ = try runner.run(request(database, dryRun: false))
        let result = try runner.run(request(database, dryRun: false, rollback: true))
        #expect(result.status == .rolledBack)
        #expect(result.steps.map(\.version) == ["20260102000000"])
        let connection = try PostgresConnection.connect(database.url)
        #expect(try connection.query("SELECT to_regclass('b') IS NULL, to_regclass('a') IS NULL").rows == [["t", "f"]])
        let again = try runner.run(request(database, dryRun: false))
        #expect(again.steps.map(\.outcome) == ["already-applied", "applied"])
    }

    @Test func concurrentIndexFilesRunOutsideATransaction() throws {
        let database = try TestDatabase("concurrent", script: "CREATE TABLE t (id bigint PRIMARY KEY, x int);")
        defer { database.drop() }
        _ = try write(
            "20260101000000_index.up.sql", "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY t_x_idx ON t (x);")
        let result = try MigrationRunner(environment: [:]).run(request(database, dryRun: false))
        #expect(result.status == .applied, "\(String(describing: result.failure))")
        let connection = try PostgresConnection.connect(database.url)
        #expect(
            try connection.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_x_idx'::regclass").rows == [
                ["t"]
            ])
    }

    @Test func lintErrorsBlockUnlessOverridden() throws {
        let database = try TestDatabase("lint", script: "CREATE TABLE users (id bigint PRIMARY KEY);")
        defer { database.drop() }
        _ = try write("20260101000000_bad.up.sql", "ALTER TABLE users ADD COLUMN age int NOT NULL;")
        var request = request(database, dryRun: false)
        request.allowLintErrors = nil
        let result = try MigrationRunner(environment: [:]).run(request)
        #expect(result.status == .blockedByLint)
        #expect(result.nextStep.contains("adding-required-field"))
    }

    @Test func aSecondRunnerWaitsForTheLockThenFailsClearly() throws {
        let database = try TestDatabase("lock")
        defer { database.drop() }
        _ = try write("20260101000000_a.up.sql", "CREATE TABLE a (id bigint PRIMARY KEY);")
        let holder = try PostgresConnection.connect(database.url)
        try holder.query("SELECT pg_advisory_lock(hashtext('senior_backend_migrations'))")
        var request = request(database, dryRun: false)
        request.lockWaitSeconds = 1
        let error = #expect(throws: BackendError.self) { try MigrationRunner(environment: [:]).run(request) }
        #expect(error?.message.contains("another migration runner holds the lock") == true)
    }
}

/// The dry run of a non-transactional file: played on a shadow copy of the schema, never on the database.
@Suite final class ShadowDryRunTests {
    let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "shadow-migrations-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        /// File name -> contents, run in name order.
        let files: [(String, String)]
        let outcomes: [String]
        /// Part of the failure message, when the run must fail.
        let failure: String?
        var testDescription: String { label }
    }

    static let cases = [
        Case(
            label: "an index on an existing table",
            files: [("20260101000000_index.up.sql", "CREATE INDEX CONCURRENTLY t_x_idx ON t (x);")],
            outcomes: ["validated-on-shadow"], failure: nil),
        Case(
            label: "an index on a table an earlier pending file creates",
            files: [
                ("20260101000000_table.up.sql", "CREATE TABLE u (id bigint PRIMARY KEY, y int);"),
                ("20260102000000_index.up.sql", "CREATE INDEX CONCURRENTLY u_y_idx ON u (y);"),
            ],
            outcomes: ["dry-run", "validated-on-shadow"], failure: nil),
        Case(
            label: "an index on a column that does not exist",
            files: [("20260101000000_index.up.sql", "CREATE INDEX CONCURRENTLY t_z_idx ON t (z);")],
            outcomes: ["failed"], failure: "column \"z\" does not exist"),
    ]

    @Test(arguments: cases)
    func nonTransactionalFilesAreValidatedOnAShadowCopy(_ example: Case) throws {
        let database = try TestDatabase("shadow_dry_run", script: "CREATE TABLE t (id bigint PRIMARY KEY, x int);")
        defer { database.drop() }
        for (name, text) in example.files {
            try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
        let before = try MigrationRunnerTests.catalogHash(database.url)
        var request = ApplyRequest(files: [folder], connection: database.url)
        request.dryRun = true
        request.allowLintErrors = true
        let result = try MigrationRunner(environment: [:]).run(request)
        #expect(result.steps.map(\.outcome) == example.outcomes, "\(String(describing: result.failure))")
        #expect(try MigrationRunnerTests.catalogHash(database.url) == before)
        if let failure = example.failure {
            #expect(result.status == .failed)
            #expect(result.failure?.message.contains(failure) == true, "\(String(describing: result.failure))")
        } else {
            #expect(result.status == .dryRun)
            let step = try #require(result.steps.last)
            #expect(step.shadow?.contains("ran on a shadow copy of the schema") == true, "\(step)")
            #expect(step.shadow?.contains("the copy holds no rows") == true)
            #expect(result.nextStep.contains("shadow copy"))
            #expect(result.digest.render().contains("validated-on-shadow"))
        }
    }

    @Test func withoutTheRightToCreateAShadowTheFileIsNotRunAndTheResultSaysWhy() throws {
        let database = try TestDatabase("shadow_refused", script: "CREATE TABLE t (id bigint PRIMARY KEY, x int);")
        defer { database.drop() }
        try "CREATE INDEX CONCURRENTLY t_x_idx ON t (x);".write(
            toFile: folder + "/20260101000000_index.up.sql", atomically: true, encoding: .utf8)
        let admin = try PostgresConnection.connect(database.url)
        let role = "r_\(UUID().uuidString.prefix(8).lowercased())"
        try admin.query("CREATE ROLE \(role) LOGIN PASSWORD 'role-pass-123' NOCREATEDB")
        try admin.query("GRANT ALL ON SCHEMA public TO \(role)")
        try admin.query("ALTER TABLE t OWNER TO \(role)")
        defer {
            _ = try? admin.query("DROP OWNED BY \(role)")
            _ = try? admin.query("DROP ROLE \(role)")
        }
        let password = database.url.components(separatedBy: "@")[0].components(separatedBy: ":").last ?? ""
        var request = ApplyRequest(
            files: [folder],
            connection: database.url.replacingOccurrences(of: "postgres:\(password)@", with: "\(role):role-pass-123@"))
        request.dryRun = true
        let result = try MigrationRunner(environment: [:]).run(request)
        let step = try #require(result.steps.first)
        #expect(step.outcome == "not-run-in-dry-run")
        #expect(step.shadow?.contains("CREATEDB") == true, "\(String(describing: step.shadow))")
    }
}
