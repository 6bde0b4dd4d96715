import BackendCore
import Foundation

/// `generate_spec`: Express, Fastify or Koa route registrations -> an OpenAPI 3.1 document.
///
/// A project this tool generated is read from its generated tables (exact); any other code is read
/// from its route registrations, mounts and `@openapi` blocks. Routes that cannot be resolved are
/// listed as warnings, never dropped silently.
struct RouteSpecGenerator {
    let request: ScaffoldRequest

    func run(folder raw: String) throws(BackendError) -> ScaffoldResult {
        let writer = try SpecFileWriter(output: request.output)
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw BackendError.invalidInput("generate_spec: give the routes folder") }
        let absolute = trimmed.hasPrefix("/") ? trimmed : FileManager.default.currentDirectoryPath + "/" + trimmed
        let root = (absolute as NSString).standardizingPath

        var frameworks: [String] = []
        let generated = GeneratedProjectReader.generatedFolder(in: root)
        let folder = try RouteSourceFolder(root: root, excluding: generated.map { [$0] } ?? [])
        var builder = RouteSpecBuilder(title: Self.defaultTitle(root), version: Self.packageVersion(root) ?? "0.1.0")
        builder.warnings += folder.warnings
        if let generated {
            let project = try GeneratedProjectReader(root: root, folder: generated)
            builder.title = project.title
            builder.version = project.apiVersion
            builder.basePath = project.basePath
            builder.operations = project.operations
            if project.schemas.count > 0 { builder.components["schemas"] = .object(project.schemas) }
            if project.securitySchemes.count > 0 {
                builder.components["securitySchemes"] = .object(project.securitySchemes)
            }
            builder.warnings += project.warnings
            frameworks.append("express")
        }
        let extractor = RouteExtractor(files: folder.files)
        builder.warnings += extractor.warnings
        frameworks += extractor.frameworks.sorted()
        // The generated app mounts its routers from the table; hand-written routes elsewhere join them.
        builder.add(extractor.routes)
        let comments = OpenAPICommentReader(files: folder.files)
        builder.warnings += comments.warnings
        builder.merge(comments.blocks)
        builder.finish()
        if builder.operations.isEmpty && generated == nil {
            builder.warnings.append(
                "no routes found under \(root): generate_spec reads app/router.METHOD(...), router.route(...), "
                    + "fastify.route({...}), koa-router and @openapi blocks in .js/.ts files")
        }

        let document = builder.document()
        let text = try writer.text(document)
        let action = try writer.action(for: text)
        let dryRun = request.dryRun ?? false
        if !dryRun && action != "unchanged" { try writer.write(text) }

        var counts = ScaffoldResult.Counts()
        switch action {
        case "created": counts.created = 1
        case "updated": counts.updated = 1
        default: counts.unchanged = 1
        }
        let operations = builder.operations.map { operation -> ScaffoldResult.OperationEntry in
            let alternatives = operation.operation["security"]?.arrayValue ?? []
            let secured = alternatives.contains { ($0.objectValue?.count ?? 0) > 0 }
            return ScaffoldResult.OperationEntry(
                operationId: operation.operation["operationId"]?.stringValue ?? operation.method,
                method: operation.method.uppercased(), path: operation.path, route: operation.route,
                handlerFile: operation.location, secured: secured)
        }
        let frameworkNames = Array(Set(frameworks)).sorted()
        return ScaffoldResult(
            status: dryRun ? "dry_run" : "written", source: "generate_spec", spec: writer.path, openapiVersion: "3.1.0",
            title: builder.title, framework: frameworkNames.isEmpty ? "unknown" : frameworkNames.joined(separator: "+"),
            errorFormat: "envelope", output: writer.folder, basePath: builder.basePath, operations: operations,
            schemas: builder.components["schemas"]?.objectValue?.count ?? 0,
            securitySchemes: builder.components["securitySchemes"]?.objectValue?.keys ?? [],
            files: [.init(path: writer.name, action: action, generated: false)], counts: counts,
            warnings: builder.warnings,
            nextSteps: [
                "review \(writer.path): responses are only as described in the code (fastify schemas, @openapi blocks)",
                "scaffold \(writer.path) --output <project> to generate a typed project from it",
            ])
    }

    /// `name` from the nearest package.json (the folder or its parent), else the folder's name.
    static func defaultTitle(_ root: String) -> String {
        if let name = package(root)?["name"]?.stringValue, !name.isEmpty { return name }
        let name = (root as NSString).lastPathComponent
        return name.isEmpty || name == "/" ? "API" : name
    }

    static func packageVersion(_ root: String) -> String? { package(root)?["version"]?.stringValue }

    static func package(_ root: String) -> JSONValue? {
        for candidate in [root + "/package.json", (root as NSString).deletingLastPathComponent + "/package.json"] {
            if let data = FileManager.default.contents(atPath: candidate),
                let value = try? JSONParser.parse([UInt8](data))
            {
                return value
            }
        }
        return nil
    }
}

extension ScaffoldResult {
    /// The digest of a generate_spec run.
    var routesDigest: Digest {
        var digest = Digest(
            "\(status == "dry_run" ? "Would write" : "Wrote") \(spec) (OpenAPI 3.1) from \(framework) routes: "
                + "\(operations.count) operations")
        let mode = files.first?.action ?? "created"
        digest.bullet("spec file \(mode); \(schemas) component schemas; \(warnings.count) warnings")
        for warning in warnings.prefix(3) { digest.bullet("warning: \(warning)") }
        if warnings.count > 3 { digest.bullet("\(warnings.count - 3) more warnings in the result") }
        if let step = nextSteps.first { digest.next(step) }
        return digest
    }
}
