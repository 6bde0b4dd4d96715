/// Input of `route_to_specialist` (schema: `schemas/route_to_specialist.input.json`).
public struct RouteRequest: Codable, Sendable, Equatable {
    /// A concern in free text, or one of the map's concern ids.
    public var concern: String
    /// Forcing questions (1-7) the caller has already answered.
    public var answeredQuestions: [Int]?

    public init(concern: String, answeredQuestions: [Int]? = nil) {
        self.concern = concern
        self.answeredQuestions = answeredQuestions
    }

    enum CodingKeys: String, CodingKey {
        case concern
        case answeredQuestions = "answered_questions"
    }
}

/// Output of `route_to_specialist` (schema: `schemas/route_to_specialist.output.json`).
public struct RouteResult: Codable, Sendable, Equatable {
    public struct Match: Codable, Sendable, Equatable {
        public var concernId: String
        public var concern: String
        public var specialists: [String]
        public var paths: [String]
        public var when: String
        public var handOver: String
        public var confidence: Double
        /// Forcing questions the specialist needs that are still open.
        public var openQuestions: [Int]
        /// True when every question the specialist needs is answered, so it can be forked now.
        public var ready: Bool

        enum CodingKeys: String, CodingKey {
            case concernId = "concern_id", concern, specialists, paths, when
            case handOver = "hand_over", confidence
            case openQuestions = "open_questions", ready
        }
    }

    public struct Alternative: Codable, Sendable, Equatable {
        public var concernId: String
        public var specialists: [String]
        public var confidence: Double

        enum CodingKeys: String, CodingKey {
            case concernId = "concern_id", specialists, confidence
        }
    }

    public struct Step: Codable, Sendable, Equatable {
        public var position: Int
        public var concernId: String
        public var specialists: [String]
        public var openQuestions: [Int]
        public var why: String

        enum CodingKeys: String, CodingKey {
            case position, concernId = "concern_id", specialists
            case openQuestions = "open_questions", why
        }
    }

    public struct Escalation: Codable, Sendable, Equatable {
        public var topic: String
        public var escalateTo: [String]

        enum CodingKeys: String, CodingKey {
            case topic, escalateTo = "escalate_to"
        }
    }

    /// Whether a specialist of the map owns the concern.
    public var matched: Bool
    public var query: String
    public var match: Match?
    public var alternatives: [Alternative]
    /// The specialists to run from where the caller stands, in dependency order, ending with the match.
    public var order: [Step]
    /// Set when the concern belongs outside backend work.
    public var outOfScope: Escalation?
    /// When nothing matched: the concern ids whose wording is nearest.
    public var closestConcerns: [String]
    public var nextStep: String

    enum CodingKeys: String, CodingKey {
        case matched, query, match, alternatives, order
        case outOfScope = "out_of_scope"
        case closestConcerns = "closest_concerns"
        case nextStep = "next_step"
    }
}
