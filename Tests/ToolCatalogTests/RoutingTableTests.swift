import BackendCore
import Foundation
import Testing

@testable import SpecialistRouting
@testable import ToolCatalog

/// One row of a routing table: a concern in everyday words and who must answer it.
struct RoutingCase: CustomTestStringConvertible, Sendable {
    let concern: String
    /// This server's tool that answers first, a concern id, an escalation owner, or "none".
    let owner: String
    /// The map concern whose specialists follow, when the row names one.
    let specialist: String?

    var testDescription: String { concern }

    /// Rows of `Fixtures/<name>.tsv`: concern, owner, specialist (or "-"); `#` lines are comments.
    static func load(_ name: String) -> [RoutingCase] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(name).tsv")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return RoutingCase(
                concern: cells[0], owner: cells.count > 1 ? cells[1] : "?",
                specialist: cells.count > 2 && cells[2] != "-" ? cells[2] : nil)
        }
    }
}

/// Routing of everyday concerns: this server's own tools first, then the composition map's specialists.
@Suite struct RoutingTableTests {
    static let router = try! ToolCatalog.router()
    static let catalog = try! ToolCatalog.make(environment: [:])
    static let ownTools: Set<String> = [
        "load_test", "analyze_schema", "plan_migration", "apply_migration", "grill_next_question", "decide_profile",
        "scaffold",
    ]
    /// Written from references/*.md and the skill's triggers, not from the map's keywords.
    static let table = RoutingCase.load("routing-concerns")
    /// Written before the matcher was tuned; kept apart so its hit rate stays an honest figure.
    static let heldOut = RoutingCase.load("routing-heldout")
    /// Everyday phrasings probed after the first tuning round (their first hit rates are in the file).
    static let everyday = RoutingCase.load("routing-everyday")

    @Test func theTablesAreLargeEnough() {
        #expect(Self.table.count >= 80)
        #expect(Self.heldOut.count >= 12)
        for phrase in [
            "load test APIs", "optimize database queries", "build microservices", "review backend code",
            "our API returns 500s under load", "we are about to drop a column on a 200M-row table in production",
            "should we split the monolith into services", "p95 latency doubled after the last deploy",
        ] {
            #expect(Self.table.contains { $0.concern == phrase }, "the table lacks \(phrase)")
        }
    }

    @Test(arguments: table)
    func everydayConcernsRouteToTheirOwner(row: RoutingCase) throws {
        try Self.expectRouted(row)
    }

    @Test(arguments: heldOut)
    func heldOutConcernsRouteToTheirOwner(row: RoutingCase) throws {
        try Self.expectRouted(row)
    }

    @Test(arguments: everyday)
    func everydayPhrasingRoutesToItsOwner(row: RoutingCase) throws {
        try Self.expectRouted(row)
    }

    static func expectRouted(_ row: RoutingCase) throws {
        let result = try router.route(RouteRequest(concern: row.concern))
        let got =
            result.tools.first?.tool ?? result.match?.concernId ?? result.outOfScope.map { $0.escalateTo[0] } ?? "none"
        switch row.owner {
        case "none":
            #expect(!result.matched && result.outOfScope == nil && result.tools.isEmpty, "got \(got)")
        case let owner where ownTools.contains(owner):
            #expect(result.tools.first?.tool == owner, "got \(got)")
            #expect(result.matched)
        case let owner where router.map.concern(id: owner) != nil:
            #expect(result.tools.isEmpty, "got tools \(result.tools.map(\.tool))")
            #expect(result.match?.concernId == owner, "got \(got)")
        default:
            #expect(result.outOfScope?.escalateTo.contains(row.owner) == true, "got \(got)")
        }
        if let specialist = row.specialist {
            #expect(result.match?.concernId == specialist, "got \(result.match?.concernId ?? "no specialist")")
        }
        // Whatever matched, the digest stays within 200 words and the structured result fits its schema.
        #expect(Digest.wordCount(result.digest.render()) <= Digest.maxWords)
        let tool = try #require(catalog.tool(named: "route_to_specialist"))
        let structured = try JSONValue(encoding: result)
        #expect(JSONSchemaValidator(schema: tool.outputSchema, rootName: "result").validate(structured) == [])
    }

    /// The arguments a tool suggestion starts with are valid for that tool; only what `needs` names is missing.
    @Test(arguments: table.filter { ownTools.contains($0.owner) })
    func suggestedArgumentsPassTheToolsOwnSchema(row: RoutingCase) throws {
        let result = try Self.router.route(RouteRequest(concern: row.concern))
        for suggestion in result.tools {
            let tool = try #require(Self.catalog.tool(named: suggestion.tool))
            let properties = Set(tool.inputSchema["properties"]?.objectValue?.keys ?? [])
            #expect(Set(suggestion.needs).isSubset(of: properties), "\(suggestion.tool) needs \(suggestion.needs)")
            let violations = JSONSchemaValidator(schema: tool.inputSchema).validate(suggestion.arguments)
            for violation in violations {
                let missing =
                    violation.rule == "required" && suggestion.needs.contains { violation.path.hasSuffix(".\($0)") }
                #expect(missing, "\(suggestion.tool) \(JSONWriter.string(suggestion.arguments)): \(violation)")
            }
        }
    }

    @Test(arguments: [
        (
            "load test http://127.0.0.1:8080/users with 200 concurrent users for 2 minutes", "load_test",
            #"{"concurrency":200,"duration":120,"url":"http://127.0.0.1:8080/users"}"#
        ),
        (
            "check that http://localhost:3000/login returns 429 when we hammer it", "load_test",
            #"{"expect_rate_limit":true,"url":"http://localhost:3000/login"}"#
        ),
        ("can the API sustain 1500 rps with p99 under 250ms", "load_test", #"{"max_p99_ms":250,"rate":1500}"#),
        (
            "explain why SELECT id FROM orders WHERE user_id = 7 AND deleted_at IS NULL is so slow", "analyze_schema",
            #"{"explain":"SELECT id FROM orders WHERE user_id = 7 AND deleted_at IS NULL","suggest_indexes":true}"#
        ),
        (
            "dry-run migrations/20240115_add_user_indexes.sql", "apply_migration",
            #"{"dry_run":true,"files":["migrations/20240115_add_user_indexes.sql"]}"#
        ),
        ("monolith or microservices for a team of 6", "grill_next_question", #"{"team_size":6}"#),
        (
            "we are 14 engineers, should we go with microservices", "grill_next_question",
            #"{"pattern":"microservices","team_size":14}"#
        ),
        (
            "generate a fastify server from api/openapi.yaml", "scaffold",
            #"{"framework":"fastify","spec":"api/openapi.yaml"}"#
        ),
    ])
    func argumentsAreReadFromTheConcern(concern: String, tool: String, arguments: String) throws {
        let result = try Self.router.route(RouteRequest(concern: concern))
        let suggestion = try #require(result.tools.first { $0.tool == tool }, "no \(tool) for \(concern)")
        #expect(JSONWriter.string(try JSONValue(encoding: suggestion.arguments)) == arguments)
    }

    @Test func aConnectionStringIsNeverRepeated() throws {
        let concern = "postgres://app:hunter2@db.internal/shop is slow on the orders query, test http://u:pw2@api/x"
        let result = try Self.router.route(RouteRequest(concern: concern))
        let text = JSONWriter.string(try JSONValue(encoding: result)) + result.digest.render()
        #expect(!text.contains("hunter2") && !text.contains("pw2"))
        #expect(result.tools.first?.tool == "analyze_schema")
    }

    @Test func theDropColumnCaseNamesBothToolsAndTheMigrationArchitect() throws {
        let result = try Self.router.route(
            RouteRequest(concern: "we are about to drop a column on a 200M-row table in production"))
        #expect(result.tools.map(\.tool) == ["plan_migration", "apply_migration"])
        #expect(result.match?.specialists == ["migration-architect"])
        #expect(result.tools[0].needs == ["target"])
        #expect(result.order.first?.concernId == "slo")
        let digest = result.digest.render()
        #expect(digest.hasPrefix("**Answer with plan_migration, then apply_migration"))
        #expect(digest.contains("migration-architect"))
    }

    @Test(arguments: [
        ["query", "queries", "queried"], ["index", "indexes", "indices", "indexing", "indexed"],
        ["migrate", "migrating", "migrated", "migration", "migrations"], ["slow", "slower", "slowly", "slowness"],
        ["optimize", "optimise", "optimizing", "optimization", "optimisation"], ["test", "tests", "testing", "tested"],
        ["deploy", "deploys", "deployed", "deployment"], ["scale", "scaling", "scaled"],
        ["drop", "dropping", "dropped"],
        ["microservice", "microservices"], ["latency", "latencies"], ["normalise", "normalization", "normalizing"],
        ["route", "routes", "routing", "router"], ["table", "tables"], ["cache", "caching", "caches"],
    ])
    func inflectionsFoldOntoOneStem(forms: [String]) {
        let stems = Set(forms.map(ConcernText.stem))
        #expect(stems.count == 1, "\(forms) -> \(stems)")
    }

    @Test(arguments: [("apply", "app"), ("status", "statu"), ("users", "us"), ("analysis", "analysi")])
    func wordsTheStemmerMustNotSpoil(word: String, wrong: String) {
        #expect(ConcernText.stem(word) != wrong)
    }

    @Test func everyMapConcernHasEvidenceAndEveryToolAnswerLeadsToAMapConcern() {
        for concern in Self.router.map.concerns {
            #expect(RoutingRules.concernRules[concern.id] != nil, "no rules for \(concern.id)")
        }
        for id in RoutingRules.concernRules.keys { #expect(Self.router.map.concern(id: id) != nil, "\(id) not in map") }
        for owner in RoutingRules.toolOwners {
            #expect(Self.router.map.concern(id: owner.concern) != nil, "\(owner.id) leads to \(owner.concern)")
            for tool in owner.tools {
                #expect(Self.catalog.tool(named: tool) != nil, "\(tool) is not a tool of this server")
                #expect(RoutingRules.why[tool] != nil)
            }
        }
        let concepts = Set(ConceptLexicon.groups.keys)
        for rule in RoutingRules.toolOwners.flatMap(\.rules) + RoutingRules.concernRules.values.flatMap({ $0 }) {
            #expect(rule.all.union(rule.none).isSubset(of: concepts), "unknown concept in \(rule.all)")
        }
    }

    /// The output type and its schema name the same keys, at the top and in a tool suggestion.
    @Test func outputTypeMatchesItsSchema() throws {
        let tool = try #require(Self.catalog.tool(named: "route_to_specialist"))
        let result = try Self.router.route(RouteRequest(concern: "load test APIs"))
        let encoded = try JSONValue(encoding: result)
        let schema = tool.outputSchema
        let topKeys = Set(schema["properties"]?.objectValue?.keys ?? [])
        let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        let encodedKeys = Set(encoded.objectValue?.keys ?? [])
        // Every key written is declared, and every declared key left out is optional.
        let undeclared = encodedKeys.subtracting(topKeys)
        let missingRequired = required.subtracting(encodedKeys)
        #expect(undeclared.isEmpty, "undeclared: \(undeclared)")
        #expect(missingRequired.isEmpty, "missing: \(missingRequired)")
        let toolKeys = Set(schema["properties"]?["tools"]?["items"]?["properties"]?.objectValue?.keys ?? [])
        let encodedToolKeys = Set(encoded["tools"]?.arrayValue?.first?.objectValue?.keys ?? [])
        #expect(encodedToolKeys == toolKeys)
    }
}
