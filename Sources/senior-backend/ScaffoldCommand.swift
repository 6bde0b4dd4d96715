import ArgumentParser
import BackendCore
import Foundation
import Scaffold

struct ScaffoldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaffold",
        abstract:
            "OpenAPI 3.x -> an Express, Fastify or Koa TypeScript project; a database -> OpenAPI + CRUD; routes -> OpenAPI.",
        discussion: """
            scaffold openapi.yaml --framework express --output api/
            scaffold openapi.yaml --output api/ --dry-run        (list what would change, write nothing)
            scaffold --from-db postgresql://app@localhost/app --output api/   (openapi.json + CRUD on node-postgres)
            scaffold src/ --generate-spec --output openapi.yaml               (routes -> OpenAPI 3.1)
            src/generated/ is rewritten on every run (a hand edit there is refused unless --force); \
            src/handlers/*.ts, src/app.ts, package.json and tsconfig.json are created once and never overwritten. \
            Exit status: 0 written, 2 bad input or refused.
            """
    )

    @Argument(
        help: "The OpenAPI document (.yaml/.yml, .json or an http(s) URL); with --generate-spec, the routes folder.")
    var spec: String?
    @Option(help: "express (default), fastify or koa.") var framework: String?
    @Option(help: "The project folder to write (with --generate-spec: the spec file).") var output: String?
    @Flag(help: "Overwrite hand edits under src/generated/.") var force = false
    @Flag(help: "Report what would change; write nothing.") var dryRun = false
    @Option(help: "envelope (default) or problem+json.") var errorFormat: String?
    @Option(help: "A PostgreSQL connection string: database -> OpenAPI 3.1 + CRUD project.") var fromDb: String?
    @Option(help: "With --from-db: the PostgreSQL schema (default public).") var dbSchema: String?
    @Flag(help: "Read the routes in the SPEC folder and write OpenAPI 3.1 to --output.") var generateSpec = false
    @Option(help: "A folder of mustache templates overriding the built-in ones.") var templates: String?
    @OptionGroup var report: ReportOptions

    func validate() throws {
        if output == nil {
            throw ValidationError("give the output: --output DIR (with --generate-spec: a .yaml/.json file)")
        }
        if fromDb != nil && spec != nil { throw ValidationError("--from-db reads the database: give no spec argument") }
        if fromDb == nil && spec == nil {
            throw ValidationError("give the OpenAPI document (scaffold openapi.yaml --output DIR) or --from-db URL")
        }
        if generateSpec && spec == nil {
            throw ValidationError("give the routes folder: scaffold src/ --generate-spec")
        }
    }

    func run() async throws {
        let request = ScaffoldRequest(
            spec: generateSpec ? nil : spec, fromDb: fromDb, generateSpec: generateSpec ? spec : nil,
            dbSchema: dbSchema, templates: templates, framework: framework, output: output ?? "",
            force: force ? true : nil, dryRun: dryRun ? true : nil, errorFormat: errorFormat)
        let result = try CommandOutput.run { try Scaffolder().run(request) }
        try CommandOutput.emit(result, digest: result.digest, json: report.json)
    }
}
