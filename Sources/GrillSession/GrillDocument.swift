import BackendCore
import DecisionEngine
import Foundation

/// Renders the state file for people and parses back its `## State` JSON block.
enum GrillDocument {
    static let stateHeading = "## State"

    static func render(_ state: GrillState, result: GrillResult?) -> String {
        var lines = [
            "# Backend grill: \(state.session)", "",
            "Started \(state.started). Status: **\(state.status.rawValue)**.", "",
        ]
        for question in ForcingQuestion.all {
            let missing = GrillWalk.missingFields(question.number, state.answers)
            let answered = missing.isEmpty
            lines += [
                "## Q\(question.number). \(question.topic)\(answered ? " (answered)" : "")", "",
                "- Asked: \(question.text)",
                "- Recommended: \(question.recommendedAnswer) \(question.rationale)",
                "- Canon: \(question.canon.joined(separator: "; "))",
                "- Kill criterion: \(question.killCriterion)",
            ]
            let given = question.fields.compactMap { field in value(field, state.answers).map { "\(field) = \($0)" } }
            if !given.isEmpty { lines.append("- Answer: \(given.joined(separator: ", "))") }
            if let note = state.notes["\(question.number)"] { lines.append("- Note: \(note)") }
            if let kill = state.kill, kill.question == question.number {
                lines.append("- Verdict: KILLED: \(kill.observed). Resolve: \(kill.resolve).")
            } else if answered {
                lines.append("- Verdict: passes")
            }
            lines.append("")
        }
        if let decision = result?.decision {
            lines += ["## Recommendation", "", decision.digest.render(), ""]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(state)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        lines += [
            stateHeading, "",
            "The tool reads this block back; edit answers here only as valid JSON.", "",
            "```json", json, "```", "",
        ]
        return SecretRedactor.redact(lines.joined(separator: "\n"))
    }

    static func value(_ field: String, _ answers: DecideRequest) -> String? {
        guard let encoded = try? JSONValue(encoding: answers), let value = encoded[field] else { return nil }
        return value.stringValue ?? JSONWriter.string(value)
    }

    static func parse(_ text: String, path: String) throws(BackendError) -> GrillState {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let heading = lines.firstIndex(of: stateHeading) else {
            throw BackendError(
                .failed,
                "\(path): no '\(stateHeading)' section; the file is damaged. Fix it, or call with action restart.")
        }
        guard let open = lines[heading...].firstIndex(of: "```json"),
            let close = lines[(open + 1)...].firstIndex(of: "```")
        else {
            throw BackendError(
                .failed,
                "\(path) line \(heading + 1): the state block has no ```json ... ``` fence; fix it, or restart.")
        }
        let json = lines[(open + 1)..<close].joined(separator: "\n")
        let value: JSONValue
        do {
            value = try JSONParser.parse(json)
        } catch {
            let line = open + 2 + json.utf8.prefix(error.offset).filter { $0 == 0x0A }.count
            throw BackendError(
                .failed, "\(path) line \(line): \(error.reason); fix the JSON, or call with action restart.")
        }
        do {
            return try value.decode(as: GrillState.self)
        } catch {
            throw BackendError(
                .failed,
                "\(path) line \(open + 2): the state does not fit (\(error)); fix it, or call with action restart.")
        }
    }
}
