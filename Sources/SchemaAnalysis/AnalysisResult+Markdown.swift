import BackendCore

extension AnalysisResult {
    /// The full report for people: every finding with its fix and undo SQL.
    public var markdown: String {
        var lines = [
            "# Schema analysis of \(database)", "",
            "\(tables) tables, \(indexes) indexes, \(foreignKeys) foreign keys; \(checksRun) checks in \(catalogQueries) catalog queries.",
            "",
        ]
        if checksRun > 0 {
            lines += ["## Findings (\(findings.count))", ""]
            for finding in findings {
                lines.append("### [\(finding.severity.rawValue)] \(finding.check): \(finding.object)")
                lines += ["", finding.message]
                if !finding.evidence.isEmpty {
                    lines.append(
                        "Evidence: "
                            + finding.evidence.sorted { $0.key < $1.key }.map { "\($0.key) \(Self.number($0.value))" }
                            .joined(separator: ", "))
                }
                if let fix = finding.fixSQL { lines += ["", "```sql", fix, "```"] }
                if let undo = finding.undoSQL { lines += ["Undo:", "```sql", undo, "```"] }
                lines.append("")
            }
        }
        if let indexSuggestions {
            lines += ["## Index suggestions (workload: \(workloadSource ?? "none"))", ""]
            for suggestion in indexSuggestions {
                let cost =
                    suggestion.costBefore.map { before in
                        " cost \(Int(before)) -> \(suggestion.costAfter.map { String(Int($0)) } ?? "?")"
                    } ?? ""
                lines.append(
                    "- \(suggestion.kind), \(suggestion.verified ? "verified" : "unverified")\(cost): `\(suggestion.createSQL)`"
                )
            }
            lines.append("")
        }
        if let explain {
            let time = explain.executionMs.map { ", executed in \(ExplainReport.milliseconds($0)) (rolled back)" } ?? ""
            lines += [
                "## Explain", "", "Total cost \(ExplainReport.count(explain.totalCost))\(time).", "", "```",
            ]
            lines += explain.tree(limit: 500)
            lines += ["```", ""]
            lines += explain.hotspots.map { "- \($0.kind) (\($0.node)): \($0.detail)" }
            if !explain.hotspots.isEmpty { lines.append("") }
            for suggestion in explain.indexSuggestions {
                lines.append(
                    "- \(suggestion.kind) index, \(suggestion.verified ? "verified" : "unverified"): \(suggestion.reason)"
                )
            }
            lines += ["", "Next steps:", ""]
            lines +=
                explain.nextSteps.isEmpty
                ? ["- Nothing to change: no node is costly for a known reason."]
                : explain.nextSteps.enumerated().map { "\($0.offset + 1). \($0.element)" }
            lines.append("")
        }
        if !notes.isEmpty { lines += ["## Notes", ""] + notes.map { "- \($0)" } + [""] }
        if !files.isEmpty { lines += ["## Files", ""] + files.map { "- \($0)" } + [""] }
        return SecretRedactor.redact(lines.joined(separator: "\n"))
    }

    static func number(_ value: Double) -> String {
        NumberText.plain(value)
    }
}
