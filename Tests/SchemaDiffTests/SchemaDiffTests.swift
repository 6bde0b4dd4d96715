import BackendCore
import Foundation
import PostgresClient
import SchemaDiff
import Testing

@Suite(.serialized) struct SchemaDiffTests {
    static func extras() throws -> (a: String, b: String) {
        (try DiffTestDatabase.fixture("own/extras", "a"), try DiffTestDatabase.fixture("own/extras", "b"))
    }

    /// Comments, grants, policies, RLS, a disabled trigger, a materialised view with an index, a check and
    /// a foreign key added to tables with rows: proven, and labelled the lock-aware way.
    @Test func extrasAreProvenAndLockAware() throws {
        try DiffTestDatabase.prepareCluster()
        let (a, b) = try Self.extras()
        let live = try DiffTestDatabase("extras", script: a)
        defer { live.drop() }
        let plan = try SchemaDiff.plan(liveURL: live.url, targetSQL: b, allowDestructive: false)
        #expect(plan.proof.passed, "\(plan.proof)")
        let up = plan.up.map(\.sql)
        let index = try #require(plan.up.first { $0.sql.contains("ledger_account_idx") })
        #expect(index.sql.hasPrefix("CREATE INDEX CONCURRENTLY"))
        #expect(!index.transactional && index.hazards == [.indexBuild])
        #expect(up.contains { $0.contains("FOREIGN KEY") && $0.hasSuffix("NOT VALID") })
        #expect(up.contains { $0.contains("VALIDATE CONSTRAINT ledger_account_id_fkey") })
        #expect(up.contains { $0.contains("CHECK ((balance >= (0)::numeric)) NOT VALID") })
        #expect(up.contains { $0.contains("CHECK (\"owner\" IS NOT NULL) NOT VALID") })
        #expect(up.contains { $0.contains("ALTER COLUMN \"owner\" SET NOT NULL") })
        #expect(up.contains("COMMENT ON TABLE public.accounts IS 'who holds money'"))
        #expect(up.contains("GRANT UPDATE ON TABLE public.accounts TO schemainspect_test_role"))
        #expect(up.contains("GRANT SELECT ON TABLE public.rich TO PUBLIC"))
        #expect(up.contains("ALTER TABLE public.ledger DISABLE TRIGGER touch_ledger"))
        #expect(up.contains { $0.hasPrefix("CREATE POLICY own_rows ON public.accounts AS PERMISSIVE FOR SELECT") })
        // The matview is new, so its index is built in the transaction, right after it.
        let matviewIndex = try #require(plan.up.first { $0.sql.contains("totals_account") })
        #expect(matviewIndex.transactional)
        #expect(plan.down.contains { $0.sql == "DROP INDEX CONCURRENTLY IF EXISTS public.ledger_account_idx" })
        #expect(plan.pending.isEmpty)
    }

    @Test func destructiveChangesWaitForPermission() throws {
        let live = try DiffTestDatabase(
            "pending", script: "CREATE TABLE t (id int, gone text, narrow bigint); CREATE TABLE old_t (id int);")
        defer { live.drop() }
        let target = "CREATE TABLE t (id int, narrow integer, added text);"
        let safe = try SchemaDiff.plan(liveURL: live.url, targetSQL: target, allowDestructive: false)
        #expect(safe.proof.passed, "\(safe.proof)")
        #expect(safe.up.map(\.sql) == ["ALTER TABLE public.t ADD COLUMN \"added\" text"])
        #expect(Set(safe.pending.map(\.object)) == ["public.old_t", "public.t.\"gone\"", "public.t.\"narrow\""])
        #expect(safe.pending.allSatisfy { !$0.reason.isEmpty && !$0.statements.isEmpty })

        let full = try SchemaDiff.plan(liveURL: live.url, targetSQL: target, allowDestructive: true)
        #expect(full.proof.passed, "\(full.proof)")
        #expect(full.pending.isEmpty)
        let drop = try #require(full.up.first { $0.sql == "DROP TABLE public.old_t" })
        #expect(drop.destructive && drop.hazards == [.dataLoss])
        let narrow = try #require(full.up.first { $0.sql.contains("TYPE integer") })
        #expect(narrow.destructive && narrow.hazards.contains(.tableRewrite) && narrow.hazards.contains(.dataLoss))
    }

    @Test func filesAreWrittenOnlyForAProvenPlan() throws {
        let (a, b) = try Self.extras()
        try DiffTestDatabase.prepareCluster()
        let live = try DiffTestDatabase("writer", script: a)
        defer { live.drop() }
        let plan = try SchemaDiff.plan(liveURL: live.url, targetSQL: b, allowDestructive: false)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("diff-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let date = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21 14:13:20 UTC
        let paths = try MigrationWriter.write(plan: plan, output: folder, slug: "Ledger FK", date: date)
        let names = paths.map { URL(fileURLWithPath: $0).lastPathComponent }.sorted()
        #expect(
            names == [
                "20260921141320_ledger_fk.down.sql", "20260921141320_ledger_fk.up.sql",
                "20260921141321_ledger_fk_concurrent.down.sql", "20260921141321_ledger_fk_concurrent.up.sql",
            ])
        let up = try String(
            contentsOf: folder.appendingPathComponent("20260921141320_ledger_fk.up.sql"), encoding: .utf8)
        #expect(up.contains("SET lock_timeout = '5s';\nSET statement_timeout = '15min';"))
        #expect(!up.contains("CONCURRENTLY"))
        let concurrent = try String(
            contentsOf: folder.appendingPathComponent("20260921141321_ledger_fk_concurrent.up.sql"), encoding: .utf8)
        #expect(concurrent.contains("non-transactional"))
        #expect(concurrent.contains("-- hazards: index_build\nCREATE INDEX CONCURRENTLY ledger_account_idx"))

        var failed = plan
        failed.proof.passed = false
        failed.proof.upDifferences = ["tables.x: only in the first"]
        let other = folder.appendingPathComponent("refused")
        #expect(throws: BackendError.self) { try MigrationWriter.write(plan: failed, output: other) }
        #expect(!FileManager.default.fileExists(atPath: other.path))
    }

    @Test func theCatalogIsReadWithAFixedNumberOfQueries() {
        #expect(SchemaModel.catalogQueryCount == 12)
    }

    @Test func shadowURLsKeepEverythingButTheDatabase() {
        #expect(
            ConnectionString.replacingDatabase(in: "postgres://u:p@h:5/live?sslmode=disable", with: "s")
                == "postgres://u:p@h:5/s?sslmode=disable")
        #expect(ConnectionString.replacingDatabase(in: "postgresql://h", with: "s") == "postgresql://h/s")
        #expect(
            ConnectionString.replacingDatabase(in: "host=h dbname=live", with: "s") == "host=h dbname=live dbname=s")
        #expect(ConnectionString.replacingDatabase(in: "", with: "s") == "dbname=s")
    }

    @Test func aTargetThatDoesNotLoadIsBadInput() throws {
        let live = try DiffTestDatabase("badtarget")
        defer { live.drop() }
        #expect(throws: BackendError.self) {
            try SchemaDiff.plan(liveURL: live.url, targetSQL: "CREATE TABLE (", allowDestructive: false)
        }
    }
}
