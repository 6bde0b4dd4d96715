import BackendCore
import Foundation
import PostgresClient
import PostgresTestSupport
import SchemaDiff
import Testing

/// The migra fixtures: load `a.sql` and `b.sql` into two databases, plan (with the proof), apply up to
/// the first: its catalog must equal the second's; apply down: it must equal `a.sql` again.
@Suite(.serialized) struct MigraCorpusTests {
    /// Cases that do not pass yet, with the reason. Each is still run inside `withKnownIssue`, which
    /// fails when the case starts passing, so the list stays honest.
    static let knownFailures: [String: String] = [:]

    static let cases = MigraFixtures.fixtureCases

    @Test func theFixturesAreThere() {
        #expect(Self.cases.count == 26, "Tests/SchemaDiffTests/Fixtures should hold the 26 migra cases")
    }

    @Test(arguments: cases)
    func upReachesTheTargetAndDownComesBack(caseName: String) throws {
        try MigraFixtures.prepareCluster()
        if let reason = Self.knownFailures[caseName] {
            withKnownIssue(Comment(rawValue: reason)) { try Self.check(caseName) }
        } else {
            try Self.check(caseName)
        }
    }

    /// Without `allowDestructive` the plan holds destructive changes back, lists them, and still proves:
    /// up reaches the target except for what is pending, down comes back.
    @Test(arguments: cases)
    func withoutAllowDestructiveNothingDestructiveRuns(caseName: String) throws {
        try MigraFixtures.prepareCluster()
        let live = try TestDatabase("\(caseName)_safe", script: try MigraFixtures.fixture(caseName, "a"))
        defer { live.drop() }
        let b = try MigraFixtures.fixture(caseName, "b")
        let plan = try SchemaDiff.plan(liveURL: live.url, targetSQL: b, allowDestructive: false)
        #expect(plan.proof.passed, "\(caseName): \(plan.proof)\nup:\n\(Self.render(plan.up))")
        #expect(plan.up.allSatisfy { !$0.destructive })
        let full = try SchemaDiff.plan(liveURL: live.url, targetSQL: b, allowDestructive: true)
        if full.up.contains(where: \.destructive) { #expect(!plan.pending.isEmpty) }
    }

    static func check(_ caseName: String) throws {
        let a = try MigraFixtures.fixture(caseName, "a")
        let b = try MigraFixtures.fixture(caseName, "b")
        let live = try TestDatabase("\(caseName)_a", script: a)
        defer { live.drop() }
        let target = try TestDatabase("\(caseName)_b", script: b)
        defer { target.drop() }
        let plan = try SchemaDiff.plan(liveURL: live.url, targetSQL: b, allowDestructive: true)
        #expect(plan.proof.passed, "\(caseName): proof failed: \(plan.proof)\nup:\n\(render(plan.up))")
        #expect(plan.pending.isEmpty)

        let connection = try live.connect()
        let start = try SchemaModel.load(from: connection)
        let targetModel = try SchemaModel.load(from: try target.connect())
        #expect(start.differences(to: targetModel) != [], "\(caseName): a.sql and b.sql read the same")
        let planner = MigrationPlanner()
        try planner.apply(plan.up, to: connection, what: "up")
        let afterUp = try SchemaModel.load(from: connection)
        #expect(afterUp.differences(to: targetModel) == [], "\(caseName) up:\n\(render(plan.up))")
        try planner.apply(plan.down, to: connection, what: "down", concurrentFirst: true)
        let afterDown = try SchemaModel.load(from: connection)
        #expect(afterDown.differences(to: start) == [], "\(caseName) down:\n\(render(plan.down))")
    }

    static func render(_ statements: [MigrationStatement]) -> String {
        statements.map { "\($0.sql);" }.joined(separator: "\n")
    }
}
