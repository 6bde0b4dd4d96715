import BackendCore
import Foundation
import PostgresClient
import PostgresTestSupport
import SchemaDiff
import Testing

/// The statements chosen for generated columns, sequence ownership, column settings, extended
/// statistics and routines (each category is also proven both ways in `ProofTests`).
@Suite(.serialized) struct ColumnAndRoutineTests {
    static func plan(_ category: String, allowDestructive: Bool) throws -> MigrationPlan {
        try MigraFixtures.prepareCluster()
        let live = try TestDatabase("routines_\(category)", script: try MigraFixtures.fixture("own/\(category)", "a"))
        defer { live.drop() }
        return try SchemaDiff.plan(
            liveURL: live.url, targetSQL: try MigraFixtures.fixture("own/\(category)", "b"),
            allowDestructive: allowDestructive)
    }

    /// PostgreSQL 15 cannot alter a generation expression: the column is dropped and added again, which
    /// loses nothing (its values are computed) and so needs no `allow_destructive`; a regular column that
    /// becomes generated loses its values and waits. The index, check and statistics on it are rebuilt
    /// in the same transaction.
    @Test func aChangedGenerationExpressionRebuildsTheColumnWithoutDataLoss() throws {
        let plan = try Self.plan("generated_expression", allowDestructive: false)
        #expect(plan.proof.passed, "\(plan.proof)")
        let up = plan.up.map(\.sql)
        let drop = try #require(plan.up.first { $0.sql == "ALTER TABLE public.orders DROP COLUMN \"total\"" })
        #expect(!drop.destructive && !drop.hazards.contains(.dataLoss))
        let add = try #require(plan.up.first { $0.sql.hasPrefix("ALTER TABLE public.orders ADD COLUMN \"total\"") })
        #expect(add.hazards == [.tableRewrite, .longLock] && add.transactional)
        #expect(up.contains("DROP INDEX IF EXISTS public.orders_total_idx"))
        #expect(up.contains("CREATE INDEX orders_total_idx ON public.orders USING btree (total)"))
        #expect(up.contains("DROP STATISTICS IF EXISTS public.orders_qty_total"))
        #expect(up.contains("DROP POLICY priced ON public.orders"))
        let transactional = plan.up.allSatisfy(\.transactional)
        #expect(transactional, "\(ProofTests.render(plan.up))")
        #expect(plan.pending.map(\.object) == ["public.orders.\"label\""])
        #expect(plan.pending.first?.reason.contains("loses its values") == true)
    }

    @Test func ownershipOfSequencesMovesWithOwnedBy() throws {
        let plan = try Self.plan("sequence_ownership", allowDestructive: false)
        #expect(plan.proof.passed, "\(plan.proof)")
        let up = plan.up.map(\.sql)
        for statement in [
            "ALTER SEQUENCE public.items_id_seq OWNED BY NONE",
            "ALTER SEQUENCE public.code_seq OWNED BY public.items.id",
            "ALTER SEQUENCE public.free_seq OWNED BY public.other.n",
        ] {
            #expect(up.contains(statement), "\(ProofTests.render(plan.up))")
        }
    }

    /// Settings are set per table with ONLY: a new partition copies its parent's storage when created,
    /// so it gets its own settings explicitly.
    @Test func columnSettingsAreSetPerTable() throws {
        let plan = try Self.plan("column_settings", allowDestructive: false)
        #expect(plan.proof.passed, "\(plan.proof)")
        let up = plan.up.map(\.sql)
        for statement in [
            "ALTER TABLE ONLY public.docs ALTER COLUMN \"body\" SET STORAGE EXTERNAL",
            "ALTER TABLE ONLY public.docs ALTER COLUMN \"body\" SET COMPRESSION lz4",
            "ALTER TABLE ONLY public.docs ALTER COLUMN \"meta\" SET STORAGE EXTENDED",
            "ALTER TABLE ONLY public.docs ALTER COLUMN \"id\" SET STATISTICS 1000",
            "ALTER TABLE ONLY public.events ALTER COLUMN \"payload\" SET STORAGE EXTERNAL",
            "ALTER TABLE ONLY public.events_1 ALTER COLUMN \"payload\" SET STORAGE EXTERNAL",
            "ALTER TABLE ONLY public.events_2 ALTER COLUMN \"payload\" SET STORAGE EXTERNAL",
        ] {
            #expect(up.contains(statement), "\(statement)\n\(ProofTests.render(plan.up))")
        }
        // The type change resets compression; the statistics target survives it.
        #expect(!up.contains { $0.contains("\"note\" SET") }, "\(ProofTests.render(plan.up))")
    }

    @Test func changedStatisticsAreDroppedAndCreated() throws {
        let plan = try Self.plan("extended_statistics", allowDestructive: false)
        #expect(plan.proof.passed, "\(plan.proof)")
        let up = plan.up.map(\.sql)
        // All three kinds: pg_get_statisticsobjdef leaves the list out.
        #expect(up.contains("DROP STATISTICS IF EXISTS public.addr_city_zip"))
        #expect(up.contains { $0.hasPrefix("CREATE STATISTICS public.addr_city_zip ON city, zip FROM") })
        #expect(up.contains("ALTER STATISTICS public.addr_country SET STATISTICS 500"))
        #expect(!up.contains("DROP STATISTICS IF EXISTS public.addr_country"))
        #expect(up.contains("COMMENT ON STATISTICS public.addr_country IS 'correlated'"))
    }

    /// SQL-standard bodies are created after what they call (pg_depend records those calls).
    @Test func routinesAreCreatedAfterTheRoutinesTheirBodiesCall() throws {
        let plan = try Self.plan("function_calls", allowDestructive: false)
        #expect(plan.proof.passed, "\(plan.proof)")
        let up = plan.up.map(\.sql)
        func position(_ name: String) -> Int {
            up.firstIndex { $0.hasPrefix("CREATE OR REPLACE FUNCTION public.\(name)(") } ?? Int.max
        }
        #expect(position("z_rate") < position("tax"))
        #expect(position("y_total") < position("a_report"))
        #expect(position("a_report") < Int.max)
    }

    /// A routine that only changes schema is moved, keeping its OID (and the index and view that use it).
    @Test func aRoutineMovedToAnotherSchemaIsAlteredNotRecreated() throws {
        let plan = try Self.plan("function_schema_move", allowDestructive: false)
        #expect(plan.proof.passed, "\(plan.proof)")
        let up = plan.up.map(\.sql)
        #expect(up.contains("ALTER FUNCTION public.fold_email(x text) SET SCHEMA \"text_utils\""))
        #expect(up.contains("ALTER PROCEDURE util.touch() SET SCHEMA \"public\""))
        #expect(
            !up.contains { $0.contains("DROP FUNCTION") || $0.contains("CREATE OR REPLACE") || $0.contains("INDEX") })
        #expect(!up.contains { $0.contains("VIEW") }, "\(ProofTests.render(plan.up))")
    }
}
