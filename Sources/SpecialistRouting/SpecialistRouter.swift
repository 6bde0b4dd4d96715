import BackendCore
import Foundation

/// Maps a concern to this server's own tools when it is ours, then to the specialists of the composition map.
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
        let concepts = ConceptLexicon.concepts(in: text)
        let scores = scoreConcerns(query: query, text: text, concepts: concepts)
        let tools = scoreTools(concepts: concepts, exact: scores.first?.exact == true)
        let escalation = map.escalations
            .map { ($0, 2 * Double($0.keywords.map(text.weight(of:)).reduce(0, +))) }
            .max { $0.1 < $1.1 }
        let best = scores.first

        var result = RouteResult(
            matched: false, query: SecretRedactor.redact(query), tools: [], match: nil, alternatives: [], order: [],
            outOfScope: nil, closestConcerns: [], nextStep: "")

        let strongest = max(tools.first?.score ?? 0, scores.map(\.own).max() ?? 0)
        if let escalation, escalation.1 > 0, escalation.1 > strongest, best?.exact != true {
            result.outOfScope = .init(topic: escalation.0.topic, escalateTo: escalation.0.owners)
            result.nextStep =
                "Out of backend scope (\(escalation.0.topic)): hand it to \(escalation.0.owners.joined(separator: " or "))."
            return result
        }
        guard let best, best.score >= RoutingRules.concernThreshold else {
            result.closestConcerns = closest(to: query)
            result.nextStep =
                "Nothing in this server or the composition map owns this. Rephrase with the backend symptom or goal, or pick one of: "
                + result.closestConcerns.joined(separator: ", ") + "."
            return result
        }

        // Confidence: how strong the evidence is, times its share of the three strongest answers.
        // A concern that a chosen tool leads to completes that answer rather than competing with it.
        let led = Set(tools.map(\.owner.concern))
        let rivals = tools.map(\.score) + scores.filter { !led.contains($0.concern.id) }.map(\.own)
        let strongestThree = rivals.filter { $0 > 0 }.sorted(by: >).prefix(3)
        let total = max(strongestThree.reduce(0, +), 1)
        func confidence(_ score: Double) -> Double {
            let value = best.exact && score == best.score ? 1.0 : min(1, (score / (score + 2)) * (score / total))
            return (value * 100).rounded() / 100
        }
        var seen = Set<String>()
        for owner in tools {
            for tool in owner.owner.tools where seen.insert(tool).inserted {
                let (arguments, needs) = ArgumentHints.arguments(tool: tool, text: query, concepts: concepts)
                result.tools.append(
                    .init(
                        tool: tool, why: RoutingRules.why[tool] ?? "", arguments: .object(arguments), needs: needs,
                        confidence: confidence(owner.score)))
            }
        }
        let concern = best.concern
        let open = concern.afterQuestions.filter { !answered.contains($0) }
        result.matched = true
        result.match = .init(
            concernId: concern.id, concern: concern.summary, specialists: concern.specialists, paths: concern.paths,
            when: concern.when, handOver: concern.handOver, confidence: confidence(best.score),
            openQuestions: open, ready: open.isEmpty)
        result.alternatives = scores.dropFirst().filter { $0.score >= 1 }.prefix(3).map {
            .init(concernId: $0.concern.id, specialists: $0.concern.specialists, confidence: confidence($0.score))
        }
        result.order = order(to: concern, answered: answered)
        let specialists = concern.specialists.joined(separator: " + ")
        var next: String
        if let first = result.order.first, first.concernId != concern.id {
            next =
                "run \(first.specialists.joined(separator: " + ")) first (\(first.why)), then the steps in order up to \(specialists)."
        } else if !open.isEmpty {
            next =
                "answer forcing question(s) \(open.map { "Q\($0)" }.joined(separator: ", ")) first, then fork \(specialists) with: \(concern.handOver)."
        } else {
            next = "fork \(specialists) now with: \(concern.handOver)."
        }
        if let tool = result.tools.first {
            let needs = tool.needs.isEmpty ? "" : " (give \(tool.needs.joined(separator: ", ")))"
            next = "Call \(tool.tool) now\(needs); then " + next
        } else {
            next = next.prefix(1).uppercased() + next.dropFirst()
        }
        result.nextStep = next
        return result
    }

    struct Scored {
        let concern: CompositionMap.Concern
        /// Own evidence plus the score of the tool answers that lead to this concern.
        let score: Double
        /// The concern's own evidence: its concept rules and the map's keywords.
        let own: Double
        let exact: Bool
    }

    struct ScoredTools {
        let owner: RoutingOwner
        let score: Double
    }

    /// This server's answers whose evidence reaches the threshold, strongest first.
    func scoreTools(concepts: Set<String>, exact: Bool) -> [ScoredTools] {
        guard !exact else { return [] }
        var scored: [(index: Int, tools: ScoredTools)] = []
        for (index, owner) in RoutingRules.toolOwners.enumerated() {
            let score = owner.score(concepts)
            if score >= RoutingRules.threshold { scored.append((index, ScoredTools(owner: owner, score: score))) }
        }
        scored.sort { $0.tools.score != $1.tools.score ? $0.tools.score > $1.tools.score : $0.index < $1.index }
        return scored.map(\.tools)
    }

    /// Concerns ranked by concept evidence, the map's keywords and the tool answers leading to them; an exact
    /// concern id or specialist name wins outright.
    func scoreConcerns(query: String, text: ConcernText, concepts: Set<String>) -> [Scored] {
        let lowered = query.lowercased()
        let tools = scoreTools(concepts: concepts, exact: false)
        var scored: [(Int, Scored)] = []
        for (index, concern) in map.concerns.enumerated() {
            let exact =
                lowered == concern.id || concern.specialists.contains(lowered)
                || lowered == concern.summary.lowercased()
            let rules = RoutingRules.concernRules[concern.id] ?? []
            var evidence = 0.0
            for rule in rules where rule.all.isSubset(of: concepts) && rule.none.isDisjoint(with: concepts) {
                evidence += rule.weight
            }
            // The map's own keywords count, but alone they never reach the threshold.
            let keywords = concern.keywords.map(text.weight(of:)).reduce(0, +) + text.weight(of: concern.id)
            let own = evidence + min(2, 0.5 * Double(keywords))
            var linked = 0.0
            for tool in tools where tool.owner.concern == concern.id { linked += tool.score }
            scored.append(
                (
                    index,
                    Scored(concern: concern, score: exact ? 1000 : own + linked, own: exact ? 1000 : own, exact: exact)
                ))
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
