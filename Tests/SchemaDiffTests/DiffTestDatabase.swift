import BackendCore
import Foundation
import PostgresClient

/// A database of its own on the test cluster (`SENIOR_BACKEND_TEST_PG`); without the cluster the tests
/// fail with a message saying how to start it, never skip.
struct DiffTestDatabase {
    static let variable = "SENIOR_BACKEND_TEST_PG"

    let name: String
    let url: String
    private let adminURL: String

    static func adminURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty else {
            throw BackendError(
                .unreachable,
                "\(variable) is not set: run scripts/test.sh, or start a cluster with scripts/pg-cluster.sh start DIR and export its URL"
            )
        }
        return url
    }

    /// Roles the migra fixtures grant to; created once per cluster.
    static func prepareCluster() throws {
        let admin = try PostgresConnection.connect(try adminURL())
        try admin.execute(
            script: """
                DO $$ BEGIN CREATE ROLE schemainspect_test_role;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
                """)
    }

    init(_ label: String, script: String? = nil) throws {
        adminURL = try Self.adminURL()
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let cleaned = label.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        name = "d_\(String(cleaned).prefix(40))_\(suffix)"
        let admin = try PostgresConnection.connect(adminURL)
        try admin.query("CREATE DATABASE \(name) TEMPLATE template0")
        url = ConnectionStringForTests.replace(adminURL, name)
        if let script {
            try PostgresConnection.connect(url).execute(script: script)
        }
    }

    func connect() throws -> PostgresConnection { try PostgresConnection.connect(url) }

    func drop() {
        guard let admin = try? PostgresConnection.connect(adminURL) else { return }
        _ = try? admin.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    static func fixture(_ caseName: String, _ file: String) throws -> String {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(caseName)/\(file).sql")
        return try String(contentsOf: path, encoding: .utf8)
    }

    static var fixtureCases: [String] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.contains(".") && $0 != "own" }.sorted()
    }
}

enum ConnectionStringForTests {
    static func replace(_ url: String, _ database: String) -> String {
        let scheme = url.range(of: "://")!.upperBound
        let rest = url[scheme...]
        let queryStart = rest.firstIndex(of: "?") ?? rest.endIndex
        let authority = rest[..<queryStart]
        let hostPart = authority.firstIndex(of: "/").map { authority[..<$0] } ?? authority
        return String(url[..<scheme]) + hostPart + "/" + database + rest[queryStart...]
    }
}
