import ArgumentParser
import BackendCore
import Foundation
import Scaffold

struct ScaffoldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaffold",
        abstract:
            "OpenAPI 3.0/3.1 -> an Express TypeScript project: types, validators, security hooks, typed handlers.",
        discussion: """
            scaffold openapi.yaml --framework express --output api/
            scaffold openapi.yaml --output api/ --dry-run        (list what would change, write nothing)
            src/generated/ is rewritten on every run (a hand edit there is refused unless --force); \
            src/handlers/*.ts, src/app.ts, package.json and tsconfig.json are created once and never overwritten. \
            Not implemented yet: --framework fastify|koa, --from-db, --generate-spec. \
            Exit status: 0 written, 2 bad input or refused.
            """
    )

    @Argument(help: "The OpenAPI document (.yaml/.yml, or .json).") var spec: String?
    @Option(help: "express (fastify and koa are not implemented yet).") var framework: String?
    @Option(help: "The project folder to write.") var output: String?
    @Flag(help: "Overwrite hand edits under src/generated/.") var force = false
    @Flag(help: "Report what would change; write nothing.") var dryRun = false
    @Option(help: "envelope (default) or problem+json.") var errorFormat: String?
    @Option(help: "Not implemented yet: database -> OpenAPI + CRUD.") var fromDb: String?
    @Flag(help: "Not implemented yet: routes -> OpenAPI.") var generateSpec = false
    @OptionGroup var report: ReportOptions

    func validate() throws {
        if fromDb != nil { throw ValidationError("--from-db is not implemented yet in this version of scaffold") }
        if generateSpec { throw ValidationError("--generate-spec is not implemented yet in this version of scaffold") }
        if spec == nil { throw ValidationError("give the OpenAPI document: scaffold openapi.yaml --output DIR") }
        if output == nil { throw ValidationError("give the project folder: --output DIR") }
    }

    func run() async throws {
        let request = ScaffoldRequest(
            spec: spec ?? "", framework: framework, output: output ?? "", force: force ? true : nil,
            dryRun: dryRun ? true : nil, errorFormat: errorFormat)
        let result = try CommandOutput.run { try Scaffolder().run(request) }
        try CommandOutput.emit(result, digest: result.digest, json: report.json)
    }
}
