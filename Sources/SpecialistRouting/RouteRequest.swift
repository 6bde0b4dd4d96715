import BackendCore

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
    /// One of this server's tools to call before any specialist, with the arguments the concern gives.
    public struct ToolCall: Codable, Sendable, Equatable {
        public var tool: String
        public var why: String
        /// A JSON object: the arguments to start the call with.
        public var arguments: JSONValue
        /// Arguments the caller still has to supply.
        public var needs: [String]
        public var confidence: Double
    }

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

    /// Whether this server's tools or a specialist of the map own the concern.
    public var matched: Bool
    public var query: String
    /// This server's own tools to answer with first, in the order to call them.
    public var tools: [ToolCall]
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
        case matched, query, tools, match, alternatives, order
        case outOfScope = "out_of_scope"
        case closestConcerns = "closest_concerns"
        case nextStep = "next_step"
    }
}
