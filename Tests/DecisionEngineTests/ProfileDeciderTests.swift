import BackendCore
import DecisionEngine
import Testing
import ToolCatalog

/// A team's facts in one line, for tables.
struct Team: CustomTestStringConvertible, Sendable {
    var label: String
    var request: DecideRequest
    var testDescription: String { label }

    init(
        _ label: String, team: Int, qps: Double, ratio: Double = 10, tenancy: Tenancy = .sharedMultiTenant,
        data: DataSensitivity = .pii, pattern: ArchitecturePattern = .modularMonolith, language: Language,
        platform: Bool? = nil, admin: Bool? = nil, adjust: (inout DecideRequest) -> Void = { _ in }
    ) {
        self.label = label
        var request = DecideRequest()
        request.teamSize = team
        request.qpsP99 = qps
        request.readWriteRatio = ratio
        request.tenancy = tenancy
        request.dataSensitivity = data
        request.pattern = pattern
        request.languagePreference = language
        request.platformTeam = platform
        request.needsAdminPanel = admin
        adjust(&request)
        self.request = request
    }
}

@Suite struct ProfileDeciderTests {
    static let decider = ProfileDecider(library: try! ToolCatalog.profileLibrary(directory: nil))

    @Test(arguments: [
        (
            Team(
                "TypeScript sample (the skill ranked fastapi first)", team: 8, qps: 50, ratio: 20, language: .typescript
            ), "node-express"
        ),
        (Team("the same in Python", team: 8, qps: 50, ratio: 20, language: .python), "fastapi-python"),
        (
            Team(
                "content-heavy CRUD with an admin panel", team: 12, qps: 80, ratio: 30, language: .python, admin: true),
            "django-monolith"
        ),
        (
            Team(
                "40 engineers, 2,000 QPS, isolated, phi, platform team, Rust", team: 40, qps: 2000, ratio: 3,
                tenancy: .isolatedMultiTenant, data: .phi, pattern: .domainBoundedServices, language: .rust,
                platform: true
            ) {
                $0.complianceOwner = "CISO"; $0.encryptionAtRestPlan = true
            }, "go-or-rust-microservice"
        ),
        (
            Team(
                "35 engineers, Go microservices with a platform team", team: 35, qps: 3000, data: .internal,
                pattern: .microservices, language: .go, platform: true), "go-or-rust-microservice"
        ),
        (
            Team(
                "TypeScript with an admin panel stays on Node", team: 10, qps: 100, language: .typescript, admin: true),
            "node-express"
        ),
        (
            Team(
                "Python, 18 engineers, domain-bounded modules", team: 18, qps: 300, pattern: .domainBoundedServices,
                language: .python), "fastapi-python"
        ),
        (Team("solo TypeScript developer", team: 1, qps: 5, language: .typescript), "node-express"),
        (
            Team("Python team of 22 with an admin panel", team: 22, qps: 150, ratio: 5, language: .python, admin: true),
            "django-monolith"
        ),
        (
            Team("Python team of 16 without an admin panel", team: 16, qps: 150, ratio: 5, language: .python),
            "fastapi-python"
        ),
        (
            Team("Python team of 22 outgrows fastapi's 20", team: 22, qps: 150, ratio: 5, language: .python),
            "django-monolith"
        ),
        (Team("TypeScript, public data", team: 4, qps: 30, data: .public, language: .typescript), "node-express"),
        (Team("write-heavy Python ingestion", team: 6, qps: 400, ratio: 0.2, language: .python), "fastapi-python"),
        (
            Team(
                "Rust, isolated tenants, 50 engineers, platform team", team: 50, qps: 1500,
                tenancy: .isolatedMultiTenant,
                data: .pii, pattern: .microservices, language: .rust, platform: true), "go-or-rust-microservice"
        ),
        (
            Team("`monolith` is not `modular-monolith`", team: 8, qps: 50, pattern: .monolith, language: .typescript),
            "node-express"
        ),
        (Team("Kotlin team: nothing fits the language", team: 9, qps: 60, language: .kotlin), "fastapi-python"),
    ])
    func ranksTheExpectedWinner(team: Team, winner: String) throws {
        let result = try Self.decider.decide(team.request)
        #expect(result.ranking.first?.profile == winner)
        #expect(result.status == .recommended, "\(result.killCriteria.map(\.id))")
        #expect(result.recommendation?.profile == winner)
        #expect(result.recommendation?.approvals.allSatisfy { $0.approvers.allSatisfy { !$0.approved } } == true)
    }

    @Test func theTypeScriptSampleShowsFastAPIAsRunnerUpWithinFifteenPercent() throws {
        let result = try Self.decider.decide(.sample)
        #expect(result.recommendation?.score == 1)
        #expect(result.recommendation?.runnerUp?.profile == "fastapi-python")
        #expect(result.recommendation?.runnerUp?.relativeScore == 0.895)
        #expect(result.recommendation?.sloFloor.p99Ms == 600)
    }

    @Test func monolithDoesNotMatchModularMonolith() throws {
        let result = try Self.decider.decide(
            Team("monolith", team: 8, qps: 50, pattern: .monolith, language: .typescript).request)
        let node = try #require(result.ranking.first { $0.profile == "node-express" })
        #expect(node.violated.map(\.constraint).contains("pattern"))
        #expect(node.score < 1)
    }

    @Test(arguments: [
        (
            Team(
                "microservices, 5 engineers, no platform team", team: 5, qps: 20, pattern: .microservices, language: .go
            ),
            ["microservices-small-team", "microservices-no-platform-team"]
        ),
        (
            Team("PHI with 3 engineers", team: 3, qps: 10, data: .phi, language: .python) {
                $0.complianceOwner = "Ana"; $0.encryptionAtRestPlan = true
            },
            ["regulated-data-tiny-team"]
        ),
        (
            Team("8,000 QPS on a modular monolith", team: 12, qps: 8000, language: .typescript),
            ["monolith-over-5000-qps"]
        ),
        (
            Team("half a request per second, 10 engineers", team: 10, qps: 0.5, language: .typescript),
            ["no-load-large-team"]
        ),
        (
            Team("event-driven everywhere with 8 engineers", team: 8, qps: 50, language: .typescript) {
                $0.communicationStyle = .eventDriven
            },
            ["event-driven-small-team"]
        ),
        (
            Team(
                "single-tenant without enterprise pricing", team: 8, qps: 50, tenancy: .singleTenant,
                language: .typescript
            ) { $0.enterprisePricing = false },
            ["single-tenant-without-enterprise-pricing"]
        ),
        (
            Team("PCI without a compliance owner", team: 10, qps: 50, data: .pci, language: .typescript) {
                $0.complianceOwner = " "; $0.encryptionAtRestPlan = true
            },
            ["regulated-data-without-owner"]
        ),
        (
            Team("PHI without an encryption plan", team: 10, qps: 50, data: .phi, language: .python) {
                $0.complianceOwner = "Ana"; $0.encryptionAtRestPlan = false
            },
            ["regulated-data-without-owner"]
        ),
    ])
    func killCriteriaBlockTheRecommendation(team: Team, kills: [String]) throws {
        let result = try Self.decider.decide(team.request)
        #expect(result.status == .blocked)
        #expect(result.killCriteria.map(\.id) == kills)
        #expect(result.recommendation == nil)
        #expect(result.nextStep.hasPrefix("Blocked"))
    }

    @Test func refusesWithoutTheFactsNamingEachQuestion() throws {
        var request = DecideRequest()
        request.teamSize = 5
        request.languagePreference = .go
        let result = try Self.decider.decide(request)
        #expect(result.status == .refused)
        #expect(
            result.missing.map(\.field) == ["qps_p99", "read_write_ratio", "tenancy", "data_sensitivity", "pattern"])
        #expect(result.missing.allSatisfy { $0.question.hasPrefix("Q") })
        #expect(result.ranking.isEmpty)
    }

    @Test(arguments: [
        Team("team of 0", team: 0, qps: 10, language: .go),
        Team("team of -3", team: -3, qps: 10, language: .go),
        Team("negative QPS", team: 3, qps: -1, language: .go),
        Team("ratio 0", team: 3, qps: 10, ratio: 0, language: .go),
        Team("ratio -2", team: 3, qps: 10, ratio: -2, language: .go),
        Team("availability 99.9 instead of 0.999", team: 3, qps: 10, language: .go) { $0.sloAvailability = 99.9 },
    ])
    func rejectsValuesOutOfRange(team: Team) {
        #expect(throws: BackendError.self) { try Self.decider.decide(team.request) }
    }

    @Test func tiesAreReportedNotHiddenBehindFileNames() throws {
        let result = try Self.decider.decide(Team("Go team on a monolith", team: 10, qps: 200, language: .go).request)
        #expect(result.tie)
        #expect(Set(result.ranking.prefix(2).map(\.profile)) == ["node-express", "fastapi-python"])
    }

    @Test func tighterConstraintSetsWinExactTies() throws {
        // django and fastapi both score 1.0 with Python; django declares more (admin panel, ratio), so it wins.
        let result = try Self.decider.decide(
            Team("admin panel", team: 12, qps: 80, ratio: 30, language: .python, admin: true).request)
        #expect(result.ranking.prefix(2).map(\.profile) == ["django-monolith", "fastapi-python"])
        #expect(!result.tie)
    }

    @Test func targetsBeyondTheFloorAreFlaggedAndUnknownOnesMakeItIncomplete() throws {
        var request = DecideRequest.sample
        request.sloAvailability = 0.9995
        request.rpoMinutes = 120
        let result = try Self.decider.decide(request)
        let verdicts = Dictionary(uniqueKeysWithValues: result.sloCheck.map { ($0.metric, $0.verdict) })
        #expect(
            verdicts == [
                "uptime": .exceedsFloor, "rpo_minutes": .withinFloor, "p99_ms": .unknown, "rto_minutes": .unknown,
            ])
        #expect(result.incomplete.contains { $0.question.hasPrefix("Q6") })
        #expect(result.incomplete.contains { $0.question.hasPrefix("Q7") })
        #expect(result.nextStep.hasPrefix("Recommendation incomplete"))
    }

    @Test(arguments: [(30.0, 100.0, "Read-heavy"), (0.2, 3000.0, "partitioning"), (0.5, 50.0, "Write-heavy")])
    func theReadWriteRatioShapesTheAdvice(ratio: Double, qps: Double, phrase: String) throws {
        let team = Team(
            "ratio", team: 40, qps: qps, ratio: ratio, tenancy: .isolatedMultiTenant, pattern: .domainBoundedServices,
            language: .go, platform: true)
        let result = try Self.decider.decide(team.request)
        #expect(result.advice.contains { $0.contains(phrase) }, "\(result.advice)")
    }

    @Test func theDigestNamesProfileFloorAndApproversWithinTwoHundredWords() throws {
        let text = try Self.decider.decide(.sample).digest.render()
        #expect(Digest.wordCount(text) <= Digest.maxWords)
        for needle in [
            "node-express", "p50 80 ms", "p99 600 ms", "uptime 99.5%", "RPO 60 min", "RTO 240 min", "DBA",
            "not approved",
        ] {
            #expect(text.contains(needle), "digest lacks \(needle):\n\(text)")
        }
    }
}
