import BackendCore
import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

@testable import ToolCatalog

/// A cancelled call stops its work on the server too: the running statement gets PQcancel.
@Suite struct CancellationTests {
    @Test func cancellingAnAnalyzeCallCancelsItsRunningStatement() async throws {
        let database = try TestDatabase("cancel")
        defer { database.drop() }
        let catalog = try ToolCatalog.make(environment: [:])
        let tool = try #require(catalog.tool(named: "analyze_schema"))
        let arguments: JSONValue = .object(
            JSONObject([
                "connection": .string(database.url), "explain": .string("SELECT pg_sleep(60)"),
                "explain_analyze": .bool(true),
            ]))
        let call = Task { try await tool.call(arguments, context: SilentToolContext()) }
        let observer = try database.connect()
        // Wait until the statement runs on the server (the catalog and the advice come first, slow under the
        // parallel suites), then cancel the call.
        var running = false
        let waitUntil = ContinuousClock.now + .seconds(60)
        while !running && ContinuousClock.now < waitUntil {
            try await Task.sleep(for: .milliseconds(50))
            running = try Self.sleepers(observer, database.name) > 0
        }
        #expect(running, "the explained pg_sleep never started")
        // Timed from the cancel: under the parallel suites the work before the statement can take long.
        let cancelled = ContinuousClock.now
        call.cancel()
        _ = try? await call.value
        #expect(ContinuousClock.now - cancelled < .seconds(20), "the call waited for pg_sleep to finish")
        var stopped = false
        for _ in 0..<50 where !stopped {
            stopped = try Self.sleepers(observer, database.name) == 0
            if !stopped { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(stopped, "pg_sleep still runs on the server after the call was cancelled")
    }

    static func sleepers(_ connection: PostgresConnection, _ database: String) throws -> Int {
        let result = try connection.query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND query LIKE '%pg_sleep(60)%' "
                + "AND state = 'active' AND pid <> pg_backend_pid()", [database])
        return Int(result.rows.first?.first.flatMap { $0 } ?? "0") ?? 0
    }
}
