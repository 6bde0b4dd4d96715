import BackendCore
import Foundation
import PostgresClient
import PostgresTestSupport

/// The migra fixtures beside these tests, and the roles they grant to.
enum MigraFixtures {
    /// Roles the migra fixtures grant to; created once per cluster.
    static func prepareCluster() throws {
        let admin = try PostgresConnection.connect(try TestDatabase.adminURL())
        try admin.execute(
            script: """
                DO $$ BEGIN CREATE ROLE schemainspect_test_role;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
                """)
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
