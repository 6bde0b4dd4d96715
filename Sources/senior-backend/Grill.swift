import ArgumentParser
import BackendCore
import Foundation
import GrillSession
import ToolCatalog

extension GrillRequest.Action: ExpressibleByArgument {}

struct Grill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask the next forcing question of a session (one per call); answers use the decide flags.",
        discussion: """
            State: ${TMPDIR:-/tmp}/backend-grill-<date>-<session>.md. Exit status: 0 asking or complete, \
            1 stopped by a kill criterion, 2 bad input or a damaged state file.
            """
    )

    @Option(help: "Session id (letters, digits, - and _; at most 64).") var session: String
    @Option(help: "next (default) | answer | status | restart") var action: GrillRequest.Action?
    @Option(help: "Free text for the question being answered.") var note: String?
    @OptionGroup var facts: FactOptions
    @OptionGroup var report: ReportOptions

    func run() async throws {
        let request = GrillRequest(session: session, action: action, note: note, answers: facts.request)
        let environment = ProcessInfo.processInfo.environment
        let result = try CommandOutput.run { try ToolCatalog.grillEngine(environment: environment).handle(request) }
        try CommandOutput.emit(result, digest: result.digest, json: report.json)
        if result.failedCheck { throw ExitCode(1) }
    }
}
