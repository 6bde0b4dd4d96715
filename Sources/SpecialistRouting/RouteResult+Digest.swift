import BackendCore

extension RouteResult {
    /// The digest: the owner, whether to fork now, the order from here, the next step.
    public var digest: Digest {
        if let outOfScope {
            var digest = Digest("Out of backend scope: \(outOfScope.topic)")
            digest.add("Escalate to \(outOfScope.escalateTo.joined(separator: " or ")).")
            return digest
        }
        guard let match else {
            var digest = Digest("No specialist matches \"\(query.prefix(80))\"")
            digest.add("Closest concerns: \(closestConcerns.joined(separator: ", ")).")
            digest.next(nextStep)
            return digest
        }
        var digest = Digest(
            "\(match.specialists.joined(separator: " + ")) owns \(match.concernId) (confidence \(match.confidence))")
        digest.bullet("When: \(match.when).")
        digest.bullet("Path: \(match.paths.joined(separator: ", "))")
        if !match.openQuestions.isEmpty {
            digest.bullet("Not ready: answer \(match.openQuestions.map { "Q\($0)" }.joined(separator: ", ")) first.")
        }
        if order.count > 1 {
            digest.bullet(
                "Order: "
                    + order.map { "\($0.position). \($0.specialists.joined(separator: " + "))" }.joined(
                        separator: " → "))
        }
        if !alternatives.isEmpty {
            digest.bullet(
                "Also possible: " + alternatives.map { "\($0.concernId) (\($0.confidence))" }.joined(separator: ", "))
        }
        digest.next(nextStep)
        return digest
    }
}
