import BackendCore
import Foundation
import Testing

@testable import Scaffold

/// The OpenAPI corpus, vendored beside the tests (`Fixtures/corpus`, a copy of `../shared/corpus`).
let corpus = fixtures + "/corpus/openapi"

func generateSpec(_ folder: String, into output: String, dryRun: Bool = false) throws -> ScaffoldResult {
    try Scaffolder().run(ScaffoldRequest(generateSpec: folder, output: output, dryRun: dryRun))
}

/// The routes of a result as `METHOD path`, sorted.
func routeLines(_ result: ScaffoldResult) -> [String] {
    result.operations.map { "\($0.method) \($0.path)" }.sorted()
}

@Suite struct RouteSpecRoundTripTests {
    /// Every `small/` document and the RealWorld API (the issue's list), and `features/` and `medium/` too.
    static func corpusDocuments() -> [String] {
        var documents: [String] = []
        for folder in ["small", "features", "medium"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus + "/" + folder)) ?? []
            documents += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted().map {
                folder + "/" + $0
            }
        }
        return documents + ["roundtrip/realworld-conduit-openapi.yml"]
    }

    @Test func theCorpusIsThere() {
        #expect(
            FileManager.default.fileExists(atPath: corpus + "/small"),
            "the round-trip tests read the shared corpus at \(corpus): it is missing")
        #expect(Self.corpusDocuments().filter { $0.hasPrefix("small/") }.count >= 12)
    }

    /// spec -> scaffold -> generate_spec -> the same operations, parameters, bodies and schemas.
    @Test(arguments: corpusDocuments())
    func specToCodeToSpecKeepsOperationsParametersAndSchemas(_ document: String) throws {
        let original = try APIModel(document: SpecDocument.load(path: corpus + "/" + document))
        let project = temporaryFolder("roundtrip")
        defer { try? FileManager.default.removeItem(atPath: project) }
        _ = try scaffold(corpus + "/" + document, into: project)
        for (folder, name) in [(project, "openapi.yaml"), (project + "/src", "openapi.json")] {
            let specFile = project + "-" + name
            defer { try? FileManager.default.removeItem(atPath: specFile) }
            let result = try generateSpec(folder, into: specFile)
            #expect(result.source == "generate_spec")
            #expect(result.warnings == [], "\(document): \(result.warnings)")
            let again = try APIModel(document: SpecDocument.load(path: specFile))
            expectSameModel(original, again, document)
        }
    }

    func expectSameModel(_ original: APIModel, _ again: APIModel, _ document: String) {
        #expect(again.title == original.title, "\(document): title")
        #expect(again.basePath == original.basePath, "\(document): base path")
        #expect(
            again.operations.map { "\($0.method) \($0.path) \($0.identifier)" }
                == original.operations.map { "\($0.method) \($0.path) \($0.identifier)" }, "\(document): operations")
        for (left, right) in zip(original.operations, again.operations) {
            let leftParameters = left.parameters.map {
                [$0.name, $0.location, "\($0.required)", $0.style, "\($0.explode)"]
            }
            let rightParameters = right.parameters.map {
                [$0.name, $0.location, "\($0.required)", $0.style, "\($0.explode)"]
            }
            #expect(leftParameters == rightParameters, "\(document): \(left.identifier) parameters")
            #expect(left.parameters.map(\.schema) == right.parameters.map(\.schema), "\(document): \(left.identifier)")
            #expect(left.body?.schema == right.body?.schema, "\(document): \(left.identifier) body")
            #expect(left.body?.required == right.body?.required, "\(document): \(left.identifier) body")
            #expect(left.summary == right.summary, "\(document): \(left.identifier) summary")
            #expect(
                left.security.map { $0.map { "\($0.scheme)\($0.scopes)" } }
                    == right.security.map { $0.map { "\($0.scheme)\($0.scopes)" } },
                "\(document): \(left.identifier) security")
        }
        #expect(again.schemas.map(\.identifier) == original.schemas.map(\.identifier), "\(document): schema names")
        for (left, right) in zip(original.schemas, again.schemas) {
            #expect(left.schema == right.schema, "\(document): schema \(left.identifier)")
        }
        #expect(
            again.securitySchemes.map { "\($0.name) \($0.type)" }
                == original.securitySchemes.map { "\($0.name) \($0.type)" }, "\(document): security schemes")
    }
}

/// Reads a written spec back as JSON (YAML through Yams, like any spec).
func writtenSpec(_ path: String) throws -> JSONValue {
    try SpecDocument.load(path: path).root
}

@Suite struct RouteSpecFixtureTests {
    static let routes = fixtures + "/routes"

    /// `METHOD path` -> the path parameters and their schema types, for every route of the Express fixture.
    static let expressRoutes: [(route: String, parameters: [String])] = [
        ("GET /health", []), ("HEAD /health", []), ("GET /version", []), ("POST /login", []), ("OPTIONS /cors", []),
        ("GET /books", []), ("POST /books", []),
        ("GET /books/{bookId}", ["bookId:integer"]), ("PUT /books/{bookId}", ["bookId:integer"]),
        ("PATCH /books/{bookId}", ["bookId:integer"]), ("DELETE /books/{bookId}", ["bookId:integer"]),
        ("GET /files/{name}.{ext}", ["name:string", "ext:string"]),
        ("GET /archive/{year}", ["year:string"]), ("GET /archive/{year}/{month}", ["year:string", "month:string"]),
        ("GET /api/v2/status", []),
        ("GET /users", []), ("POST /users", []), ("GET /users/{id}", ["id:string"]), ("PUT /users/{id}", ["id:string"]),
        ("DELETE /users/{id}", ["id:string"]),
        ("GET /users/{id}/profile", ["id:string"]), ("PATCH /users/{id}/profile", ["id:string"]),
        ("GET /admin/stats", []), ("POST /admin/reindex/{index}", ["index:string"]), ("GET /ready", []),
        ("GET /orders", []), ("POST /orders", []),
    ]

    @Test func everyExpressRouteIsFoundWithItsPathParameters() throws {
        let output = temporaryFolder("express") + ".yaml"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try generateSpec(Self.routes + "/express", into: output)
        #expect(result.framework == "express")
        #expect(routeLines(result) == Self.expressRoutes.map(\.route).sorted())
        let spec = try writtenSpec(output)
        for (route, expected) in Self.expressRoutes {
            let parts = route.split(separator: " ")
            let operation = try #require(spec["paths"]?[String(parts[1])]?[parts[0].lowercased()], "\(route)")
            let parameters = (operation["parameters"]?.arrayValue ?? []).map {
                "\($0["name"]?.stringValue ?? ""):\($0["schema"]?["type"]?.stringValue ?? "")"
            }
            #expect(parameters == expected, "\(route)")
        }
        // Handlers named by identifiers give the operation ids; file:line says where each route is.
        let byRoute = Dictionary(uniqueKeysWithValues: result.operations.map { ("\($0.method) \($0.path)", $0) })
        #expect(byRoute["GET /health"]?.operationId == "health")
        #expect(byRoute["GET /version"]?.handlerFile == "app.js:22")
        #expect(byRoute["PUT /users/{id}"]?.operationId == "putUsersId")
        #expect(byRoute["POST /admin/reindex/{index}"]?.route == "/admin/reindex/:index([a-z]+)")
        #expect(byRoute["GET /users/{id}/profile"]?.handlerFile == "routes/profile.ts:5")
        #expect(
            spec["paths"]?["/admin/reindex/{index}"]?["post"]?["parameters"]?.arrayValue?.first?["schema"]?["pattern"]
                == .string("^(?:[a-z]+)$"))
        // Nothing in comments, strings, templates or regex literals became a route.
        for decoy in ["/commented", "/blocked", "/in-string", "/in-template", "/in-regex"] {
            #expect(!result.operations.contains { $0.path == decoy })
        }
        // Every unresolvable registration is a warning with file:line and the reason.
        let expectedWarnings = [
            "app.js:48: GET route not listed: dynamic path", "app.js:49: GET route not listed: dynamic path",
            "app.js:50: ALL /everything", "app.js:51: something.get('/unknown'", "app.js:52: get route with spread",
            "routes/orders.ts:12: this.router.get('/legacy', ...)",
        ]
        for expected in expectedWarnings {
            #expect(result.warnings.contains { $0.hasPrefix(expected) }, "missing warning \(expected)")
        }
        #expect(result.warnings.count == expectedWarnings.count, "\(result.warnings)")
    }

    @Test func fastifyShorthandRouteAndPluginPrefixesWithSchemas() throws {
        let output = temporaryFolder("fastify") + ".json"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try generateSpec(Self.routes + "/fastify", into: output)
        #expect(result.framework == "fastify")
        #expect(
            routeLines(result) == [
                "DELETE /admin/cache", "GET /health", "GET /items/{itemId}", "GET /ping", "GET /v1/users",
                "GET /v1/users/{id}",
                "POST /items", "PUT /items",
            ])
        #expect(result.warnings == [])
        let spec = try JSONParser.parse([UInt8](try #require(FileManager.default.contents(atPath: output))))
        let item = try #require(spec["paths"]?["/items/{itemId}"]?["get"])
        #expect(item["parameters"]?.arrayValue?.map { $0["name"]?.stringValue ?? "" } == ["itemId", "verbose"])
        #expect(item["parameters"]?.arrayValue?.first?["schema"]?["type"] == .string("integer"))
        #expect(item["responses"]?["200"]?["description"] == .string("The item"))
        #expect(item["responses"]?["200"]?["content"]?["application/json"]?["schema"]?["type"] == .string("object"))
        let save = try #require(spec["paths"]?["/items"]?["post"])
        #expect(
            save["requestBody"]?["content"]?["application/json"]?["schema"]?["required"] == .array([.string("name")]))
        #expect(save["parameters"]?.arrayValue?.first?["in"] == .string("header"))
        #expect(save["parameters"]?.arrayValue?.first?["required"] == .bool(true))
        let user = try #require(spec["paths"]?["/v1/users/{id}"]?["get"])
        #expect(user["operationId"] == .string("fetchUser"))
        #expect(user["summary"] == .string("Get a user"))
        #expect(user["tags"] == .array([.string("users")]))
        // The params schema is a constant imported from another file.
        #expect(user["parameters"]?.arrayValue?.first?["schema"]?["format"] == .string("uuid"))
    }

    @Test func koaRouterPrefixesNestingAndNamedRoutes() throws {
        let output = temporaryFolder("koa") + ".yml"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try generateSpec(Self.routes + "/koa", into: output)
        #expect(result.framework == "koa")
        #expect(
            routeLines(result) == [
                "DELETE /api/articles/{slug}", "GET /api", "GET /api/articles", "GET /api/articles/{slug}",
                "GET /api/status", "POST /api/articles",
            ])
        #expect(result.warnings == [])
        #expect(result.operations.first { $0.path == "/api" }?.operationId == "rootHandler")
        #expect(result.operations.first { $0.method == "DELETE" }?.operationId == "remove")
    }

    @Test func openapiBlocksAreMergedAndBadOnesWarned() throws {
        let output = temporaryFolder("jsdoc") + ".yaml"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try generateSpec(Self.routes + "/jsdoc", into: output)
        #expect(routeLines(result) == ["GET /pets/{petId}", "POST /reports"])
        let spec = try writtenSpec(output)
        let pet = try #require(spec["paths"]?["/pets/{petId}"]?["get"])
        #expect(pet["operationId"] == .string("findPet"))
        #expect(pet["summary"] == .string("Find a pet"))
        #expect(pet["parameters"]?.arrayValue?.count == 1)
        #expect(pet["parameters"]?.arrayValue?.first?["schema"]?["type"] == .string("integer"))
        #expect(pet["responses"]?["200"]?["description"] == .string("The pet"))
        #expect(spec["paths"]?["/reports"]?["post"]?["responses"]?["202"] != nil)
        #expect(spec["components"]?["schemas"]?["Pet"]?["type"] == .string("object"))
        #expect(result.operations.first { $0.path == "/reports" }?.handlerFile == "app.js:26")
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.hasPrefix("app.js:44: @openapi block is not valid YAML") == true)
    }
}

@Suite struct RouteSpecHostileInputTests {
    /// A fresh folder holding `files` (relative path -> text).
    func folder(_ files: [String: String]) throws -> String {
        let root = temporaryFolder("routes")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (path, text) in files { try write(text, to: root + "/" + path) }
        return root
    }

    @Test func aMissingFolderOrAFileInsteadOfAFolderIsAClearError() throws {
        expectFailure(.notFound, containing: "does not exist") {
            _ = try generateSpec("/nonexistent/routes-\(UUID().uuidString)", into: temporaryFolder() + ".yaml")
        }
        let root = try folder(["app.js": "app.get('/x', h);\n"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        expectFailure(.invalidInput, containing: "is a file") {
            _ = try generateSpec(root + "/app.js", into: temporaryFolder() + ".yaml")
        }
    }

    @Test(arguments: [
        ("spec.txt", BackendError.Code.invalidInput, ".yaml, .yml"), ("spec", .invalidInput, ".json"),
        ("../outside.yaml", .refused, "'..'"), ("a/../../b.json", .refused, "'..'"), ("  ", .invalidInput, "output"),
    ])
    func outputsOutsideOrWithAWrongExtensionAreRefused(
        _ output: String, _ code: BackendError.Code, _ text: String
    )
        throws
    {
        let root = try folder(["app.js": "const app = require('express')();\napp.get('/x', h);\n"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        expectFailure(code, containing: text) { _ = try generateSpec(root, into: output) }
    }

    @Test func anOutputThatIsAFolderIsRefusedAndDryRunWritesNothing() throws {
        let root = try folder(["app.js": "const app = require('express')();\napp.get('/x', h);\n"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/spec.yaml", withIntermediateDirectories: true)
        expectFailure(.refused, containing: "is a folder") { _ = try generateSpec(root, into: root + "/spec.yaml") }
        let target = root + "/out/openapi.json"
        let dry = try generateSpec(root, into: target, dryRun: true)
        #expect(dry.status == "dry_run" && dry.files.first?.action == "created")
        #expect(!FileManager.default.fileExists(atPath: target))
        let first = try generateSpec(root, into: target)
        #expect(first.files == [.init(path: "openapi.json", action: "created", generated: false)])
        #expect(first.spec == target && FileManager.default.fileExists(atPath: target))
        let second = try generateSpec(root, into: target)
        #expect(second.files.first?.action == "unchanged" && second.counts.unchanged == 1)
    }

    @Test func binaryUnterminatedHugeAndLoopingInputGiveWarningsNotCrashes() throws {
        let root = try folder([
            "app.js": "const app = require('express')();\napp.get('/first', a);\n"
                + "const broken = 'no end\napp.get('/after-string', b);\n"
                + "const open = `template ${ never closed\napp.get('/swallowed', c);\n",
            "notes.md": "app.get('/not-source', h);\n",
            "script.ts": "def main():\n    print('python, not TypeScript')\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Data([0x61, 0x70, 0x70, 0x00, 0xFF, 0xFE, 0x2E]).write(to: URL(fileURLWithPath: root + "/binary.js"))
        try String(
            repeating: "// padding padding padding padding padding padding padding padding padding\n",
            count: 30_000
        ).write(toFile: root + "/huge.js", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: root + "/nested", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/nested/up", withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: root + "/self.js", withDestinationPath: "self.js")

        let output = root + "/openapi.yaml"
        let result = try generateSpec(root, into: output)
        #expect(routeLines(result) == ["GET /after-string", "GET /first"])
        let expected = [
            "app.js:3: unterminated string", "app.js:5: unterminated template literal", "binary.js: not UTF-8 text",
            "huge.js: 2 MB, over the 2 MB limit", "nested/up: symbolic link to a folder, not followed",
            "self.js: symbolic link to nothing (or a loop)",
        ]
        for prefix in expected {
            #expect(result.warnings.contains { $0.hasPrefix(prefix) }, "missing '\(prefix)' in \(result.warnings)")
        }
    }

    @Test func parametersNeverGivenARouterAreWarnedNotListed() throws {
        let root = try folder([
            "client.js": "function fetchAll(client, cb) {\n  client.get('/users', cb);\n  client[verb](url);\n}\n"
                + "module.exports = fetchAll;\n",
            "plugin.js": "module.exports = function (app) {\n  app.get('/plugin', handler);\n};\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try generateSpec(root, into: root + "/openapi.json")
        // `app` is a router's name: listed, with a warning that nothing mounts it.
        #expect(routeLines(result) == ["GET /plugin"])
        #expect(
            result.warnings == [
                "client.js:2: GET /users on parameter 'client' of function 'fetchAll', which no call in the folder "
                    + "gives a router; not listed",
                "plugin.js:2: parameter 'app' of function (anonymous) is not mounted anywhere found in the folder; "
                    + "its routes are listed without a mount prefix",
            ])
    }

    @Test func manyRoutesInOneFileAreReadQuickly() throws {
        var source = "const express = require('express');\nconst app = express();\n"
        for index in 0..<3_000 { source += "app.get('/r\(index)/:id', handler\(index));\n" }
        let root = try folder(["app.js": source])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let clock = ContinuousClock()
        let started = clock.now
        let result = try generateSpec(root, into: root + "/openapi.json")
        #expect(result.operations.count == 3_000)
        #expect(clock.now - started < .seconds(20))
    }
}

@Suite struct JavaScriptTokenizerTests {
    @Test(arguments: [
        ("a / b / c", ["identifier a", "punctuator /", "identifier b", "punctuator /", "identifier c"]),
        (
            "x = /ab+c\\//g.test(y)",
            [
                "identifier x", "punctuator =", "regex /ab+c\\//g", "punctuator .",
                "identifier test", "punctuator (", "identifier y", "punctuator )",
            ]
        ),
        ("return /[/]/", ["identifier return", "regex /[/]/"]),
        ("i++ / 2", ["identifier i", "punctuator ++", "punctuator /", "number 2"]),
        ("'it\\'s' \"a\\nb\"", ["string it's", "string a\nb"]),
        ("`a${ `b${c}` + '}' }d` e", ["template(isStatic: false) a${ `b${c}` + '}' }d", "identifier e"]),
        ("`plain\\u0041`", ["template(isStatic: true) plainA"]),
        ("// app.get('/x')\n/* app.post('/y') */ z", ["identifier z"]),
        ("a?.b ?? c", ["identifier a", "punctuator ?.", "identifier b", "punctuator ??", "identifier c"]),
    ])
    func tokens(_ source: String, _ expected: [String]) {
        let tokens = JavaScriptTokenizer.tokenize(source).tokens
        #expect(tokens.map { "\($0.kind) \($0.text)" } == expected)
    }

    @Test func docCommentsKeepTheirLine() {
        let tokenizer = JavaScriptTokenizer.tokenize("x\n/**\n * @openapi\n */\n/* plain */")
        #expect(tokenizer.docComments.map(\.line) == [2])
    }
}

@Suite struct RoutePathTests {
    @Test(arguments: [
        ("/users/:id", ["/users/{id}"], ["id:string"]),
        ("/books/:id(\\d+)", ["/books/{id}"], ["id:integer"]),
        ("/tags/:tag([a-z]+)", ["/tags/{tag}"], ["tag:string:^(?:[a-z]+)$"]),
        ("/archive/:year/:month?", ["/archive/{year}", "/archive/{year}/{month}"], ["year:string", "month:string"]),
        ("/files/*", ["/files/{wildcard}"], ["wildcard:string"]),
        ("/time/10::30", ["/time/10:30"], []),
        ("/a/:from-:to", ["/a/{from}-{to}"], ["from:string", "to:string"]),
        ("/users{/:id}", ["/users", "/users/{id}"], ["id:string"]),
        ("/files/*path", ["/files/{path}"], ["path:string"]),
    ])
    func convert(_ route: String, _ paths: [String], _ parameters: [String]) {
        let converted = RoutePath.convert(route)
        #expect(converted.paths.map(\.path) == paths)
        let last = converted.paths.last?.parameters ?? []
        #expect(
            last.map { parameter in
                ([parameter.name, parameter.schema["type"]?.stringValue ?? ""]
                    + (parameter.schema["pattern"]?.stringValue.map { [$0] } ?? [])).joined(separator: ":")
            } == parameters)
    }

    @Test func prefixesJoinWithoutDoubleSlashes() {
        #expect(RoutePath.join("/api/", "/users") == "/api/users")
        #expect(RoutePath.join("/api", "/") == "/api")
        #expect(RoutePath.join("", "/") == "/")
        #expect(RoutePath.join("/v1", "users") == "/v1/users")
    }
}
