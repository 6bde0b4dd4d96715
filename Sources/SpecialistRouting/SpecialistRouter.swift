import BackendCore
import Foundation

/// Maps a concern to the specialist that owns it, using the composition map and nothing else.
public struct SpecialistRouter: Sendable {
    public let map: CompositionMap

    public init(map: CompositionMap) {
        self.map = map
    }

    public func route(_ request: RouteRequest) throws(BackendError) -> RouteResult {
        let query = request.concern.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty else {
            throw .invalidInput("concern is empty: describe the concern or give a concern id such as `slo`")
        }
        let answered = Set(request.answeredQuestions ?? [])
        if let bad = answered.first(where: { !(1...7).contains($0) }) {
            throw .invalidInput("answered_questions: \(bad) is not a forcing question; use numbers 1 to 7")
        }

        let text = ConcernText(query)
        let scores = scoreConcerns(query: query, text: text)
        let escalation = map.escalations
            .map { ($0, Double($0.keywords.map(text.weight(of:)).reduce(0, +))) }
            .max { $0.1 < $1.1 }
        let best = scores.first

        var result = RouteResult(
            matched: false, query: query, match: nil, alternatives: [], order: [],
            outOfScope: nil, closestConcerns: [], nextStep: "")

        if let escalation, escalation.1 > 0, escalation.1 > (best?.score ?? 0) {
            result.outOfScope = .init(topic: escalation.0.topic, escalateTo: escalation.0.owners)
            result.nextStep =
                "Out of backend scope (\(escalation.0.topic)): hand it to \(escalation.0.owners.joined(separator: " or "))."
            return result
        }
        guard let best, best.score > 0 else {
            result.closestConcerns = closest(to: query)
            result.nextStep =
                "No specialist in the composition map owns this. Rephrase, or pick one of: "
                + result.closestConcerns.joined(separator: ", ") + "."
            return result
        }

        let total = scores.map(\.score).reduce(0, +)
        func confidence(_ score: Double) -> Double {
            let value = best.exact && score == best.score ? 1.0 : (score / (score + 1)) * (score / total)
            return (value * 100).rounded() / 100
        }
        let concern = best.concern
        let open = concern.afterQuestions.filter { !answered.contains($0) }
        result.matched = true
        result.match = .init(
            concernId: concern.id, concern: concern.summary, specialists: concern.specialists, paths: concern.paths,
            when: concern.when, handOver: concern.handOver, confidence: confidence(best.score),
            openQuestions: open, ready: open.isEmpty)
        result.alternatives = scores.dropFirst().filter { $0.score > 0 }.prefix(3).map {
            .init(concernId: $0.concern.id, specialists: $0.concern.specialists, confidence: confidence($0.score))
        }
        result.order = order(to: concern, answered: answered)
        if let first = result.order.first, first.concernId != concern.id {
            result.nextStep =
                "Run \(first.specialists.joined(separator: " + ")) first (\(first.why)), then the steps in order up to \(concern.specialists.joined(separator: " + "))."
        } else if !open.isEmpty {
            result.nextStep =
                "Answer forcing question(s) \(open.map { "Q\($0)" }.joined(separator: ", ")) first, then fork \(concern.specialists.joined(separator: " + ")) with: \(concern.handOver)."
        } else {
            result.nextStep = "Fork \(concern.specialists.joined(separator: " + ")) now with: \(concern.handOver)."
        }
        return result
    }

    struct Scored {
        let concern: CompositionMap.Concern
        let score: Double
        let exact: Bool
    }

    /// Concerns ranked by keyword weight; an exact concern id or specialist name wins outright.
    func scoreConcerns(query: String, text: ConcernText) -> [Scored] {
        let lowered = query.lowercased()
        let scored = map.concerns.enumerated().map { index, concern in
            let exact =
                lowered == concern.id || concern.specialists.contains(lowered)
                || lowered == concern.summary.lowercased()
            let weight = concern.keywords.map(text.weight(of:)).reduce(0, +) + text.weight(of: concern.id)
            return (index, Scored(concern: concern, score: exact ? 1000 : Double(weight), exact: exact))
        }
        // Ties keep the map's own order, which is deterministic and puts earlier-running specialists first.
        return scored.sorted { $0.1.score != $1.1.score ? $0.1.score > $1.1.score : $0.0 < $1.0 }.map(\.1)
    }

    /// The steps from where the caller stands up to `target`: SLO first while Q7 is open.
    func order(to target: CompositionMap.Concern, answered: Set<Int>) -> [RouteResult.Step] {
        var ids: [String]
        if let position = map.order.firstIndex(of: target.id) {
            ids = Array(map.order[...position])
            // Conditional steps run only when the concern itself calls for them.
            ids.removeAll { $0 != target.id && ["zero-downtime-migrations", "compliance-evidence"].contains($0) }
            if answered.contains(7), target.id != "slo" { ids.removeAll { $0 == "slo" } }
        } else {
            ids = (answered.contains(7) ? [] : ["slo"]) + [target.id]
        }
        return ids.enumerated().compactMap { offset, id in
            guard let concern = map.concern(id: id) else { return nil }
            let open = concern.afterQuestions.filter { !answered.contains($0) }
            let why =
                id == "slo" && !answered.contains(7)
                ? "no SLO, no design: Q7 is open" : (id == target.id ? "the concern asked about" : concern.when)
            return .init(
                position: offset + 1, concernId: id, specialists: concern.specialists, openQuestions: open, why: why)
        }
    }

    func closest(to query: String) -> [String] {
        let grams = ConcernText.trigrams(query)
        let ranked = map.concerns.enumerated().map { index, concern in
            let other = ConcernText.trigrams(concern.summary + " " + concern.keywords.joined(separator: " "))
            let shared = Double(grams.intersection(other).count) / Double(max(1, grams.union(other).count))
            return (index, concern.id, shared)
        }
        return ranked.sorted { $0.2 != $1.2 ? $0.2 > $1.2 : $0.0 < $1.0 }.prefix(3).map(\.1)
    }
}
