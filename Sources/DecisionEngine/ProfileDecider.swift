import BackendCore

/// Ranks profiles against a team's facts, applies the kill criteria, and states the recommendation.
///
/// Matching is exact (no substrings). Score = matched weight / declared weight, with the weights of the
/// skill's engine (team min 2.0, team max 2.0, tenancy 1.5, sensitivity 1.0, pattern 2.0, QPS 1.5,
/// platform team 1.5, admin panel 1.0, language 1.0) plus the read/write ratio range at 1.0. Ties go to
/// language fit, then to the tighter (heavier) constraint set, never to the file name.
public struct ProfileDecider: Sendable {
    public let library: ProfileLibrary

    public init(library: ProfileLibrary) {
        self.library = library
    }

    /// Runner-up is shown when its score is at least this fraction of the winner's.
    public static let runnerUpFraction = 0.85

    public func decide(_ request: DecideRequest) throws(BackendError) -> DecisionResult {
        var result = DecisionResult(
            status: .refused, missing: [], killCriteria: [], ranking: [], tie: false, recommendation: nil,
            sloCheck: [], incomplete: [], advice: [], warnings: library.warnings, nextStep: "")
        result.missing = Self.missingInputs(request)
        if !result.missing.isEmpty {
            result.nextStep =
                "Answer \(Set(result.missing.map(\.question)).sorted().joined(separator: "; ")) and call again."
            return result
        }
        let facts = try Facts(request)
        guard !library.profiles.isEmpty else {
            throw BackendError(.failed, "no profile loaded: \(library.warnings.joined(separator: "; "))")
        }
        result.ranking = library.profiles.map { Self.rank($0, facts: facts) }.sorted(by: Self.ranksBefore)
        if result.ranking.count > 1 {
            let (first, second) = (result.ranking[0], result.ranking[1])
            result.tie =
                first.score == second.score && first.languageFit == second.languageFit
                && first.declaredWeight == second.declaredWeight
        }
        result.killCriteria = KillCriteria.tripped(request: request, facts: facts)
        result.advice = Self.advice(facts)
        let winner = result.ranking[0]
        let profile = library.profiles.first { $0.name == winner.profile }!
        result.sloCheck = Self.compare(request, with: profile.thresholds)
        result.incomplete = KillCriteria.gaps(request: request, facts: facts) + Self.sloGaps(result.sloCheck)

        guard result.killCriteria.isEmpty else {
            result.status = .blocked
            result.nextStep =
                "Blocked: resolve \(result.killCriteria.map(\.id).joined(separator: ", ")) (\(result.killCriteria[0].resolve)), then decide again."
            return result
        }
        result.status = .recommended
        var runnerUp: DecisionResult.RunnerUp?
        if result.ranking.count > 1, winner.score > 0 {
            let second = result.ranking[1]
            let relative = second.score / winner.score
            if relative >= Self.runnerUpFraction {
                runnerUp = .init(profile: second.profile, score: second.score, relativeScore: Self.round(relative))
            }
        }
        let thresholds = profile.thresholds
        result.recommendation = .init(
            profile: profile.name, description: profile.description, score: winner.score, runnerUp: runnerUp,
            stack: profile.stack, antiPatterns: profile.antiRecommendations,
            sloFloor: .init(
                p50Ms: thresholds.p50Ms, p95Ms: thresholds.p95Ms, p99Ms: thresholds.p99Ms, uptime: thresholds.uptime,
                rpoMinutes: thresholds.rpoMinutes, rtoMinutes: thresholds.rtoMinutes),
            approvals: profile.approvers.map { gate in
                .init(change: gate.change, approvers: gate.roles.map { .init(role: $0, approved: false) })
            },
            canon: profile.canon)
        result.nextStep =
            result.incomplete.isEmpty
            ? "Take \(profile.name) to the approvers named for each change; none has approved yet."
            : "Recommendation incomplete: answer \(Set(result.incomplete.map(\.question)).sorted().joined(separator: "; ")); then take \(profile.name) to the approvers."
        return result
    }

    // MARK: Refusal

    static let requiredFields: [(field: String, question: String, present: @Sendable (DecideRequest) -> Bool)] = [
        ("team_size", "Q5 (how many engineers, and does the size justify the pattern?)", { $0.teamSize != nil }),
        ("qps_p99", "Q1 (one-year p99 QPS, traced to evidence)", { $0.qpsP99 != nil }),
        ("read_write_ratio", "Q1 (reads per write)", { $0.readWriteRatio != nil }),
        ("tenancy", "Q2 (single, shared or isolated multi-tenant)", { $0.tenancy != nil }),
        ("data_sensitivity", "Q4 (the highest data tier present)", { $0.dataSensitivity != nil }),
        ("pattern", "Q5 (monolith, modular monolith or services)", { $0.pattern != nil }),
        (
            "language_preference", "team facts (the language the team ships in production)",
            {
                $0.languagePreference != nil
            }
        ),
    ]

    static func missingInputs(_ request: DecideRequest) -> [DecisionResult.MissingInput] {
        requiredFields.filter { !$0.present(request) }.map { .init(field: $0.field, question: $0.question) }
    }

    // MARK: Scoring

    static func rank(_ profile: Profile, facts: Facts) -> DecisionResult.RankedProfile {
        var matched: [DecisionResult.ConstraintCheck] = []
        var violated: [DecisionResult.ConstraintCheck] = []
        func check(_ name: String, weight: Double, expected: String, actual: String, _ holds: Bool) {
            let entry = DecisionResult.ConstraintCheck(
                constraint: name, expected: expected, actual: actual, weight: weight)
            if holds { matched.append(entry) } else { violated.append(entry) }
        }
        let rules = profile.constraints
        if let low = rules.teamSize?.min {
            check(
                "team_size.min", weight: 2.0, expected: ">= \(format(low))", actual: "\(facts.teamSize)",
                Double(facts.teamSize) >= low)
        }
        if let high = rules.teamSize?.max {
            check(
                "team_size.max", weight: 2.0, expected: "<= \(format(high))", actual: "\(facts.teamSize)",
                Double(facts.teamSize) <= high)
        }
        if let allowed = rules.tenancy {
            check(
                "tenancy", weight: 1.5, expected: allowed.map(\.rawValue).joined(separator: " | "),
                actual: facts.tenancy.rawValue, allowed.contains(facts.tenancy))
        }
        if let ceiling = rules.maxDataSensitivity {
            check(
                "data_sensitivity", weight: 1.0, expected: "tier <= \(ceiling.tier) (\(ceiling.rawValue))",
                actual: "tier \(facts.sensitivity.tier) (\(facts.sensitivity.rawValue))",
                facts.sensitivity.tier <= ceiling.tier)
        }
        if let allowed = rules.patterns {
            check(
                "pattern", weight: 2.0, expected: allowed.map(\.rawValue).joined(separator: " | "),
                actual: facts.pattern.rawValue, allowed.contains(facts.pattern))
        }
        if let low = rules.qpsP99?.min {
            check(
                "qps_p99.min", weight: 1.5, expected: ">= \(format(low))", actual: format(facts.qps), facts.qps >= low)
        }
        if let high = rules.qpsP99?.max {
            check(
                "qps_p99.max", weight: 1.5, expected: "<= \(format(high))", actual: format(facts.qps), facts.qps <= high
            )
        }
        if let range = rules.readWriteRatio, range.min != nil || range.max != nil {
            let bounds = range.contains(facts.ratio)
            let expected = [range.min.map { ">= \(format($0))" }, range.max.map { "<= \(format($0))" }]
                .compactMap { $0 }.joined(separator: " and ")
            check(
                "read_write_ratio", weight: 1.0, expected: expected, actual: format(facts.ratio),
                bounds.min != false && bounds.max != false)
        }
        if let needed = rules.platformTeam {
            check(
                "platform_team", weight: 1.5, expected: "\(needed)", actual: "\(facts.platformTeam)",
                facts.platformTeam == needed)
        }
        if let needed = rules.adminPanel {
            check(
                "admin_panel", weight: 1.0, expected: "\(needed)", actual: "\(facts.adminPanel)",
                facts.adminPanel == needed)
        }
        var languageFit = false
        if let languages = rules.languages {
            languageFit = languages.contains(facts.language)
            check(
                "language", weight: 1.0, expected: languages.map(\.rawValue).joined(separator: " | "),
                actual: facts.language.rawValue, languageFit)
        }
        let declared = (matched + violated).map(\.weight).reduce(0, +)
        let score = declared > 0 ? matched.map(\.weight).reduce(0, +) / declared : 0
        return .init(
            profile: profile.name, score: round(score), languageFit: languageFit, declaredWeight: declared,
            matched: matched, violated: violated)
    }

    /// Score, then language fit, then the tighter constraint set; the name only keeps equal ties stable.
    static func ranksBefore(_ lhs: DecisionResult.RankedProfile, _ rhs: DecisionResult.RankedProfile) -> Bool {
        if lhs.score != rhs.score { return lhs.score > rhs.score }
        if lhs.languageFit != rhs.languageFit { return lhs.languageFit }
        if lhs.declaredWeight != rhs.declaredWeight { return lhs.declaredWeight > rhs.declaredWeight }
        return lhs.profile < rhs.profile
    }

    // MARK: Advice and SLO

    static func advice(_ facts: Facts) -> [String] {
        var notes: [String] = []
        let ratio = format(facts.ratio)
        if facts.ratio >= 10 {
            notes.append(
                "Read-heavy (\(ratio):1): put a cache in front of hot reads and plan read replicas before scaling the primary; keep writes on the primary."
            )
        } else if facts.ratio < 1 && facts.qps >= 1000 {
            notes.append(
                "Write-heavy (\(ratio):1) at \(format(facts.qps)) QPS p99: plan partitioning (by tenant or time) and batched writes now; one primary will saturate."
            )
        } else if facts.ratio < 1 {
            notes.append(
                "Write-heavy (\(ratio):1): keep indexes few and purposeful, and watch WAL volume and autovacuum.")
        }
        if facts.qps > 1000, facts.pattern == .modularMonolith || facts.pattern == .monolith {
            notes.append(
                "\(format(facts.qps)) QPS p99 on a monolith: load-test the hot paths early (senior-backend load-test) and keep the data layer horizontally scalable."
            )
        }
        return notes
    }

    static func compare(_ request: DecideRequest, with floor: Profile.Thresholds) -> [DecisionResult.SLOComparison] {
        func entry(
            _ metric: String, _ floorValue: Double, _ requested: Double?, stricterWhenHigher: Bool
        )
            -> DecisionResult.SLOComparison
        {
            guard let requested else {
                return .init(metric: metric, floor: floorValue, requested: nil, verdict: .unknown)
            }
            let exceeds = stricterWhenHigher ? requested > floorValue : requested < floorValue
            return .init(
                metric: metric, floor: floorValue, requested: requested, verdict: exceeds ? .exceedsFloor : .withinFloor
            )
        }
        return [
            entry("uptime", floor.uptime, request.sloAvailability, stricterWhenHigher: true),
            entry("p99_ms", floor.p99Ms, request.sloP99Ms, stricterWhenHigher: false),
            entry("rpo_minutes", floor.rpoMinutes, request.rpoMinutes, stricterWhenHigher: false),
            entry("rto_minutes", floor.rtoMinutes, request.rtoMinutes, stricterWhenHigher: false),
        ]
    }

    static func sloGaps(_ checks: [DecisionResult.SLOComparison]) -> [DecisionResult.Gap] {
        checks.filter { $0.verdict == .unknown }.map { check in
            let question =
                check.metric.hasPrefix("r") ? "Q6 (RPO and RTO per data surface)" : "Q7 (SLO on a measurable SLI)"
            return .init(what: "the team's \(check.metric) target", question: question)
        }
    }

    static func round(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    static func format(_ value: Double) -> String {
        NumberText.plain(value)
    }
}

/// The required facts, checked for range.
struct Facts {
    let teamSize: Int
    let qps: Double
    let ratio: Double
    let tenancy: Tenancy
    let sensitivity: DataSensitivity
    let pattern: ArchitecturePattern
    let language: Language
    let platformTeam: Bool
    let adminPanel: Bool

    init(_ request: DecideRequest) throws(BackendError) {
        guard let teamSize = request.teamSize, let qps = request.qpsP99, let ratio = request.readWriteRatio,
            let tenancy = request.tenancy, let sensitivity = request.dataSensitivity, let pattern = request.pattern,
            let language = request.languagePreference
        else { throw .invalidInput("required facts are missing") }
        try request.validateRanges()
        self.teamSize = teamSize
        self.qps = qps
        self.ratio = ratio
        self.tenancy = tenancy
        self.sensitivity = sensitivity
        self.pattern = pattern
        self.language = language
        self.platformTeam = request.platformTeam ?? false
        self.adminPanel = request.needsAdminPanel ?? false
    }
}

extension DecideRequest {
    /// Checks the values that are given (absent ones pass): the same bounds as the input schema, for
    /// callers such as the CLI that do not go through schema validation.
    public func validateRanges() throws(BackendError) {
        if let teamSize, teamSize < 1 { throw .invalidInput("team_size must be at least 1, got \(teamSize)") }
        if let qpsP99, !(qpsP99 >= 0 && qpsP99.isFinite) {
            throw .invalidInput("qps_p99 must be 0 or more, got \(qpsP99)")
        }
        if let readWriteRatio, !(readWriteRatio > 0 && readWriteRatio.isFinite) {
            throw .invalidInput(
                "read_write_ratio must be above 0 (reads per write, e.g. 20 for 20:1), got \(readWriteRatio)")
        }
        if let sloAvailability, !(sloAvailability > 0 && sloAvailability < 1) {
            throw .invalidInput(
                "slo_availability is a fraction between 0 and 1 (0.999 for 99.9%), got \(sloAvailability)")
        }
        for (name, value) in [("rpo_minutes", rpoMinutes), ("rto_minutes", rtoMinutes), ("slo_p99_ms", sloP99Ms)] {
            if let value, !(value >= 0 && value.isFinite) {
                throw .invalidInput("\(name) must be 0 or more, got \(value)")
            }
        }
    }
}
