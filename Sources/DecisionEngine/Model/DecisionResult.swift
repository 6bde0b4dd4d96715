/// Output of `decide_profile` (schema: `schemas/decide_profile.output.json`).
public struct DecisionResult: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        /// A profile is recommended (approvers still have to sign off).
        case recommended
        /// A kill criterion tripped: no recommendation until it is resolved.
        case blocked
        /// Required facts are missing: nothing was ranked.
        case refused
    }

    public struct MissingInput: Codable, Sendable, Equatable {
        public var field: String
        public var question: String
    }

    public struct KillCriterion: Codable, Sendable, Equatable {
        public var id: String
        public var rule: String
        public var observed: String
        public var resolve: String
    }

    public struct ConstraintCheck: Codable, Sendable, Equatable {
        public var constraint: String
        public var expected: String
        public var actual: String
        public var weight: Double
    }

    public struct RankedProfile: Codable, Sendable, Equatable {
        public var profile: String
        public var score: Double
        public var languageFit: Bool
        public var declaredWeight: Double
        public var matched: [ConstraintCheck]
        public var violated: [ConstraintCheck]

        enum CodingKeys: String, CodingKey {
            case profile, score, languageFit = "language_fit", declaredWeight = "declared_weight", matched, violated
        }
    }

    public struct SLOFloor: Codable, Sendable, Equatable {
        public var p50Ms: Double
        public var p95Ms: Double
        public var p99Ms: Double
        public var uptime: Double
        public var rpoMinutes: Double
        public var rtoMinutes: Double

        enum CodingKeys: String, CodingKey {
            case p50Ms = "p50_ms", p95Ms = "p95_ms", p99Ms = "p99_ms", uptime
            case rpoMinutes = "rpo_minutes", rtoMinutes = "rto_minutes"
        }
    }

    public struct Approver: Codable, Sendable, Equatable {
        public var role: String
        /// Always false: the tool never approves on anyone's behalf.
        public var approved: Bool
    }

    public struct ApprovalGate: Codable, Sendable, Equatable {
        public var change: String
        public var approvers: [Approver]
    }

    public struct RunnerUp: Codable, Sendable, Equatable {
        public var profile: String
        public var score: Double
        /// Runner-up score as a fraction of the winner's (at least 0.85 to be shown).
        public var relativeScore: Double

        enum CodingKeys: String, CodingKey {
            case profile, score, relativeScore = "relative_score"
        }
    }

    public struct Recommendation: Codable, Sendable, Equatable {
        public var profile: String
        public var description: String
        public var score: Double
        public var runnerUp: RunnerUp?
        public var stack: [Profile.StackLayer]
        public var antiPatterns: [Profile.AntiRecommendation]
        public var sloFloor: SLOFloor
        public var approvals: [ApprovalGate]
        public var canon: [String]

        enum CodingKeys: String, CodingKey {
            case profile, description, score, runnerUp = "runner_up", stack, antiPatterns = "anti_patterns"
            case sloFloor = "slo_floor", approvals, canon
        }
    }

    public struct SLOComparison: Codable, Sendable, Equatable {
        public enum Verdict: String, Codable, Sendable {
            /// The team asks no more than the profile promises.
            case withinFloor = "within-floor"
            /// The team asks more than the profile promises: plan for it explicitly.
            case exceedsFloor = "exceeds-floor"
            /// The team has not said; the question that obtains it is in `incomplete`.
            case unknown
        }
        public var metric: String
        public var floor: Double
        public var requested: Double?
        public var verdict: Verdict
    }

    public struct Gap: Codable, Sendable, Equatable {
        public var what: String
        public var question: String
    }

    public var status: Status
    public var missing: [MissingInput]
    public var killCriteria: [KillCriterion]
    public var ranking: [RankedProfile]
    /// True when the top two profiles tie on score, language fit and constraint weight.
    public var tie: Bool
    public var recommendation: Recommendation?
    public var sloCheck: [SLOComparison]
    public var incomplete: [Gap]
    public var advice: [String]
    public var warnings: [String]
    public var nextStep: String

    enum CodingKeys: String, CodingKey {
        case status, missing, killCriteria = "kill_criteria", ranking, tie, recommendation
        case sloCheck = "slo_check", incomplete, advice, warnings, nextStep = "next_step"
    }
}
