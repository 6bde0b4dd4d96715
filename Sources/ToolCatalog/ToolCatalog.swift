import BackendCore
import DecisionEngine
import Foundation
import GrillSession
import LoadTest
import MigrationRunner
import Scaffold
import SchemaAnalysis
import SchemaDiff
import SpecialistRouting

/// Builds the catalog the server publishes and the CLI calls: tools, references, the review prompt.
public enum ToolCatalog {
    /// Environment variable that lists the `diagnostics` tool (for protocol tests and benchmarks).
    public static let diagnosticsVariable = "SENIOR_BACKEND_DIAGNOSTICS"

    public static func make(environment: [String: String]) throws(BackendError) -> Catalog {
        var tools = [
            try decideTool(environment: environment), try grillTool(environment: environment), try routeTool(),
            try analyzeTool(environment: environment), try planTool(environment: environment),
            try applyTool(environment: environment),
            try loadTool(environment: environment), try scaffoldTool(environment: environment),
        ]
        if environment[diagnosticsVariable] == "1" { tools.append(try diagnosticsTool()) }
        return Catalog(tools: tools, resources: references(), prompts: [try reviewPrompt()])
    }

    /// The router over the embedded composition map.
    public static func router() throws(BackendError) -> SpecialistRouter {
        SpecialistRouter(map: try CompositionMap(markdown: try file("references/composition_map.md").text))
    }

    static func file(_ path: String) throws(BackendError) -> EmbeddedFile {
        guard let file = EmbeddedFile.named(path) else { throw BackendError(.failed, "\(path) is not embedded") }
        return file
    }

    static func schema(_ name: String) throws(BackendError) -> JSONValue {
        try JSONParser.parseEmbedded(try file("schemas/\(name).json"))
    }

    static func routeTool() throws(BackendError) -> Tool {
        let router = Lazy { () throws(BackendError) in try Self.router() }
        return Tool(
            name: "route_to_specialist",
            title: "Route a concern to our tools and its specialist",
            description:
                "Maps a backend concern (everyday words or a concern id) first to this server's own tools when the concern is ours (load testing -> load_test, a slow query -> analyze_schema, a schema change -> plan_migration/apply_migration, a stack or architecture choice -> grill_next_question/decide_profile, an API from a spec -> scaffold), with the arguments the concern gives, then to the specialist skill that owns it: when to fork it, what to hand it, and the dependency order from where the caller stands (SLO first while Q7 is open). Says plainly when nothing matches or the concern is out of backend scope.",
            annotations: ToolAnnotations(readOnly: true, destructive: false, idempotent: true, openWorld: false),
            inputSchema: try schema("route_to_specialist.input"),
            outputSchema: try schema("route_to_specialist.output")
        ) { (request: RouteRequest, _) in
            let result = try router.get().route(request)
            return ToolReport(output: result, digest: result.digest)
        }
    }

    /// The built-in profiles plus those of `directory` (or `SENIOR_BACKEND_PROFILES`).
    public static func profileLibrary(directory: String?) throws(BackendError) -> ProfileLibrary {
        let builtIns = EmbeddedFile.all.filter {
            $0.path.hasPrefix("profiles/") && $0.path != "profiles/profile.schema.json"
        }.map { (file: $0.path, bytes: $0.bytes) }
        let schema = try JSONParser.parseEmbedded(try file("profiles/profile.schema.json"))
        return try ProfileLibrary(builtIns: builtIns, schema: schema, userDirectory: directory)
    }

    static func decideTool(environment: [String: String]) throws(BackendError) -> Tool {
        // Built at the first call; a bad profiles folder is reported on every call rather than stopping the server.
        let decider = Lazy { () throws(BackendError) in
            ProfileDecider(library: try profileLibrary(directory: environment[ProfileLibrary.environmentVariable]))
        }
        return Tool(
            name: "decide_profile",
            title: "Rank stack profiles against the team's facts",
            description:
                "Ranks the stack profiles (node-express, fastapi-python, django-monolith, go-or-rust-microservice, plus any in SENIOR_BACKEND_PROFILES) against the team's facts with exact matching. Refuses without team size, p99 QPS, read/write ratio, tenancy, data sensitivity, pattern and language, naming the question for each. A tripped kill criterion blocks the recommendation. Returns the SLO floor (p50/p95/p99, uptime, RPO, RTO), stack, anti-patterns and the approvers, none of whom has approved.",
            annotations: ToolAnnotations(readOnly: true, destructive: false, idempotent: true, openWorld: false),
            inputSchema: try schema("decide_profile.input"),
            outputSchema: try schema("decide_profile.output")
        ) { (request: DecideRequest, _) in
            let result = try decider.get().decide(request)
            return ToolReport(output: result, digest: result.digest, checkFailed: result.status != .recommended)
        }
    }

    /// The grill over the profiles in force, storing sessions under `TMPDIR`.
    public static func grillEngine(environment: [String: String]) throws(BackendError) -> GrillEngine {
        let decider = ProfileDecider(
            library: try profileLibrary(directory: environment[ProfileLibrary.environmentVariable]))
        let router = try router()
        return GrillEngine(store: .fromEnvironment(environment), decider: decider) {
            // After the seventh answer the composition map's first step is the SLO work.
            let all = RouteRequest(concern: "slo", answeredQuestions: Array(1...7))
            guard let match = (try? router.route(all))?.match else { return nil }
            return GrillResult.NextSpecialist(
                specialist: match.specialists.joined(separator: " + "), path: match.paths.joined(separator: ", "),
                why: match.when)
        }
    }

    static func grillTool(environment: [String: String]) throws(BackendError) -> Tool {
        let engine = Lazy { () throws(BackendError) in try grillEngine(environment: environment) }
        let inputSchema = try schema("grill_next_question.input")
        let interview = GrillInterview(engine: engine, inputSchema: inputSchema)
        return Tool(
            name: "grill_next_question",
            title: "Ask the next forcing question",
            description:
                "Walks the seven forcing questions (load, tenancy, sync/async, data sensitivity, architecture with team size, RPO/RTO, SLO with an error-budget owner), one per call, each with a recommended answer, its rationale, canon and kill criterion. Answers go in the same fields as decide_profile; known answers can be passed up front. A tripped kill criterion stops the session until the answer changes. After Q7 it runs decide_profile and names the next specialist. When the client can show forms (elicitation), the open questions are put to the person as forms, recorded like any answer, until a recommendation or a kill; a declined form returns the question. State: a markdown file per session under TMPDIR.",
            annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: false, openWorld: false),
            inputSchema: inputSchema,
            outputSchema: try schema("grill_next_question.output")
        ) { (request: GrillRequest, context) in
            let result = try await interview.run(request, context: context)
            return ToolReport(output: result, digest: result.digest, checkFailed: result.failedCheck)
        }
    }

    static func analyzeTool(environment: [String: String]) throws(BackendError) -> Tool {
        let analyzer = SchemaAnalyzer(environment: environment)
        return Tool(
            name: "analyze_schema",
            title: "Analyse a PostgreSQL schema",
            description:
                "Connects to PostgreSQL (any libpq connection string, DATABASE_URL or PG* variables) in a read-only transaction and runs the schema checks: foreign keys without indexes, duplicate/redundant/unused/invalid indexes, missing primary keys, overflow, bloat, types that a better type serves, and more; each finding has evidence, fix SQL and undo SQL. Optionally proposes indexes for a workload (given queries or pg_stat_statements) verified with hypopg, and explains a query naming its costly nodes. Writes an ER diagram and index migrations to output when given.",
            annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: true, openWorld: true),
            inputSchema: try schema("analyze_schema.input"),
            outputSchema: try schema("analyze_schema.output"),
            files: { (request: AnalyzeRequest) in FileUse.writes("output", request.output) }
        ) { (request: AnalyzeRequest, context) in
            context.reportProgress(0, total: 1, message: "connecting")
            let result = try await BlockingWork.run { () throws(BackendError) in try analyzer.analyze(request) }
            context.reportProgress(1, total: 1, message: "done")
            return ToolReport(output: result, digest: result.digest)
        }
    }

    static func scaffoldTool(environment: [String: String]) throws(BackendError) -> Tool {
        let scaffolder = Scaffolder()
        return Tool(
            name: "scaffold",
            title: "Scaffold a TypeScript API from OpenAPI, a database, or routes",
            description:
                "spec: an OpenAPI 3.x document (YAML/JSON, local or external $refs) -> an Express, Fastify or Koa TypeScript project: types, an operation table, validation of parameters and bodies (400 naming each field, envelope or problem+json), security hooks failing closed with 401, one typed handler per operation (created once, never overwritten). src/generated/ is rewritten each run; hand edits there are refused without force; dry_run writes nothing. from_db: a PostgreSQL schema (read-only) -> openapi.json + CRUD handlers on node-postgres. generate_spec: a folder of routes -> OpenAPI 3.1.",
            annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: true, openWorld: false),
            inputSchema: try schema("scaffold.input"),
            outputSchema: try schema("scaffold.output"),
            files: { (request: ScaffoldRequest) in
                FileUse.reads("spec", request.spec) + FileUse.reads("generate_spec", request.generateSpec)
                    + FileUse.reads("templates", request.templates)
                    + FileUse.writes("output", request.output)
            }
        ) { (request: ScaffoldRequest, context) in
            context.reportProgress(0, total: 1, message: "generating")
            let result = try await BlockingWork.run { () throws(BackendError) in try scaffolder.run(request) }
            context.reportProgress(1, total: 1, message: "done")
            return ToolReport(output: result, digest: result.digest)
        }
    }

    static func loadTool(environment: [String: String]) throws(BackendError) -> Tool {
        // Agent calls reach loopback and SENIOR_BACKEND_LOAD_ALLOW only; a bad cap variable fails each call.
        let limits = Result { () throws(BackendError) in
            try LoadLimits.from(environment: environment, restrictHosts: true)
        }
        return Tool(
            name: "load_test",
            title: "HTTP load test",
            description:
                "Sends HTTP/1.1 keep-alive traffic to an http or https URL (certificates verified unless insecure): closed model (concurrency connections, each sending when its reply arrives) or open model (rate per second, latency from the intended send time so a stalled server shows). Reports requests/s, p50-p99.9/max, status counts, error classes, the generator's own CPU and a per-second timeline; compares two URLs interleaved or against a saved baseline with a noise threshold; expect_status, expect_rate_limit, max_p99_ms and max_error_rate make it a check (isError when one fails, a metric regressed, or not one request got a valid response). Loopback only unless SENIOR_BACKEND_LOAD_ALLOW lists the host; duration and concurrency are capped.",
            annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: false, openWorld: true),
            inputSchema: try schema("load_test.input"),
            outputSchema: try schema("load_test.output"),
            longRunning: true,
            files: { (request: LoadTestRequest) in
                FileUse.reads("body_file", request.bodyFile) + FileUse.reads("baseline", request.baseline)
                    + FileUse.writes("save_baseline", request.saveBaseline)
                    + FileUse.writes("output", request.output)
            }
        ) { (request: LoadTestRequest, context) in
            let tester = LoadTester(limits: try limits.get())
            let result = try await tester.run(request) { progress in
                context.reportProgress(
                    progress.elapsedSeconds, total: progress.plannedSeconds,
                    message: "\(progress.completed) responses, \(progress.errors) errors")
            }
            return ToolReport(output: result, digest: result.digest, checkFailed: !result.passed)
        }
    }

    static func planTool(environment: [String: String]) throws(BackendError) -> Tool {
        let planner = PlanMigration(environment: environment)
        return Tool(
            name: "plan_migration",
            title: "Plan a proven PostgreSQL migration",
            description:
                "Diffs the live schema against a target .sql (loaded into a throw-away shadow database): schemas, extensions, enums, sequences, tables, columns, constraints, indexes, views, materialized views, functions, triggers, policies, grants, comments. Orders statements by dependency, makes them lock-aware (CONCURRENTLY indexes apart, NOT VALID then VALIDATE, lock_timeout) and labels hazards; destructive changes only with allow_destructive. Proves up and down on shadow databases before writing files. The live database is only read.",
            annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: false, openWorld: true),
            inputSchema: try schema("plan_migration.input"),
            outputSchema: try schema("plan_migration.output"),
            longRunning: true,
            files: { (request: PlanRequest) in
                FileUse.reads("target", request.target) + FileUse.writes("output", request.output)
            }
        ) { (request: PlanRequest, _) in
            let result = try await BlockingWork.run { () throws(BackendError) in try planner.run(request) }
            return ToolReport(output: result, digest: result.digest, checkFailed: result.failedCheck)
        }
    }

    static func applyTool(environment: [String: String]) throws(BackendError) -> Tool {
        let runner = MigrationRunner(environment: environment)
        return Tool(
            name: "apply_migration",
            title: "Apply PostgreSQL migrations safely",
            description:
                "Applies migration files (<version>_<name>.up.sql, down files beside them) to PostgreSQL with a ledger table, SHA-256 checksums (an edited applied file is refused), a session advisory lock (a second runner waits, then fails clearly) and one transaction per file (CONCURRENTLY files run statement by statement). Lints first with squawk-style rules; errors block unless allow_lint_errors. dry_run (the default) runs each file and rolls it back, reporting timing and locks. rollback runs the last applied version's down file. When the client can show forms, a run for real that drops, truncates or deletes asks the person first; declined: nothing runs (status declined).",
            annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: false, openWorld: true),
            inputSchema: try schema("apply_migration.input"),
            outputSchema: try schema("apply_migration.output"),
            longRunning: true,
            files: { (request: ApplyRequest) in request.files.flatMap { FileUse.reads("files", $0) } }
        ) { (request: ApplyRequest, context) in
            let result = try await ApplyConfirmation(runner: runner).run(request, context: context)
            return ToolReport(output: result, digest: result.digest, checkFailed: result.failedCheck)
        }
    }

    static func diagnosticsTool() throws(BackendError) -> Tool {
        Tool(
            name: "diagnostics",
            title: "Protocol diagnostics",
            description:
                "Exercises the protocol layer: works for sleep_ms with progress, returns result_kib of filler, reports the payload size. Listed only when SENIOR_BACKEND_DIAGNOSTICS=1.",
            annotations: ToolAnnotations(readOnly: true, destructive: false, idempotent: true, openWorld: false),
            inputSchema: try schema("diagnostics.input"),
            outputSchema: try schema("diagnostics.output"),
            longRunning: true,
            handler: DiagnosticsTool.run)
    }

    static let referenceTitles: [String: String] = [
        "api_design_patterns.md": "API design patterns",
        "backend_security_practices.md": "Backend security practices",
        "composition_map.md": "Composition map: concern to specialist",
        "database_optimization_guide.md": "PostgreSQL optimisation guide",
        "forcing_questions.md": "The seven forcing questions",
    ]

    /// Every file of `references/` as a resource, in path order.
    static func references() -> [Resource] {
        EmbeddedFile.all.filter { $0.path.hasPrefix("references/") }.sorted { $0.path < $1.path }.map { file in
            let name = String(file.path.dropFirst("references/".count))
            return Resource(
                uri: "senior-backend://references/\(name)", name: name, title: referenceTitles[name] ?? name,
                description: summary(file.text).map { String($0.prefix(240)) } ?? name, mimeType: "text/markdown",
                text: file.text)
        }
    }

    /// The first line that is neither empty nor a heading. Read line by line over UTF-8: splitting each
    /// whole reference into lines of Characters was a third of the catalog's making, at the first call.
    static func summary(_ text: String) -> Substring? {
        var rest = text[...]
        while !rest.isEmpty {
            let end = rest.utf8.firstIndex(of: UInt8(ascii: "\n")) ?? rest.endIndex
            let line = rest[..<end]
            if !line.isEmpty && !line.hasPrefix("#") { return line }
            rest = end == rest.endIndex ? "" : rest[rest.utf8.index(after: end)...]
        }
        return nil
    }

    /// The `/cs:backend-review` command file, front matter removed, as the `backend-review` prompt.
    static func reviewPrompt() throws(BackendError) -> Prompt {
        let text = try file("agents/commands/cs-backend-review.md").text
        return Prompt(
            name: "backend-review",
            title: "Senior backend review",
            description:
                "The /cs:backend-review workflow: grill the seven forcing questions one at a time, rank the stack profiles, name the approvers, route specialists in order, return a 200-word digest.",
            arguments: [
                .init(
                    name: "problem", description: "The backend problem or decision to review, in a few sentences.",
                    required: true)
            ],
            template: stripFrontMatter(text))
    }

    static func stripFrontMatter(_ text: String) -> String {
        guard text.hasPrefix("---\n"),
            let end = text.range(of: "\n---\n", range: text.index(text.startIndex, offsetBy: 4)..<text.endIndex)
        else { return text }
        return String(text[end.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
    }
}

extension JSONParser {
    /// Parses a compiled-in file; a failure names the file (a test keeps them all valid).
    static func parseEmbedded(_ file: EmbeddedFile) throws(BackendError) -> JSONValue {
        do {
            return try parse(file.bytes)
        } catch {
            throw BackendError(.failed, "\(file.path): \(error.description)")
        }
    }
}
