import DecisionEngine

/// Input of `grill_next_question` (schema: `schemas/grill_next_question.input.json`): the session, the
/// action, and any answers, flat, with the same names as `decide_profile`'s inputs.
public struct GrillRequest: Codable, Sendable, Equatable {
    public enum Action: String, Codable, Sendable, CaseIterable {
        /// Record the answers given (if any) and ask the next open question. The default.
        case next
        /// The same as `next`; the name reads better when answers are given.
        case answer
        /// Show where the session stands without changing it.
        case status
        /// Forget the session's answers and start again.
        case restart
    }

    public var session: String
    public var action: Action?
    /// Free text for the question being answered (kept in the state file).
    public var note: String?
    public var answers: DecideRequest

    public init(session: String, action: Action? = nil, note: String? = nil, answers: DecideRequest = DecideRequest()) {
        self.session = session
        self.action = action
        self.note = note
        self.answers = answers
    }

    enum CodingKeys: String, CodingKey { case session, action, note }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        session = try container.decode(String.self, forKey: .session)
        action = try container.decodeIfPresent(Action.self, forKey: .action)
        note = try container.decodeIfPresent(String.self, forKey: .note)
        answers = try DecideRequest(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(session, forKey: .session)
        try container.encodeIfPresent(action, forKey: .action)
        try container.encodeIfPresent(note, forKey: .note)
        try answers.encode(to: encoder)
    }
}

/// What the grill keeps between calls (the JSON block of the state file).
public struct GrillState: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case asking, stopped, complete
    }

    public var session: String
    public var started: String
    public var status: Status
    public var answers: DecideRequest
    /// Free-text notes by question number ("1" ... "7").
    public var notes: [String: String]
    public var kill: GrillResult.Kill?

    public init(session: String, started: String) {
        self.session = session
        self.started = started
        self.status = .asking
        self.answers = DecideRequest()
        self.notes = [:]
    }
}

/// Output of `grill_next_question` (schema: `schemas/grill_next_question.output.json`).
public struct GrillResult: Codable, Sendable, Equatable {
    public struct Kill: Codable, Sendable, Equatable {
        public var question: Int
        public var criterion: String
        public var observed: String
        public var resolve: String
    }

    public struct NextSpecialist: Codable, Sendable, Equatable {
        public var specialist: String
        public var path: String
        public var why: String

        public init(specialist: String, path: String, why: String) {
            self.specialist = specialist
            self.path = path
            self.why = why
        }
    }

    public var session: String
    public var stateFile: String
    public var status: GrillState.Status
    /// The one question to ask now; absent when stopped or complete.
    public var question: ForcingQuestion?
    /// Fields of this question still missing (a subset of `question.fields`, plus conditional ones).
    public var missingFields: [String]
    public var answered: [Int]
    public var kill: Kill?
    public var decision: DecisionResult?
    public var nextSpecialist: NextSpecialist?
    public var nextStep: String

    /// A kill criterion stopped the session: an error result over MCP, exit status 1 on the CLI.
    public var failedCheck: Bool { status == .stopped }

    enum CodingKeys: String, CodingKey {
        case session, stateFile = "state_file", status, question, missingFields = "missing_fields", answered, kill
        case decision, nextSpecialist = "next_specialist", nextStep = "next_step"
    }
}
