import BackendCore
import DecisionEngine
import Foundation

/// Walks the seven forcing questions, one per call, and runs the decision engine after the seventh.
public struct GrillEngine: Sendable {
    public let store: GrillStore
    public let decider: ProfileDecider
    /// Names the specialist to fork once the walk is complete (from the composition map).
    public let nextSpecialist: @Sendable () -> GrillResult.NextSpecialist?
    /// Today's date as `YYYY-MM-DD` (injected so tests can fix it).
    public let today: @Sendable () -> String

    public init(
        store: GrillStore, decider: ProfileDecider,
        nextSpecialist: @escaping @Sendable () -> GrillResult.NextSpecialist?,
        today: @escaping @Sendable () -> String = GrillEngine.utcDate
    ) {
        self.store = store
        self.decider = decider
        self.nextSpecialist = nextSpecialist
        self.today = today
    }

    @Sendable public static func utcDate() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }

    public func handle(_ request: GrillRequest) throws(BackendError) -> GrillResult {
        try GrillStore.validate(session: request.session)
        try request.answers.validateRanges()
        return try store.withLock(session: request.session) { () throws(BackendError) -> GrillResult in
            let path = store.path(session: request.session, today: today())
            let action = request.action ?? .next
            if action == .restart { store.remove(path: path) }
            let fresh = GrillState(session: request.session, started: today())
            var state = (action == .restart ? nil : try store.load(path: path)) ?? fresh
            if action == .status {
                return evaluate(&state, path: path, vagueAnswerTo: nil)
            }
            let open = GrillWalk.openQuestion(state.answers)
            state.answers = GrillWalk.merge(state.answers, request.answers)
            let note = request.note?.trimmingCharacters(in: .whitespacesAndNewlines)
            var vague: Int?
            if let note, !note.isEmpty, let open {
                state.notes["\(open)"] = String(note.prefix(2000))
                // A free-text answer that settles none of the question's numbers trips Q1, Q6 and Q7.
                let stillMissing = GrillWalk.missingFields(open, state.answers)
                if [1, 6, 7].contains(open), stillMissing == ForcingQuestion.all[open - 1].fields { vague = open }
            }
            let result = evaluate(&state, path: path, vagueAnswerTo: vague)
            try store.save(state, document: GrillDocument.render(state, result: result), path: path)
            return result
        }
    }

    /// Updates the status from the answers and builds the result: one question, a kill, or the decision.
    func evaluate(_ state: inout GrillState, path: String, vagueAnswerTo vague: Int?) -> GrillResult {
        let answered = (1...7).filter { GrillWalk.missingFields($0, state.answers).isEmpty }
        var result = GrillResult(
            session: state.session, stateFile: path, status: .asking, question: nil, missingFields: [],
            answered: answered, kill: nil, decision: nil, nextSpecialist: nil, nextStep: "")
        if let kill = GrillWalk.kill(state.answers, vagueAnswerTo: vague) {
            state.status = .stopped
            state.kill = kill
            result.status = .stopped
            result.kill = kill
            result.nextStep =
                "Stopped at Q\(kill.question): \(kill.observed). Resolve: \(kill.resolve); answer again to resume."
            return result
        }
        state.kill = nil
        if let open = GrillWalk.openQuestion(state.answers) {
            state.status = .asking
            result.question = ForcingQuestion.all[open - 1]
            result.missingFields = GrillWalk.missingFields(open, state.answers)
            result.nextStep =
                "Ask Q\(open) (\(result.question!.topic)) and call again with \(result.missingFields.joined(separator: ", "))."
            return result
        }
        do {
            let decision = try decider.decide(state.answers)
            result.decision = decision
            if decision.status == .blocked, let first = decision.killCriteria.first {
                state.status = .stopped
                state.kill = .init(question: 5, criterion: first.rule, observed: first.observed, resolve: first.resolve)
                result.status = .stopped
                result.kill = state.kill
                result.nextStep = decision.nextStep
                return result
            }
            state.status = .complete
            result.status = .complete
            result.nextSpecialist = nextSpecialist()
            let specialist = result.nextSpecialist.map { " Then fork \($0.specialist) (\($0.why))." } ?? ""
            result.nextStep = decision.nextStep + specialist
        } catch {
            state.status = .stopped
            result.status = .stopped
            result.kill = .init(
                question: 1, criterion: "answers in range", observed: error.message, resolve: "correct the answer")
            state.kill = result.kill
            result.nextStep = "Correct the answer: \(error.message)"
        }
        return result
    }
}

extension GrillResult {
    /// The digest: the one question, or the kill, or the recommendation with the next specialist.
    public var digest: Digest {
        switch status {
        case .asking:
            guard let question else { return Digest("Grill \(session): nothing to ask") }
            var digest = Digest("Q\(question.number) of 7: \(question.topic)")
            digest.add(question.text)
            digest.bullet("Recommended: \(question.recommendedAnswer)")
            digest.bullet("Why: \(question.rationale)")
            digest.bullet("Kill criterion: \(question.killCriterion)")
            digest.bullet("Canon: \(question.canon.joined(separator: "; "))")
            digest.next("answer with \(missingFields.joined(separator: ", ")) (session \(session)).")
            return digest
        case .stopped:
            var digest = Digest("Grill \(session) stopped at Q\(kill?.question ?? 0)")
            if let kill { digest.add("\(kill.observed). Kill criterion: \(kill.criterion)") }
            digest.next(nextStep)
            return digest
        case .complete:
            var digest = decision?.digest ?? Digest("Grill \(session) complete")
            if let nextSpecialist {
                digest.bullet("Next specialist: \(nextSpecialist.specialist) (\(nextSpecialist.path)).")
            }
            return digest
        }
    }
}
