import ArgumentParser
import BackendCore
import SpecialistRouting
import ToolCatalog

struct Route: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Name the specialist that owns a backend concern, and the order to run specialists in.",
        discussion: "Exit status: 0 when a specialist (or an out-of-scope owner) was found, 1 when nothing matched."
    )

    @Argument(help: "The concern, in free text or as a concern id (slo, api-contract, schema-design, ...).")
    var concern: String

    @Option(
        name: .customLong("answered"), parsing: .upToNextOption,
        help: "Forcing questions already answered (1-7), e.g. --answered 1 2 3.")
    var answered: [Int] = []

    @OptionGroup var report: ReportOptions

    func run() async throws {
        let request = RouteRequest(concern: concern, answeredQuestions: answered.isEmpty ? nil : answered)
        let result = try CommandOutput.run { try ToolCatalog.router().route(request) }
        try CommandOutput.emit(result, digest: result.digest, json: report.json)
        if !result.matched && result.outOfScope == nil { throw ExitCode(1) }
    }
}
