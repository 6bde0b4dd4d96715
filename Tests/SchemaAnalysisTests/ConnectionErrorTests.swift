import BackendCore
import Foundation
import PostgresClient
import PostgresTestSupport
import SchemaAnalysis
import Testing

/// Bad connections and failing statements give clear errors with no secret in them.
@Suite struct ConnectionErrorTests {
    static func admin() throws -> String { try TestDatabase.adminURL() }

    static func password(in url: String) -> String {
        let userInfo = url.components(separatedBy: "@")[0].components(separatedBy: "//")[1]
        return userInfo.components(separatedBy: ":")[1]
    }

    @Test func aWrongPasswordIsClearAndMasked() throws {
        let url = try Self.admin()
        let wrong = url.replacingOccurrences(of: ":\(Self.password(in: url))@", with: ":not-the-password-42@")
        let error = #expect(throws: BackendError.self) { try PostgresConnection.connect(wrong) }
        #expect(error?.code == .unreachable)
        #expect(error?.message.contains("password authentication failed") == true, "\(String(describing: error))")
        #expect(error?.message.contains("not-the-password-42") == false)
        #expect(error?.message.contains(":***@") == true)
    }

    @Test func anUnreachableHostIsClear() {
        let error = #expect(throws: BackendError.self) {
            try PostgresConnection.connect("postgres://app:secretpw@127.0.0.1:1/db", timeoutSeconds: 2)
        }
        #expect(error?.code == .unreachable)
        #expect(error?.message.contains("secretpw") == false)
        #expect(error?.message.contains("Connection refused") == true, "\(String(describing: error))")
    }

    @Test func aMissingDatabaseIsClear() throws {
        let url = ConnectionString.replacingDatabase(in: try Self.admin(), with: "no_such_database_here")
        let error = #expect(throws: BackendError.self) { try PostgresConnection.connect(url) }
        #expect(error?.message.contains("does not exist") == true, "\(String(describing: error))")
        #expect(error?.message.contains(Self.password(in: url)) == false)
    }

    @Test func aStatementTimeoutCarriesItsSQLState() throws {
        let connection = try PostgresConnection.connect(try Self.admin())
        try connection.query("SET statement_timeout = 50")
        let error = #expect(throws: BackendError.self) { try connection.query("SELECT pg_sleep(2)") }
        #expect(error?.message.contains("SQLSTATE 57014") == true, "\(String(describing: error))")
    }

    @Test func aRoleWithoutRightsIsRefusedClearly() throws {
        let database = try TestDatabase(
            "rights", script: "CREATE TABLE secret_stuff (id int); REVOKE ALL ON secret_stuff FROM PUBLIC;")
        defer { database.drop() }
        let admin = try PostgresConnection.connect(database.url)
        let role = "r_\(UUID().uuidString.prefix(8).lowercased())"
        try admin.query("CREATE ROLE \(role) LOGIN PASSWORD 'role-pass-123'")
        defer { _ = try? admin.query("DROP OWNED BY \(role); DROP ROLE \(role)") }
        let roleURL = database.url.replacingOccurrences(
            of: "postgres:\(Self.password(in: database.url))@", with: "\(role):role-pass-123@")
        let connection = try PostgresConnection.connect(roleURL)
        let error = #expect(throws: BackendError.self) { try connection.query("SELECT * FROM secret_stuff") }
        #expect(error?.code == .refused)
        #expect(error?.message.contains("SQLSTATE 42501") == true)
        #expect(error?.message.contains("role-pass-123") == false)
    }

    @Test func syntaxErrorsGiveThePosition() throws {
        let connection = try PostgresConnection.connect(try Self.admin())
        let error = #expect(throws: BackendError.self) { try connection.query("SELECT FROM WHERE") }
        #expect(error?.message.contains("SQLSTATE 42601") == true)
        #expect(error?.message.contains("at character") == true)
    }

    @Test func multiStatementScriptsRunAsPsqlRunsThem() throws {
        let database = try TestDatabase("script")
        defer { database.drop() }
        let connection = try PostgresConnection.connect(database.url)
        let result = try connection.execute(
            script:
                "CREATE TABLE a (x int); INSERT INTO a VALUES (1), (2); DO $$ BEGIN RAISE NOTICE 'hello'; END $$; SELECT count(*) FROM a;"
        )
        #expect(result.rows == [["2"]])
        #expect(connection.notices.contains { $0.contains("hello") })
    }
}
