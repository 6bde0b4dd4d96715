import BackendCore
import Foundation
import SpecialistRouting
import Testing

@testable import ToolCatalog

@Suite struct SpecialistRouterTests {
    static let router = try! ToolCatalog.router()

    static let concernIds = [
        "slo", "api-contract", "schema-design", "zero-downtime-migrations", "observability", "mcp-server", "ci-cd",
        "dependency-audit", "api-tests", "security-hardening", "cloud-architecture", "feature-flags",
        "chaos-engineering", "pre-commit-review", "architecture-grill", "compliance-evidence",
    ]

    @Test func theMapHoldsTheSixteenConcernsInOrderSLOFirst() {
        #expect(Self.router.map.concerns.map(\.id).sorted() == Self.concernIds.sorted())
        #expect(Self.router.map.order.first == "slo")
        #expect(Self.router.map.order.last == "pre-commit-review")
    }

    @Test(arguments: concernIds)
    func everyConcernIdRoutesToItselfWithFullConfidence(id: String) throws {
        let result = try Self.router.route(RouteRequest(concern: id))
        #expect(result.match?.concernId == id)
        #expect(result.match?.confidence == 1)
    }

    @Test(arguments: [
        ("What should our availability target and error budget be?", "slo"),
        ("p99 latency keeps breaching and nobody owns the error budget", "slo"),
        ("We are about to ship a breaking change to the public REST endpoints", "api-contract"),
        ("review our GraphQL schema for backward compatibility", "api-contract"),
        ("design the tables and indexes for the orders data model", "schema-design"),
        ("ERD and normalization for a new billing database", "schema-design"),
        ("rename a column on a 200M-row table without downtime", "zero-downtime-migrations"),
        ("the last migration failed halfway through", "zero-downtime-migrations"),
        ("we have no dashboards and our alerts are noisy", "observability"),
        ("add OpenTelemetry tracing and golden signals", "observability"),
        ("expose our API as tools to AI agents over MCP", "mcp-server"),
        ("set up GitHub Actions to build and deploy on every merge", "ci-cd"),
        ("npm audit shows 40 CVEs in our dependencies", "dependency-audit"),
        ("check licences of third party packages before release", "dependency-audit"),
        ("write contract tests for the payments API with Pact", "api-tests"),
        ("threat model and harden the JWT authentication", "security-hardening"),
        ("we store card data; how do we prevent SQL injection and CSRF?", "security-hardening"),
        ("move the service to Kubernetes on AWS with autoscaling", "cloud-architecture"),
        ("roll out the new checkout behind a feature flag with a kill switch", "feature-flags"),
        ("run a game day with fault injection on the queue", "chaos-engineering"),
        ("please review the diff before I commit", "pre-commit-review"),
        ("grill me on this architecture before we lock in the database", "architecture-grill"),
        ("we need SOC 2 and HIPAA audit evidence", "compliance-evidence"),
    ])
    func freeTextConcernsRouteToTheirOwner(text: String, expected: String) throws {
        let result = try Self.router.route(RouteRequest(concern: text))
        #expect(result.matched)
        #expect(result.match?.concernId == expected, "got \(result.match?.concernId ?? "nothing") for \(text)")
    }

    @Test(arguments: [
        ("which React component library should the dashboard use", "cs-frontend-engineer"),
        ("how many backend engineers should we hire next quarter", "cs-vpe-advisor"),
        ("should we build vs buy our billing system", "cs-cto-advisor"),
        ("serve the recommendation model for inference", "senior-ml-engineer"),
        ("our dbt models in the data warehouse are slow", "senior-data-engineer"),
    ])
    func outOfScopeConcernsAreEscalated(text: String, owner: String) throws {
        let result = try Self.router.route(RouteRequest(concern: text))
        #expect(!result.matched)
        #expect(result.outOfScope?.escalateTo.contains(owner) == true)
    }

    @Test(arguments: [
        "the office coffee machine is broken", "zzzz qqqq", "tell me a joke", "what's a good recipe for banana bread",
        "how do I make pancakes fluffy", "will it rain in Lisbon tomorrow", "what's the weather like this weekend",
        "hello!", "good morning, how are you", "thanks, bye", "slow-cook the stew for eight hours",
        "who won the match last night",
    ])
    func unrelatedConcernsGetAPlainNoMatch(text: String) throws {
        let result = try Self.router.route(RouteRequest(concern: text))
        #expect(!result.matched)
        #expect(result.match == nil && result.outOfScope == nil && result.tools.isEmpty)
        #expect(result.closestConcerns.count == 3)
        #expect(result.nextStep.hasPrefix("Nothing in this server or the composition map owns this"))
        #expect(result.digest.render().hasPrefix("**Nothing matches"))
    }

    @Test func slOComesFirstWhileQuestionSevenIsOpen() throws {
        let open = try Self.router.route(RouteRequest(concern: "zero-downtime-migrations"))
        #expect(open.order.map(\.concernId) == ["slo", "api-contract", "schema-design", "zero-downtime-migrations"])
        let answered = try Self.router.route(
            RouteRequest(concern: "zero-downtime-migrations", answeredQuestions: [1, 2, 3, 7]))
        #expect(answered.order.map(\.concernId) == ["api-contract", "schema-design", "zero-downtime-migrations"])
        #expect(answered.order.allSatisfy { $0.openQuestions.isEmpty })
    }

    @Test func concernsOutsideTheOrderStillStartWithTheSLO() throws {
        let result = try Self.router.route(RouteRequest(concern: "feature-flags", answeredQuestions: [5]))
        #expect(result.order.map(\.concernId) == ["slo", "feature-flags"])
        #expect(result.match?.ready == true)
    }

    @Test func openQuestionsHoldASpecialistBack() throws {
        let result = try Self.router.route(RouteRequest(concern: "api-contract", answeredQuestions: [1, 7]))
        #expect(result.match?.openQuestions == [2, 3])
        #expect(result.match?.ready == false)
        #expect(result.nextStep.contains("Q2, Q3"))
    }

    @Test(arguments: [[0], [8], [-1]])
    func rejectsQuestionsOutsideOneToSeven(questions: [Int]) {
        #expect(throws: BackendError.self) {
            try Self.router.route(RouteRequest(concern: "slo", answeredQuestions: questions))
        }
    }

    @Test func rejectsABlankConcern() {
        #expect(throws: BackendError.self) { try Self.router.route(RouteRequest(concern: "   ")) }
    }
}
