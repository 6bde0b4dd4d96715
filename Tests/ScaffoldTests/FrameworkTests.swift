import BackendCore
import Foundation
import Testing

@testable import Scaffold

/// Runs Debian's tsc (node-typescript) on a project; a missing tsc fails the test.
func typeCheck(_ project: String) throws -> (status: Int32, output: String) {
    try run("/usr/bin/tsc", ["-p", project, "--noEmit", "--strict"], in: project)
}

@Suite struct FrameworkTests {
    /// Fastify and Koa are not installed here: their output is checked against our minimal declarations
    /// of the APIs it uses (Fixtures/types), copied into the project's node_modules.
    @Test(
        arguments: ["fastify", "koa"],
        ["petstore-expanded.yaml", "security.yaml", "polymorphism.yaml", "hardened.yaml"])
    func outputTypeChecksAgainstTheDeclarations(framework: String, spec: String) throws {
        let output = temporaryFolder(framework)
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try scaffold(fixtures + "/" + spec, into: output, framework: framework)
        #expect(result.framework == framework)
        #expect(result.files.contains { $0.path == "src/generated/\(framework).ts" })
        #expect(!result.files.contains { $0.path.contains("express") })
        let modules = output + "/node_modules"
        try FileManager.default.createDirectory(atPath: modules, withIntermediateDirectories: true)
        for package in ["fastify", "@fastify", "koa", "@koa"] {
            try FileManager.default.copyItem(atPath: fixtures + "/types/" + package, toPath: modules + "/" + package)
        }
        let (status, text) = try typeCheck(output)
        #expect(status == 0, "tsc: \(text)")
    }

    /// The type check can fail: a handler that misuses the request type is caught.
    @Test func theTypeCheckCatchesAWrongHandler() throws {
        let output = temporaryFolder("koa")
        defer { try? FileManager.default.removeItem(atPath: output) }
        _ = try scaffold(fixtures + "/petstore-expanded.yaml", into: output, framework: "koa")
        try FileManager.default.createDirectory(atPath: output + "/node_modules", withIntermediateDirectories: true)
        for package in ["koa", "@koa"] {
            try FileManager.default.copyItem(
                atPath: fixtures + "/types/" + package, toPath: output + "/node_modules/" + package)
        }
        let handler = output + "/src/handlers/findPetById.ts"
        let text = try String(contentsOfFile: handler, encoding: .utf8)
        try write(
            text.replacingOccurrences(of: "void request;", with: "const id: string = request.path.id;"), to: handler)
        let (status, report) = try typeCheck(output)
        #expect(status != 0)
        #expect(report.contains("findPetById.ts"))
    }

    @Test(arguments: [
        ("express", "/pets/:pet_id", "/files/:name.json"),
        ("fastify", "/pets/:pet_id", "/files/:name.json"),
        ("koa", "/pets/:pet_id", "/files/:name.json"),
    ])
    func routesUseTheFrameworkSyntaxStaticFirst(framework: String, petRoute: String, fileRoute: String) throws {
        let specFile = temporaryFolder() + ".yaml"
        defer { try? FileManager.default.removeItem(atPath: specFile) }
        try write(
            """
            openapi: 3.0.3
            info: {title: T, version: "1"}
            servers: [{url: https://example.com/api/v1}]
            paths:
              /pets/{pet-id}:
                get:
                  parameters: [{name: pet-id, in: path, required: true, schema: {type: string}}]
                  responses: {'200': {description: ok}}
              /pets/mine: {get: {operationId: mine, responses: {'200': {description: ok}}}}
              /files/{name}.json:
                get:
                  parameters: [{name: name, in: path, required: true, schema: {type: string}}]
                  responses: {'200': {description: ok}}
              /pets: {get: {operationId: list, responses: {'200': {description: ok}}}}
            """, to: specFile)
        let result = try scaffold(specFile, into: temporaryFolder(), framework: framework, dryRun: true)
        #expect(result.operations.map(\.path) == ["/files/{name}.json", "/pets", "/pets/mine", "/pets/{pet-id}"])
        #expect(result.operations.map(\.route) == [fileRoute, "/pets", "/pets/mine", petRoute])
        #expect(result.basePath == "/api/v1")
    }

    @Test(arguments: [
        ("fastify", "/a:b/{id}", "/a::b/:id"),
        ("koa", "/a:b/{id}", "/a\\:b/:id"),
        ("koa", "/v1/(x)*/{id}", "/v1/\\(x\\)\\*/:id"),
        ("express", "/a:b/{id}", "/a\\:b/:id"),
    ])
    func literalRouteCharactersAreEscaped(framework: String, path: String, route: String) throws {
        let specFile = temporaryFolder() + ".yaml"
        defer { try? FileManager.default.removeItem(atPath: specFile) }
        try write(
            """
            openapi: 3.0.3
            info: {title: T, version: "1"}
            paths:
              '\(path)':
                get:
                  parameters: [{name: id, in: path, required: true, schema: {type: string}}]
                  responses: {'200': {description: ok}}
            """, to: specFile)
        let result = try scaffold(specFile, into: temporaryFolder(), framework: framework, dryRun: true)
        #expect(result.operations.first?.route == route)
    }

    /// The generated README documents the same hardening for every framework: from its configuration
    /// table on (variables, authentication, rate limits with the shared store, request ids) it is one text.
    @Test func theHardeningIsDocumentedAlikeForEveryFramework() throws {
        var sections: [String: Substring] = [:]
        for framework in Framework.allCases {
            let output = temporaryFolder(framework.rawValue)
            defer { try? FileManager.default.removeItem(atPath: output) }
            _ = try scaffold(fixtures + "/hardened.yaml", into: output, framework: framework.rawValue)
            let readme = try String(contentsOfFile: output + "/README.md", encoding: .utf8)
            let start = try #require(readme.range(of: "## Configuration"))
            sections[framework.rawValue] = readme[start.lowerBound...]
        }
        #expect(sections["express"]?.contains("PEXPIRE") == true)
        #expect(sections["express"] == sections["fastify"] && sections["express"] == sections["koa"])
    }

    /// Handlers are framework-independent: the same file for every framework.
    @Test func handlersAreTheSameForEveryFramework() throws {
        var handlers: [String: [String: [UInt8]]] = [:]
        for framework in Framework.allCases {
            let output = temporaryFolder(framework.rawValue)
            defer { try? FileManager.default.removeItem(atPath: output) }
            _ = try scaffold(fixtures + "/security.yaml", into: output, framework: framework.rawValue)
            handlers[framework.rawValue] = tree(output + "/src/handlers")
        }
        #expect(handlers["express"]?.isEmpty == false)
        #expect(handlers["express"] == handlers["fastify"] && handlers["express"] == handlers["koa"])
    }
}
