import BackendCore
import Foundation
import PostgresClient
import PostgresTestSupport
import SchemaDiff
import Testing

@Suite(.serialized) struct SchemaDiffTests {
    static func extras() throws -> (a: String, b: String) {
        (try MigraFixtures.fixture("own/extras", "a"), try MigraFixtures.fixture("own/extras", "b"))
    }

    /// Comments, grants, policies, RLS, a disabled trigger, a materialised view with an index, a check and
    /// a foreign key added to tables with rows: proven, and labelled the lock-aware way.
    @Test func extrasAreProvenAndLockAware() throws {
        try MigraFixtures.prepareCluster()
        let (a, b) = try Self.extras()
        let live = try TestDatabase("extras", script: a)
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
        let live = try TestDatabase(
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
        try MigraFixtures.prepareCluster()
        let live = try TestDatabase("writer", script: a)
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
        #expect(SchemaModel.catalogQueryCount == 18)
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
        let live = try TestDatabase("badtarget")
        defer { live.drop() }
        #expect(throws: BackendError.self) {
            try SchemaDiff.plan(liveURL: live.url, targetSQL: "CREATE TABLE (", allowDestructive: false)
        }
    }

    /// Domains are read (base type, default, NOT NULL, checks, collation), created before the tables that
    /// use them, altered in place with checks added NOT VALID then validated, and dropped only when allowed.
    @Test func domainsAreDiffedAndProven() throws {
        try MigraFixtures.prepareCluster()
        let live = try TestDatabase(
            "domains",
            script: """
                CREATE DOMAIN amount AS numeric(12,2) DEFAULT 0 CONSTRAINT amount_positive CHECK (VALUE >= 0);
                CREATE DOMAIN label AS text COLLATE "C" NOT NULL;
                CREATE DOMAIN legacy AS integer;
                CREATE TABLE payments (id bigint, total amount, tag label);
                INSERT INTO payments VALUES (1, 5, 'x');
                """)
        defer { live.drop() }
        let model = try SchemaModel.load(from: try live.connect())
        let amount = try #require(model.domains["public.amount"])
        #expect(amount.baseType == "numeric(12,2)" && amount.defaultExpression == "0" && !amount.notNull)
        #expect(amount.constraints == ["amount_positive": "CHECK ((VALUE >= (0)::numeric))"])
        #expect(model.domains["public.label"]?.collation == "pg_catalog.\"C\"")
        #expect(model.domains["public.label"]?.notNull == true)

        let target = """
            CREATE DOMAIN amount AS numeric(12,2) NOT NULL CONSTRAINT amount_small CHECK (VALUE < 1000000);
            CREATE DOMAIN label AS text COLLATE "C" DEFAULT 'none';
            CREATE DOMAIN short_label AS label CHECK (length(VALUE) < 20);
            CREATE TABLE payments (id bigint, total amount, tag label, note short_label);
            """
        let safe = try SchemaDiff.plan(liveURL: live.url, targetSQL: target, allowDestructive: false)
        #expect(safe.proof.passed, "\(safe.proof)")
        let up = safe.up.map(\.sql)
        #expect(up.contains("ALTER DOMAIN public.amount DROP DEFAULT"))
        #expect(up.contains("ALTER DOMAIN public.amount DROP CONSTRAINT amount_positive"))
        #expect(up.contains("ALTER DOMAIN public.amount SET NOT NULL"))
        #expect(
            up.contains(
                "ALTER DOMAIN public.amount ADD CONSTRAINT amount_small CHECK ((VALUE < (1000000)::numeric)) NOT VALID")
        )
        #expect(up.contains("ALTER DOMAIN public.amount VALIDATE CONSTRAINT amount_small"))
        #expect(up.contains("ALTER DOMAIN public.label SET DEFAULT 'none'::text"))
        #expect(up.contains("ALTER DOMAIN public.label DROP NOT NULL"))
        let create = try #require(up.firstIndex { $0.hasPrefix("CREATE DOMAIN public.short_label AS label") })
        let column = try #require(up.firstIndex { $0.contains("ADD COLUMN \"note\" short_label") })
        #expect(create < column)
        #expect(!up.contains { $0.contains("DROP DOMAIN") })
        #expect(safe.pending.map(\.object) == ["public.legacy"])
        #expect(safe.down.contains { $0.sql == "DROP DOMAIN public.short_label" })

        let full = try SchemaDiff.plan(liveURL: live.url, targetSQL: target, allowDestructive: true)
        #expect(full.proof.passed, "\(full.proof)")
        let drop = try #require(full.up.first { $0.sql == "DROP DOMAIN public.legacy" })
        #expect(drop.destructive)
    }

    /// Grants on schemas, sequences and functions (and the default PUBLIC EXECUTE being revoked).
    @Test func grantsOnSchemasSequencesAndFunctions() throws {
        try MigraFixtures.prepareCluster()
        let live = try TestDatabase(
            "grants",
            script: """
                CREATE SCHEMA app;
                GRANT CREATE ON SCHEMA app TO schemainspect_test_role;
                CREATE SEQUENCE app.counter;
                CREATE FUNCTION app.answer() RETURNS int LANGUAGE sql AS 'SELECT 42';
                """)
        defer { live.drop() }
        let model = try SchemaModel.load(from: try live.connect())
        #expect(model.schemas["app"]?.privileges == ["schemainspect_test_role CREATE"])
        #expect(model.functions["app.answer()"]?.privileges == ["PUBLIC EXECUTE"])
        let target = """
            CREATE SCHEMA app;
            GRANT USAGE ON SCHEMA app TO schemainspect_test_role WITH GRANT OPTION;
            CREATE SEQUENCE app.counter;
            GRANT USAGE, SELECT ON SEQUENCE app.counter TO schemainspect_test_role;
            CREATE FUNCTION app.answer() RETURNS int LANGUAGE sql AS 'SELECT 42';
            REVOKE EXECUTE ON FUNCTION app.answer() FROM PUBLIC;
            GRANT EXECUTE ON FUNCTION app.answer() TO schemainspect_test_role;
            CREATE FUNCTION app.fresh() RETURNS int LANGUAGE sql AS 'SELECT 1';
            REVOKE EXECUTE ON FUNCTION app.fresh() FROM PUBLIC;
            """
        let plan = try SchemaDiff.plan(liveURL: live.url, targetSQL: target, allowDestructive: false)
        #expect(plan.proof.passed, "\(plan.proof)")
        let up = plan.up.map(\.sql)
        #expect(up.contains("REVOKE CREATE ON SCHEMA app FROM schemainspect_test_role"))
        #expect(up.contains("GRANT USAGE ON SCHEMA app TO schemainspect_test_role WITH GRANT OPTION"))
        #expect(up.contains("GRANT SELECT ON SEQUENCE app.counter TO schemainspect_test_role"))
        #expect(up.contains("GRANT USAGE ON SEQUENCE app.counter TO schemainspect_test_role"))
        #expect(up.contains("REVOKE EXECUTE ON FUNCTION app.answer() FROM PUBLIC"))
        #expect(up.contains("GRANT EXECUTE ON FUNCTION app.answer() TO schemainspect_test_role"))
        #expect(up.contains("REVOKE EXECUTE ON FUNCTION app.fresh() FROM PUBLIC"))
        #expect(plan.down.contains { $0.sql == "GRANT EXECUTE ON FUNCTION app.answer() TO PUBLIC" })
    }

    /// The target can be a second database, read from its catalog directly; itself gives an empty plan.
    @Test func aSecondDatabaseCanBeTheTarget() throws {
        try MigraFixtures.prepareCluster()
        let (a, b) = try Self.extras()
        let live = try TestDatabase("live_db", script: a)
        defer { live.drop() }
        let target = try TestDatabase("target_db", script: b)
        defer { target.drop() }
        let fromFile = try SchemaDiff.plan(liveURL: live.url, targetSQL: b, allowDestructive: false)
        let plan = try SchemaDiff.plan(liveURL: live.url, targetURL: target.url, allowDestructive: false)
        #expect(plan.proof.passed, "\(plan.proof)")
        #expect(plan.up == fromFile.up && plan.down == fromFile.down)
        let itself = try SchemaDiff.plan(liveURL: live.url, targetURL: live.url, allowDestructive: false)
        #expect(itself.proof.passed && itself.isEmpty && itself.down.isEmpty)
        #expect(throws: BackendError.self) {
            try SchemaDiff.plan(
                liveURL: live.url,
                targetURL: ConnectionString.replacingDatabase(in: live.url, with: "no_such_database"),
                allowDestructive: false)
        }
    }
}
