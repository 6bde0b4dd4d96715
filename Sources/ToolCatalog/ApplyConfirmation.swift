import BackendCore
import MigrationRunner

/// `apply_migration` with a client that can show forms: before a run for real that would drop tables or
/// columns, truncate or delete, the person confirms the statements in a form. Declined (or unanswered):
/// nothing runs. Without forms the run goes on as the arguments say, as it always did.
struct ApplyConfirmation: Sendable {
    let runner: MigrationRunner
    /// Statements named in the form; the rest are counted.
    static let shown = 8

    func run(_ request: ApplyRequest, context: any ToolContext) async throws(BackendError) -> ApplyResult {
        // What was put to the person (none, too): the run refuses if the files say otherwise by then.
        var confirmed: [MigrationRunner.DestructiveStatement]? = nil
        if context.canElicit, request.dryRun == false {
            let (database, statements) = try await BlockingWork.run { () throws(BackendError) in
                try runner.destructiveStatements(request)
            }
            if !statements.isEmpty {
                let answer = await context.elicit(Self.message(database: database, statements), schema: Self.form)
                guard case .accepted(let content) = answer, content["confirm"]?.boolValue == true else {
                    // nil: 2026-07-28 puts the form with the reply; this result is replaced by it.
                    return .declined(database: database, statements)
                }
            }
            confirmed = statements
        }
        let checked = confirmed
        return try await BlockingWork.run { () throws(BackendError) in try runner.run(request, confirmed: checked) }
    }

    static func message(database: String, _ statements: [MigrationRunner.DestructiveStatement]) -> String {
        let listed = statements.prefix(shown).map {
            "\($0.file) #\($0.statement): \($0.text.prefix(120)) (\($0.reason))"
        }
        let more = statements.count > shown ? "; and \(statements.count - shown) more" : ""
        return
            "apply_migration will run \(statements.count) destructive statement(s) on \(database), for real: "
            + listed.joined(separator: "; ") + more + ". Apply them?"
    }

    static let form = JSONValue.object(
        JSONObject([
            "type": .string("object"),
            "properties": .object(
                JSONObject([
                    "confirm": .object(
                        JSONObject([
                            "type": .string("boolean"), "title": .string("Apply the destructive statements"),
                            "description": .string("true runs the migration; false applies nothing."),
                        ]))
                ])),
            "required": .array([.string("confirm")]),
        ]))
}
