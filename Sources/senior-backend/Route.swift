import ArgumentParser
import BackendCore
import Foundation
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
        name: .customLong("answered"),
        help: "Forcing questions already answered (1-7), comma-separated or repeated: --answered 1,2,7.")
    var answered: [String] = []

    @OptionGroup var report: ReportOptions

    func run() async throws {
        let questions = try QuestionList.parse(answered)
        let request = RouteRequest(concern: concern, answeredQuestions: questions.isEmpty ? nil : questions)
        let result = try CommandOutput.run { try ToolCatalog.router().route(request) }
        try CommandOutput.emit(result, digest: result.digest, json: report.json)
        if !result.matched && result.outOfScope == nil { throw ExitCode(1) }
    }
}

/// Question numbers from `--answered 1,2 --answered 7`.
enum QuestionList {
    static func parse(_ values: [String]) throws -> [Int] {
        try values.flatMap { $0.split(separator: ",") }.map { text in
            guard let number = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--answered takes question numbers 1-7, got '\(text)'")
            }
            return number
        }
    }
}
