import BackendCore

extension DecisionResult {
    /// The digest: verdict, SLO floor, approvers, what is missing, next step.
    public var digest: Digest {
        switch status {
        case .refused:
            var digest = Digest("Refused: \(missing.count) required fact(s) missing; nothing ranked")
            for item in missing { digest.bullet("`\(item.field)`: \(item.question)") }
            digest.next(nextStep)
            return digest
        case .blocked:
            var digest = Digest("Blocked by \(killCriteria.count) kill criterion(s); no recommendation")
            for trip in killCriteria { digest.bullet("\(trip.id): \(trip.observed). Resolve: \(trip.resolve).") }
            if let top = ranking.first { digest.add("Best fit once resolved: \(top.profile) (score \(top.score)).") }
            digest.next(nextStep)
            return digest
        case .recommended:
            guard let recommendation else { return Digest("No recommendation") }
            var headline = "Recommended: \(recommendation.profile) (score \(recommendation.score))"
            if let runnerUp = recommendation.runnerUp {
                headline += "; runner-up \(runnerUp.profile) (\(runnerUp.score))"
            }
            var digest = Digest(headline)
            let floor = recommendation.sloFloor
            digest.bullet(
                "SLO floor: p50 \(Self.number(floor.p50Ms)) ms, p95 \(Self.number(floor.p95Ms)) ms, p99 \(Self.number(floor.p99Ms)) ms, uptime \(Self.percent(floor.uptime)), RPO \(Self.number(floor.rpoMinutes)) min, RTO \(Self.number(floor.rtoMinutes)) min."
            )
            let exceeded = sloCheck.filter { $0.verdict == .exceedsFloor }
            if !exceeded.isEmpty {
                digest.bullet(
                    "Your targets exceed the floor on \(exceeded.map(\.metric).joined(separator: ", ")): plan and budget for them."
                )
            }
            for gate in recommendation.approvals.prefix(3) {
                digest.bullet(
                    "\(gate.change): \(gate.approvers.map(\.role).joined(separator: ", ")) (not approved)")
            }
            let kills = recommendation.antiPatterns.filter { $0.severity == .kill }.map(\.item)
            if !kills.isEmpty { digest.bullet("Never: \(kills.prefix(4).joined(separator: "; ")).") }
            if let note = advice.first { digest.bullet(note) }
            if !incomplete.isEmpty {
                digest.bullet(
                    "Incomplete: \(incomplete.map { "\($0.what) (\($0.question.prefix(while: { $0 != " " })))" }.joined(separator: ", "))."
                )
            }
            digest.next(nextStep)
            return digest
        }
    }

    /// The full report for people (`--output markdown`).
    public var markdown: String {
        var lines = ["# Stack decision: \(status.rawValue)", ""]
        if !missing.isEmpty {
            lines += ["## Missing facts", ""] + missing.map { "- `\($0.field)`: \($0.question)" } + [""]
        }
        if !killCriteria.isEmpty {
            lines += ["## Kill criteria tripped", ""]
            lines += killCriteria.map {
                "- **\($0.id)**: \($0.rule). Observed: \($0.observed). Resolve: \($0.resolve)."
            }
            lines.append("")
        }
        if let recommendation {
            lines += [
                "## \(recommendation.profile) (score \(recommendation.score))", "", recommendation.description, "",
            ]
            if let runnerUp = recommendation.runnerUp {
                lines += [
                    "Runner-up: \(runnerUp.profile) (score \(runnerUp.score), \(Self.percent(runnerUp.relativeScore)) of the winner).",
                    "",
                ]
            }
            let floor = recommendation.sloFloor
            lines += [
                "| p50 | p95 | p99 | uptime | RPO | RTO |", "|---|---|---|---|---|---|",
                "| \(Self.number(floor.p50Ms)) ms | \(Self.number(floor.p95Ms)) ms | \(Self.number(floor.p99Ms)) ms | \(Self.percent(floor.uptime)) | \(Self.number(floor.rpoMinutes)) min | \(Self.number(floor.rtoMinutes)) min |",
                "", "### Stack", "",
            ]
            lines += recommendation.stack.map { "- \($0.layer): \($0.picks.joined(separator: ", "))" }
            lines += ["", "### Anti-patterns", ""]
            lines += recommendation.antiPatterns.map { "- [\($0.severity.rawValue)] \($0.item): \($0.reason)" }
            lines += ["", "### Approvers (none has approved; this tool never approves)", ""]
            lines += recommendation.approvals.map {
                "- \($0.change): " + $0.approvers.map { "\($0.role) [ ]" }.joined(separator: ", ")
            }
            lines += ["", "### Canon", ""] + recommendation.canon.map { "- \($0)" } + [""]
        }
        if !sloCheck.isEmpty, status != .refused {
            lines += [
                "## Your targets against the floor", "", "| metric | floor | yours | verdict |", "|---|---|---|---|",
            ]
            lines += sloCheck.map {
                "| \($0.metric) | \(Self.number($0.floor)) | \($0.requested.map(Self.number) ?? "?") | \($0.verdict.rawValue) |"
            }
            lines.append("")
        }
        if !ranking.isEmpty {
            lines += ["## Ranking", "", "| profile | score | language fit | violated |", "|---|---|---|---|"]
            lines += ranking.map {
                "| \($0.profile) | \($0.score) | \($0.languageFit ? "yes" : "no") | \($0.violated.map(\.constraint).joined(separator: ", ")) |"
            }
            if tie {
                lines.append("\nThe top two tie on every criterion; the order between them is only alphabetical.")
            }
            lines.append("")
        }
        for (title, items) in [("Advice", advice), ("Warnings", warnings)] where !items.isEmpty {
            lines += ["## \(title)", ""] + items.map { "- \($0)" } + [""]
        }
        if !incomplete.isEmpty {
            lines += ["## Incomplete", ""] + incomplete.map { "- \($0.what): answer \($0.question)" } + [""]
        }
        lines.append("**Next:** \(nextStep)")
        return SecretRedactor.redact(lines.joined(separator: "\n"))
    }

    static func number(_ value: Double) -> String { ProfileDecider.format(value) }

    static func percent(_ fraction: Double) -> String {
        let value = (fraction * 10000).rounded() / 100
        return "\(ProfileDecider.format(value))%"
    }
}
