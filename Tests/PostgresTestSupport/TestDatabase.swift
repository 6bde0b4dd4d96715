import BackendCore
import Foundation
import PostgresClient

/// A database of its own on the test cluster that `scripts/test.sh` starts (`SENIOR_BACKEND_TEST_PG`).
///
/// Without the cluster the tests fail with a message saying how to start it; they are never skipped.
public struct TestDatabase: Sendable {
    public static let variable = "SENIOR_BACKEND_TEST_PG"

    public let name: String
    public let url: String
    private let adminURL: String

    public static func adminURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty else {
            throw BackendError(
                .unreachable,
                "\(variable) is not set: run scripts/test.sh, or start a cluster with scripts/pg-cluster.sh start DIR and export its URL"
            )
        }
        return url
    }

    /// Creates an empty database named after `label` (made unique) and loads `script` into it.
    public init(_ label: String, script: String? = nil) throws {
        adminURL = try Self.adminURL()
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let cleaned = label.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        name = "t_\(String(cleaned).prefix(40))_\(suffix)"
        let admin = try PostgresConnection.connect(adminURL)
        try admin.query("CREATE DATABASE \(name) TEMPLATE template0")
        url = ConnectionString.replacingDatabase(in: adminURL, with: name)
        if let script {
            let connection = try PostgresConnection.connect(url)
            try connection.execute(script: script)
            // Fixtures that need planner statistics run ANALYZE themselves; activity counters are flushed here.
            try connection.execute(script: "SELECT pg_stat_force_next_flush();")
        }
    }

    public func connect() throws -> PostgresConnection { try PostgresConnection.connect(url) }

    public func drop() {
        guard let admin = try? PostgresConnection.connect(adminURL) else { return }
        _ = try? admin.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Reads `Fixtures/<name>.sql` beside the calling test file.
    public static func fixture(_ name: String, filePath: String = #filePath) throws -> String {
        let path = URL(fileURLWithPath: filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(name).sql")
        return try String(contentsOf: path, encoding: .utf8)
    }
}
