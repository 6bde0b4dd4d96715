import BackendCore
import Foundation
import PostgresTestSupport
import SchemaAnalysis
import Testing

/// Every check finds the defect its fixture plants, and stays silent on the clean schema.
@Suite(.serialized) struct CheckFixtureTests {
    static let checkIds = SchemaChecks.all.map(\.id)

    @Test(arguments: checkIds)
    func eachCheckFindsItsPlantedDefect(check: String) throws {
        let database = try TestDatabase(check, script: try TestDatabase.fixture(check))
        defer { database.drop() }
        let result = try SchemaAnalyzer(environment: [:]).analyze(AnalyzeRequest(connection: database.url))
        let mine = result.findings.filter { $0.check == check }
        #expect(!mine.isEmpty, "\(check) found nothing in its fixture; all findings: \(result.findings.map(\.check))")
        for finding in mine {
            #expect(!finding.message.isEmpty)
            #expect(finding.fixSQL != nil, "\(check) gives no fix SQL")
        }
    }

    @Test func theCleanSchemaIsSilent() throws {
        let database = try TestDatabase("clean", script: try TestDatabase.fixture("clean"))
        defer { database.drop() }
        let result = try SchemaAnalyzer(environment: [:]).analyze(AnalyzeRequest(connection: database.url))
        #expect(result.findings.map { "\($0.check) \($0.object)" } == [])
        #expect(result.tables >= 5)
    }

    @Test func catalogQueriesDoNotGrowWithTheSchema() throws {
        let small = try TestDatabase("small", script: "CREATE TABLE one (id bigint PRIMARY KEY);")
        defer { small.drop() }
        var script = ""
        for index in 0..<200 {
            script +=
                "CREATE TABLE t\(index) (id bigint PRIMARY KEY, parent bigint REFERENCES t\(max(0, index - 1))(id));\n"
        }
        let large = try TestDatabase("large", script: script)
        defer { large.drop() }
        let analyzer = SchemaAnalyzer(environment: [:])
        let smallResult = try analyzer.analyze(AnalyzeRequest(connection: small.url))
        let largeResult = try analyzer.analyze(AnalyzeRequest(connection: large.url))
        #expect(largeResult.tables == 200)
        #expect(smallResult.catalogQueries == largeResult.catalogQueries)
    }
}

/// The type checks' fix SQL removes the finding and their undo SQL brings it back.
@Suite(.serialized) struct TypeFixRoundTripTests {
    @Test(arguments: [
        "timestamp_without_time_zone", "money_type", "char_n_type", "json_instead_of_jsonb", "float_for_money",
        "uuid_stored_as_text",
    ])
    func fixAndUndoRoundTrip(check: String) throws {
        let database = try TestDatabase(check, script: try TestDatabase.fixture(check))
        defer { database.drop() }
        var request = AnalyzeRequest(connection: database.url)
        request.checks = [check]
        let analyzer = SchemaAnalyzer(environment: [:])
        let finding = try #require(try analyzer.analyze(request).findings.first)
        let connection = try database.connect()
        try connection.execute(script: try #require(finding.fixSQL))
        #expect(try analyzer.analyze(request).findings.isEmpty, "\(finding.fixSQL ?? "")")
        try connection.execute(script: try #require(finding.undoSQL))
        #expect(try analyzer.analyze(request).findings.map(\.object) == [finding.object], "\(finding.undoSQL ?? "")")
    }
}
