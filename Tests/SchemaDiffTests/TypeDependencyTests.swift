import BackendCore
import Foundation
import PostgresClient
import PostgresTestSupport
import SchemaDiff
import Testing

/// Composite types, and routines around the types they use and the domain checks that call them (both
/// categories are also proven both ways in `ProofTests`).
@Suite(.serialized) struct TypeDependencyTests {
    static func plan(_ category: String, from: String, to: String, allowDestructive: Bool) throws -> MigrationPlan {
        try MigraFixtures.prepareCluster()
        let live = try TestDatabase(
            "types_\(category)_\(from)", script: try MigraFixtures.fixture("own/\(category)", from))
        defer { live.drop() }
        return try SchemaDiff.plan(
            liveURL: live.url, targetSQL: try MigraFixtures.fixture("own/\(category)", to),
            allowDestructive: allowDestructive)
    }

    /// Where each statement stands in `statements` (it must be there).
    static func position(_ sql: String, in statements: [String]) throws -> Int {
        try #require(statements.firstIndex(of: sql), "missing `\(sql)` in:\n\(statements.joined(separator: ";\n"))")
    }

    /// Attributes are dropped, retyped and appended in place (nothing that uses the type is rebuilt); a
    /// type whose attributes are reordered is dropped and created again, the routine using it around it.
    @Test func compositeTypesChangeInPlaceWhereTheAttributeOrderAllows() throws {
        let plan = try Self.plan("composite_types", from: "a", to: "b", allowDestructive: false)
        #expect(plan.proof.passed, "\(plan.proof)")
        let up = plan.up.map(\.sql)
        for statement in [
            "ALTER TYPE geo.coordinate ADD ATTRIBUTE \"altitude\" real",
            "ALTER TYPE public.badge DROP ATTRIBUTE \"obsolete\"",
            "ALTER TYPE public.badge ALTER ATTRIBUTE \"code\" TYPE text",
            "ALTER TYPE public.badge ALTER ATTRIBUTE \"caption\" TYPE text COLLATE pg_catalog.\"C\"",
            "ALTER TYPE public.price ADD ATTRIBUTE \"note\" text",
            "REVOKE USAGE ON TYPE public.price FROM PUBLIC",
            "COMMENT ON COLUMN public.price.\"currency\" IS 'ISO 4217 code'",
        ] {
            #expect(up.contains(statement), "\(ProofTests.render(plan.up))")
        }
        #expect(!up.contains { $0.contains("leg_label") || $0.contains("price_total") || $0.contains("badge_code") })
        #expect(plan.up.allSatisfy { !$0.destructive })
        let order = try [
            "DROP FUNCTION public.surface(d dimensions)", "DROP TYPE public.dimensions",
            "CREATE TYPE public.dimensions AS (\"height\" integer, \"width\" integer, \"depth\" integer)",
        ].map { try Self.position($0, in: up) }
        #expect(order == order.sorted())
        let recreated = try #require(up.lastIndex { $0.hasPrefix("CREATE OR REPLACE FUNCTION public.surface(") })
        #expect(recreated > order[2])
        let table = try Self.position(
            "CREATE TABLE public.shops (\n    \"id\" integer NOT NULL,\n    \"hours\" opening_hours\n)", in: up)
        #expect(
            table
                > (try Self.position(
                    "CREATE TYPE public.opening_hours AS (\"opens\" time without time zone, \"closes\" time without time zone)",
                    in: up)))
    }

    /// Dropping an attribute of a type a table column holds loses those values: it waits for
    /// `allow_destructive`, and so does the type the held-back table still uses.
    @Test func droppingAnAttributeOfAStoredTypeIsDestructive() throws {
        let plan = try Self.plan("composite_types", from: "b", to: "a", allowDestructive: false)
        #expect(plan.proof.passed, "\(plan.proof)")
        #expect(
            plan.pending.map(\.object).sorted() == ["ALTER TYPE public.price DROP ATTRIBUTE \"note\"", "public.shops"])
        #expect(!plan.up.contains { $0.sql == "DROP TYPE public.opening_hours" }, "\(ProofTests.render(plan.up))")
        let allowed = try Self.plan("composite_types", from: "b", to: "a", allowDestructive: true)
        let drop = try #require(allowed.up.first { $0.sql == "ALTER TYPE public.price DROP ATTRIBUTE \"note\"" })
        #expect(drop.destructive && drop.hazards == [.dataLoss])
    }

    /// What the server refuses while a table column holds the type is reported, never passed.
    static let storedTypes: [(name: String, a: String, b: String, outcome: ProofTests.Outcome)] = [
        (
            "attribute appended", "CREATE TYPE pt AS (x int); CREATE TABLE t (p pt, ps pt[]);",
            "CREATE TYPE pt AS (x int, y int); CREATE TABLE t (p pt, ps pt[]);", .proven
        ),
        (
            "attribute retyped", "CREATE TYPE pt AS (x int); CREATE TABLE t (p pt);",
            "CREATE TYPE pt AS (x bigint); CREATE TABLE t (p pt);", .notProven
        ),
        (
            "attribute inserted first", "CREATE TYPE pt AS (x int); CREATE TABLE t (p pt);",
            "CREATE TYPE pt AS (w int, x int); CREATE TABLE t (p pt);", .notProven
        ),
        (
            "nested type appended", "CREATE TYPE a1 AS (n int); CREATE TYPE b1 AS (a a1); CREATE TABLE t (b b1);",
            "CREATE TYPE a1 AS (n int, m text); CREATE TYPE b1 AS (a a1); CREATE TABLE t (b b1);", .proven
        ),
        (
            "type dropped as its column is retyped", "CREATE TYPE pt AS (x int); CREATE TABLE t (p pt);",
            "CREATE TABLE t (p text);", .proven
        ),
    ]

    @Test(arguments: storedTypes.map(\.name))
    func aTypeHeldByATableChangesOnlyAsTheServerAllows(name: String) throws {
        try MigraFixtures.prepareCluster()
        let item = try #require(Self.storedTypes.first { $0.name == name })
        try ProofTests.check(
            "stored_" + name.replacingOccurrences(of: " ", with: "_"), a: item.a, b: item.b, expected: item.outcome)
    }

    /// A domain check's routine exists before the check and outlives it; a routine taking a domain whose
    /// base type changes is dropped before the domain and created again after it.
    @Test func routinesAreOrderedAroundTheDomainsTheyServe() throws {
        let plan = try Self.plan("domain_functions", from: "a", to: "b", allowDestructive: true)
        #expect(plan.proof.passed, "\(plan.proof)")
        let up = plan.up.map(\.sql)
        let hex = try #require(up.firstIndex { $0.hasPrefix("CREATE OR REPLACE FUNCTION checks.is_hex(") })
        #expect(hex < (try #require(up.firstIndex { $0.hasPrefix("CREATE DOMAIN checks.hex_colour ") })))
        let even = try Self.position("DROP DOMAIN checks.even_number", in: up)
        #expect(even < (try Self.position("DROP FUNCTION checks.is_even(v integer)", in: up)))
        let drops = try [
            "DROP FUNCTION public.clamp_percentage(p percentage)", "DROP FUNCTION public.percentages(ps percentage[])",
            "DROP DOMAIN public.percentage",
        ].map { try Self.position($0, in: up) }
        let created = try #require(up.firstIndex { $0.hasPrefix("CREATE DOMAIN public.percentage AS numeric(7,3)") })
        #expect(drops.allSatisfy { $0 < created })
        #expect(up.lastIndex { $0.hasPrefix("CREATE OR REPLACE FUNCTION public.clamp_percentage(") } ?? -1 > created)
        #expect(up.lastIndex { $0.hasPrefix("CREATE OR REPLACE FUNCTION public.percentages(") } ?? -1 > created)
    }
}
