import BackendCore

extension RouteResult {
    /// The digest: this server's tools first, then the owning specialist, the order from here, the next step.
    public var digest: Digest {
        if let outOfScope {
            var digest = Digest("Out of backend scope: \(outOfScope.topic)")
            digest.add("Escalate to \(outOfScope.escalateTo.joined(separator: " or ")).")
            return digest
        }
        guard let match else {
            var digest = Digest(
                "Nothing matches \"\(query.prefix(80))\": no tool of this server and no specialist owns it")
            digest.add("Closest concerns: \(closestConcerns.joined(separator: ", ")).")
            digest.next(nextStep)
            return digest
        }
        var digest: Digest
        if let first = tools.first {
            digest = Digest(
                "Answer with \(tools.map(\.tool).joined(separator: ", then ")) (confidence \(first.confidence)), then \(match.specialists.joined(separator: " + ")) (\(match.concernId))"
            )
            for (index, tool) in tools.enumerated() {
                var line = "\(tool.tool) \(JSONWriter.string(tool.arguments))"
                if !tool.needs.isEmpty { line += ", give \(tool.needs.joined(separator: ", "))" }
                // The first tool says why; the others only what to start with, to keep the digest short.
                digest.bullet(index == 0 ? line + ": \(tool.why)." : line)
            }
            digest.bullet(
                "Then \(match.specialists.joined(separator: " + ")) owns \(match.concernId) (confidence \(match.confidence))."
            )
        } else {
            digest = Digest(
                "\(match.specialists.joined(separator: " + ")) owns \(match.concernId) (confidence \(match.confidence))"
            )
        }
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
