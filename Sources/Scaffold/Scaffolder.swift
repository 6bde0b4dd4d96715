import BackendCore
import Foundation

/// `scaffold`: an OpenAPI 3.x document -> a TypeScript project; a database -> OpenAPI + CRUD (`from_db`);
/// routes -> OpenAPI (`generate_spec`).
public struct Scaffolder: Sendable {
    public init() {}

    public func run(_ request: ScaffoldRequest) throws(BackendError) -> ScaffoldResult {
        switch try request.source() {
        case .spec(let spec): return try scaffold(spec: spec, request)
        case .database(let connection): return try DatabaseScaffolder(request: request).run(connection: connection)
        case .routes(let folder): return try RouteSpecGenerator(request: request).run(folder: folder)
        }
    }

    func scaffold(spec: String, _ request: ScaffoldRequest) throws(BackendError) -> ScaffoldResult {
        try scaffold(request, loadDocument: { () throws(BackendError) in try SpecDocument.load(path: spec) })
    }

    /// Generates the project for the document `loadDocument` gives; `finishing` may replace or add files
    /// before anything is planned (from_db gives every handler its CRUD body this way).
    func scaffold(
        _ request: ScaffoldRequest, loadDocument: () throws(BackendError) -> SpecDocument,
        finishing: (APIModel, [GeneratedFile]) throws(BackendError) -> [GeneratedFile] = { $1 }
    ) throws(BackendError) -> ScaffoldResult {
        let frameworkName = request.framework ?? "express"
        guard let framework = Framework(rawValue: frameworkName) else {
            throw BackendError.invalidInput(
                "framework '\(frameworkName)' is unknown: use \"express\", \"fastify\" or \"koa\"")
        }
        let errorFormat = request.errorFormat ?? "envelope"
        guard errorFormat == "envelope" || errorFormat == "problem+json" else {
            throw BackendError.invalidInput("error_format '\(errorFormat)': use \"envelope\" or \"problem+json\"")
        }
        let output = try ProjectWriter.outputFolder(request.output)
        let document = try loadDocument()
        let model = try APIModel(document: document, multipart: framework == .express)
        let templates = try TemplateSet(overrides: request.templates)
        let emitter = ProjectEmitter(model: model, errorFormat: errorFormat, framework: framework, templates: templates)
        let writer = ProjectWriter(output: output, force: request.force ?? false)
        let plan = try writer.plan(finishing(model, emitter.files()))
        let dryRun = request.dryRun ?? false
        if !plan.handEdited.isEmpty && !(request.force ?? false) && !dryRun {
            throw BackendError(
                .refused,
                "hand edits under src/generated/ would be lost: \(plan.handEdited.joined(separator: ", ")). "
                    + "Move the change into src/handlers/ or src/app.ts (never overwritten), or run again with force "
                    + "to overwrite them.")
        }
        if !dryRun { try writer.apply(plan) }

        var counts = ScaffoldResult.Counts()
        for entry in plan.entries {
            switch entry.action {
            case "created": counts.created += 1
            case "updated": counts.updated += 1
            case "unchanged": counts.unchanged += 1
            case "kept": counts.kept += 1
            default: counts.removed += 1
            }
        }
        var warnings = model.warnings
        // src/app.ts is created once: one from an earlier version lacks this version's hardening.
        if plan.entries.contains(where: { $0.path == "src/app.ts" && $0.action == "kept" }),
            let app = FileManager.default.contents(atPath: output + "/src/app.ts"),
            !String(decoding: app, as: UTF8.self).contains("configureSecurity(")
        {
            warnings.append(
                "src/app.ts (yours, kept) does not call configureSecurity: the built-in verifiers, security headers, "
                    + "rate limits and health routes are not wired; compare it with the app.ts a fresh scaffold writes")
        }
        for unused in templates.unusedOverrides {
            warnings.append("template \(unused) names no template of ours and was not used")
        }
        if dryRun && !plan.handEdited.isEmpty {
            warnings.insert(
                "hand edits under src/generated/ (a real run refuses without force): "
                    + plan.handEdited.joined(separator: ", "), at: 0)
        }
        let operations = model.operations.map { operation in
            ScaffoldResult.OperationEntry(
                operationId: operation.identifier, method: operation.method.uppercased(), path: operation.path,
                route: framework.route(operation), handlerFile: emitter.handlerPath(operation),
                secured: operation.security.contains { !$0.isEmpty })
        }
        let required = model.securitySchemes.compactMap(\.requiredSettings)
        let unverified = model.securitySchemes.filter { $0.requiredSettings == nil }.map(\.name)
        var result = ScaffoldResult(
            status: dryRun ? "dry_run" : "written", source: "spec", spec: document.path, openapiVersion: model.version,
            title: model.title, framework: framework.rawValue, errorFormat: errorFormat, output: output,
            basePath: model.basePath.isEmpty ? "/" : model.basePath, operations: operations,
            schemas: model.schemas.count, securitySchemes: model.securitySchemes.map(\.name), files: plan.entries,
            counts: counts, warnings: warnings,
            nextSteps: [
                framework == .express
                    ? "cd \(output) && npm install && npx tsc -p . (Debian: apt-get install node-typescript node-express node-jose node-cors; tsc -p .)"
                    : "cd \(output) && npm install && npx tsc -p .",
                "implement src/handlers/*.ts (each answers 501 until then)",
                securityStep(required: required, unverified: unverified),
                framework == .express
                    ? "PORT=3000 node dist/server.js (Debian: NODE_PATH=/usr/share/nodejs)"
                    : "PORT=3000 node dist/server.js",
            ])
        result.requiredConfiguration = required
        return result
    }

    /// What to configure or write so that the secured operations answer something other than 401.
    func securityStep(required: [String], unverified: [String]) -> String {
        var parts: [String] = []
        if !required.isEmpty { parts.append("set " + required.joined(separator: "; ") + " (README.md)") }
        if !unverified.isEmpty {
            parts.append(
                "write a hook in src/app.ts for " + unverified.joined(separator: ", ") + " (no built-in verifier)")
        }
        return parts.isEmpty ? "add authentication if the API needs it" : parts.joined(separator: "; ")
    }
}

extension ScaffoldResult {
    public var digest: Digest {
        if source == "generate_spec" { return routesDigest }
        let verb = status == "dry_run" ? "Would scaffold" : "Scaffolded"
        let frameworkName = Framework(rawValue: framework)?.displayName ?? framework
        var digest = Digest(
            "\(verb) \(title) (OpenAPI \(openapiVersion)) -> \(frameworkName) TypeScript in \(output)")
        digest.bullet(
            "\(operations.count) operations, \(schemas) schemas, security schemes: "
                + (securitySchemes.isEmpty ? "none" : securitySchemes.joined(separator: ", "))
                + "; base path \(basePath)")
        digest.bullet(
            "files: \(counts.created) created, \(counts.updated) updated, \(counts.unchanged) unchanged, "
                + "\(counts.kept) kept (never overwritten), \(counts.removed) removed")
        digest.bullet(
            source == "from_db"
                ? "errors as \(errorFormat); handlers run parameterised SQL on node-postgres (DATABASE_URL)"
                : "errors as \(errorFormat); unimplemented handlers answer 501, unconfigured security schemes 401")
        if let required = requiredConfiguration, !required.isEmpty {
            digest.bullet("before the secured operations accept traffic, set: " + required.joined(separator: "; "))
        }
        if source == "spec" || source == "from_db" {
            digest.bullet(
                "hardened by default: security headers, rate limit 100/15 min per client (RATE_LIMIT_*), "
                    + "X-Request-Id, JSON access log, /healthz and /readyz, graceful SIGTERM")
        }
        for warning in warnings.prefix(3) { digest.bullet("warning: \(warning)") }
        if warnings.count > 3 { digest.bullet("\(warnings.count - 3) more warnings in the result") }
        digest.next(nextSteps.prefix(2).joined(separator: "; then "))
        return digest
    }
}
