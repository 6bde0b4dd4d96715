import BackendCore
import Foundation
import Testing

@testable import Scaffold

/// Fixtures folder beside this file (excluded from the target's sources).
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

func temporaryFolder(_ name: String = "scaffold") -> String {
    NSTemporaryDirectory() + "\(name)-\(UUID().uuidString)"
}

/// Every regular file under `folder`, relative path -> bytes.
func tree(_ folder: String) -> [String: [UInt8]] {
    var result: [String: [UInt8]] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return result }
    while let relative = enumerator.nextObject() as? String {
        var isFolder: ObjCBool = false
        let path = folder + "/" + relative
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
            result[relative] = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
        }
    }
    return result
}

func write(_ text: String, to path: String) throws {
    try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

func scaffold(
    _ spec: String, into output: String, framework: String = "express", force: Bool = false, dryRun: Bool = false
) throws -> ScaffoldResult {
    try Scaffolder().run(
        ScaffoldRequest(spec: spec, framework: framework, output: output, force: force, dryRun: dryRun))
}

/// `produced` equals the files under `Fixtures/golden/<folder>` byte for byte;
/// SENIOR_BACKEND_RECORD_GOLDEN=1 records them instead.
func expectGolden(_ produced: [String: [UInt8]], folder: String) throws {
    let goldenFolder = fixtures + "/golden/" + folder
    if ProcessInfo.processInfo.environment["SENIOR_BACKEND_RECORD_GOLDEN"] == "1" {
        try? FileManager.default.removeItem(atPath: goldenFolder)
        for (path, bytes) in produced {
            try write(String(decoding: bytes, as: UTF8.self), to: goldenFolder + "/" + path)
        }
    }
    let golden = tree(goldenFolder)
    #expect(!golden.isEmpty, "no golden files: run with SENIOR_BACKEND_RECORD_GOLDEN=1")
    #expect(Set(produced.keys) == Set(golden.keys))
    for (path, bytes) in produced.sorted(by: { $0.key < $1.key }) {
        let same = bytes == golden[path]
        #expect(same, "\(path) differs from its golden file")
    }
}

func expectFailure(_ code: BackendError.Code, containing text: String, _ work: () throws -> Void) {
    do {
        try work()
        Issue.record("expected a \(code) error containing '\(text)'")
    } catch let error as BackendError {
        #expect(error.code == code)
        #expect(error.message.contains(text), "message: \(error.message)")
    } catch {
        Issue.record("unexpected error \(error)")
    }
}

@Suite struct ScaffoldGoldenTests {
    /// The output matches the recorded files byte for byte (SENIOR_BACKEND_RECORD_GOLDEN=1 re-records).
    /// Fastify's and Koa's golden folders hold only the files that differ from Express's output: the
    /// framework-independent ones (validators, types, verifiers, hardening, handlers, ...) must be the same
    /// bytes, which is what lets the Express run under node vouch for them.
    @Test(arguments: ["petstore-expanded", "hardened"], ["express", "fastify", "koa"])
    func outputMatchesGoldenFiles(spec: String, framework: String) throws {
        func output(_ framework: String) throws -> [String: [UInt8]] {
            let folder = temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            _ = try scaffold(fixtures + "/\(spec).yaml", into: folder, framework: framework)
            return tree(folder)
        }
        let produced = try output(framework)
        guard framework != "express" else { return try expectGolden(produced, folder: spec) }
        let express = try output("express")
        let differing = produced.filter { express[$0.key] != $0.value }
        for shared in ["hardening.ts", "auth.ts", "runtime.ts", "validation.ts", "forms.ts", "types.ts", "schemas.ts"] {
            #expect(differing["src/generated/" + shared] == nil, "\(shared) differs from Express's")
        }
        try expectGolden(differing, folder: "\(spec)-\(framework)")
    }

    @Test func sameSpecGivesByteIdenticalOutput() throws {
        let first = temporaryFolder()
        let second = temporaryFolder()
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        for spec in ["petstore-expanded.yaml", "security.yaml", "polymorphism.yaml", "schema-types-3.1.yaml"] {
            _ = try scaffold(fixtures + "/" + spec, into: first, force: true)
            _ = try scaffold(fixtures + "/" + spec, into: second, force: true)
        }
        let left = tree(first)
        #expect(!left.isEmpty)
        #expect(left == tree(second))
    }
}

@Suite struct ScaffoldLayoutTests {
    @Test func handEditUnderGeneratedIsRefusedWithoutForceAndHandlersAreNeverOverwritten() throws {
        let output = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let spec = fixtures + "/petstore-expanded.yaml"
        let first = try scaffold(spec, into: output)
        #expect(first.counts.created == first.files.count)

        let again = try scaffold(spec, into: output)
        #expect(again.counts.created == 0 && again.counts.updated == 0)
        #expect(again.files.filter { !$0.generated }.allSatisfy { $0.action == "kept" })

        let handler = output + "/src/handlers/findPets.ts"
        try write("// mine\n", to: handler)
        let types = output + "/src/generated/types.ts"
        try write("// edited by hand\n", to: types)
        expectFailure(.refused, containing: "src/generated/types.ts") { _ = try scaffold(spec, into: output) }

        let dry = try scaffold(spec, into: output, dryRun: true)
        #expect(dry.status == "dry_run")
        #expect(dry.warnings.first?.contains("src/generated/types.ts") == true)
        #expect(try String(contentsOfFile: types, encoding: .utf8) == "// edited by hand\n")

        let forced = try scaffold(spec, into: output, force: true)
        #expect(forced.files.first { $0.path == "src/generated/types.ts" }?.action == "updated")
        #expect(try String(contentsOfFile: types, encoding: .utf8).contains("export type Pet = NewPet & {"))
        #expect(try String(contentsOfFile: handler, encoding: .utf8) == "// mine\n")
    }

    /// A symbolic link inside the output folder, on the way to a file or at the file itself, never carries a
    /// write outside the project: the run is refused before any folder is made there. A link that stays inside
    /// the project is followed. With force, so that the hand-edit check (which reads through the link) is not
    /// what stops it.
    @Test(arguments: [
        ("src", "outside", "leads outside"),
        ("src/generated", "outside", "leads outside"),
        ("src/generated/types.ts", "outside/types.ts", "is a symbolic link"),
        ("src", "inside", nil),
    ])
    func linksInTheProjectDoNotLeadWritesOut(link: String, to destination: String, refusal: String?) throws {
        let base = temporaryFolder("links")
        let output = base + "/project"
        defer { try? FileManager.default.removeItem(atPath: base) }
        let outside = base + "/outside"
        try write("mine\n", to: outside + "/types.ts")
        try FileManager.default.createDirectory(atPath: output + "/inside", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            atPath: ((output + "/" + link) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let target = destination == "inside" ? output + "/inside" : base + "/" + destination
        try FileManager.default.createSymbolicLink(atPath: output + "/" + link, withDestinationPath: target)
        let spec = fixtures + "/petstore-expanded.yaml"
        if let refusal {
            expectFailure(.refused, containing: refusal) { _ = try scaffold(spec, into: output, force: true) }
            #expect(tree(outside) == ["types.ts": Array("mine\n".utf8)])
        } else {
            let result = try scaffold(spec, into: output, force: true)
            #expect(result.status == "written")
            #expect(FileManager.default.fileExists(atPath: output + "/inside/generated/types.ts"))
        }
    }

    @Test func dryRunWritesNothing() throws {
        let output = temporaryFolder()
        let result = try scaffold(fixtures + "/petstore-expanded.yaml", into: output, dryRun: true)
        #expect(result.status == "dry_run")
        #expect(result.counts.created == result.files.count)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func operationsOfAVanishedPathAreRemovedFromGeneratedOnly() throws {
        let output = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let specFile = output + "-spec.yaml"
        defer { try? FileManager.default.removeItem(atPath: specFile) }
        let two = """
            openapi: 3.0.3
            info: {title: T, version: "1"}
            paths:
              /a: {get: {operationId: getA, responses: {'200': {description: ok}}}}
              /b: {get: {operationId: getB, responses: {'200': {description: ok}}}}
            """
        try write(two, to: specFile)
        _ = try scaffold(specFile, into: output)
        try write(two.replacingOccurrences(of: "getB", with: "getC"), to: specFile)
        let result = try scaffold(specFile, into: output)
        #expect(result.files.contains { $0.path == "src/handlers/getC.ts" && $0.action == "created" })
        // The old handler is the user's: it stays.
        #expect(FileManager.default.fileExists(atPath: output + "/src/handlers/getB.ts"))
        let registry = try String(contentsOfFile: output + "/src/generated/handler-registry.ts", encoding: .utf8)
        #expect(registry.contains("getC") && !registry.contains("getB"))
    }
}

@Suite struct ScaffoldSpecTests {
    @Test func swagger2GetsAClearMessage() {
        expectFailure(.invalidInput, containing: "Swagger 2.0") {
            _ = try scaffold(fixtures + "/swagger2-petstore.yaml", into: temporaryFolder())
        }
    }

    @Test func anUnknownFrameworkIsNamed() {
        expectFailure(.invalidInput, containing: "framework 'hapi' is unknown") {
            _ = try scaffold(fixtures + "/petstore-expanded.yaml", into: temporaryFolder(), framework: "hapi")
        }
    }

    @Test func jsonSpecsGoThroughTheJSONParser() throws {
        let output = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let specFile = output + "-spec.json"
        defer { try? FileManager.default.removeItem(atPath: specFile) }
        // A surrogate pair escape, which libyaml rejects.
        try write(
            #"{"openapi":"3.1.0","info":{"title":"Emoji \ud83d\ude00","version":"1"},"paths":{"/x":{"get":{"operationId":"getX","responses":{"200":{"description":"ok"}}}}}}"#,
            to: specFile)
        let result = try scaffold(specFile, into: output)
        #expect(result.title == "Emoji 😀")
        #expect(result.operations.map(\.operationId) == ["getX"])
    }

    @Test func aMissingRefIsNamedWithWhereItStands() throws {
        let specFile = temporaryFolder() + ".yaml"
        defer { try? FileManager.default.removeItem(atPath: specFile) }
        try write(
            """
            openapi: 3.0.3
            info: {title: T, version: "1"}
            paths:
              /x:
                post:
                  requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Nope'}}}}
                  responses: {'200': {description: ok}}
            """, to: specFile)
        expectFailure(.invalidInput, containing: "#/components/schemas/Nope") {
            _ = try scaffold(specFile, into: temporaryFolder())
        }
    }

    @Test func staticRoutesComeBeforeParameterRoutesAndPathsUseExpressSyntax() throws {
        let specFile = temporaryFolder() + ".yaml"
        defer { try? FileManager.default.removeItem(atPath: specFile) }
        try write(
            """
            openapi: 3.0.3
            info: {title: T, version: "1"}
            servers: [{url: /api/v1}]
            paths:
              /pets/{pet-id}:
                get:
                  parameters: [{name: pet-id, in: path, required: true, schema: {type: string}}]
                  responses: {'200': {description: ok}}
              /pets/mine: {get: {operationId: mine, responses: {'200': {description: ok}}}}
              /pets: {get: {operationId: list, responses: {'200': {description: ok}}}}
            """, to: specFile)
        let result = try scaffold(specFile, into: temporaryFolder(), dryRun: true)
        #expect(result.operations.map(\.path) == ["/pets", "/pets/mine", "/pets/{pet-id}"])
        #expect(result.operations.last?.route == "/pets/:pet_id")
        #expect(result.operations.last?.operationId == "getPetsPetId")
        #expect(result.basePath == "/api/v1")
    }

    @Test func hostileNamesStayInsideTheOutputFolder() throws {
        let output = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let specFile = output + "-spec.yaml"
        defer { try? FileManager.default.removeItem(atPath: specFile) }
        try write(
            """
            openapi: 3.1.0
            info: {title: "../../etc", version: "1"}
            paths:
              /a: {get: {operationId: "../../../etc/passwd", responses: {'200': {description: ok}}}}
              /b: {get: {operationId: "/abs/olute", responses: {'200': {description: ok}}}}
              /c: {get: {operationId: "délete ☃", responses: {'200': {description: ok}}}}
              /d: {get: {operationId: "delete", responses: {'200': {description: ok}}}}
            components:
              schemas:
                "../Evil": {type: string}
                "class": {type: integer}
            """, to: specFile)
        let result = try scaffold(specFile, into: output)
        #expect(result.operations.map(\.operationId) == ["etcPasswd", "absOlute", "dLete", "delete_"])
        for file in result.files {
            #expect(!file.path.contains(".."))
            #expect(FileManager.default.fileExists(atPath: output + "/" + file.path))
        }
        let types = try String(contentsOfFile: output + "/src/generated/types.ts", encoding: .utf8)
        #expect(types.contains("export type Evil = string;") && types.contains("export type Class = number;"))
        expectFailure(.refused, containing: "..") { _ = try scaffold(specFile, into: output + "/../x") }
    }

    @Test func typesCoverAllOfOneOfEnumsNullableAndTypeArrays() throws {
        let specFile = temporaryFolder() + ".yaml"
        let output = temporaryFolder()
        defer {
            try? FileManager.default.removeItem(atPath: specFile)
            try? FileManager.default.removeItem(atPath: output)
        }
        try write(
            """
            openapi: 3.0.3
            info: {title: T, version: "1"}
            paths: {}
            components:
              schemas:
                Base: {type: object, required: [id], properties: {id: {type: integer}}}
                Cat: {allOf: [{$ref: '#/components/schemas/Base'}, {type: object, properties: {meows: {type: boolean}}}]}
                Dog: {type: object, properties: {barks: {type: boolean}}}
                Pet: {oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]}
                Status: {type: string, enum: [active, "on hold"]}
                Note: {type: string, nullable: true}
                Tags: {type: array, items: {type: string}}
                Bag: {type: object, additionalProperties: {type: integer}}
                Range: {type: integer, minimum: 1, exclusiveMinimum: true}
                Tree: {type: object, properties: {children: {type: array, items: {$ref: '#/components/schemas/Tree'}}}}
            """, to: specFile)
        _ = try scaffold(specFile, into: output)
        let types = try String(contentsOfFile: output + "/src/generated/types.ts", encoding: .utf8)
        #expect(types.contains("export type Cat = Base & {\n  meows?: boolean;\n};"))
        #expect(types.contains("export type Pet = (Cat | Dog);"))
        #expect(types.contains(#"export type Status = "active" | "on hold";"#))
        #expect(types.contains("export type Note = string | null;"))
        #expect(types.contains("export type Tags = Array<string>;"))
        #expect(types.contains("export type Bag = Record<string, number>;"))
        #expect(types.contains("children?: Array<Tree>;"))
        let schemas = try String(contentsOfFile: output + "/src/generated/schemas.ts", encoding: .utf8)
        #expect(schemas.contains("Range: { type: \"integer\", exclusiveMinimum: 1 }"))

        let spec31 = fixtures + "/schema-types-3.1.yaml"
        _ = try scaffold(spec31, into: output, force: true)
    }

    @Test func manifestHashesAreFNV1a64() {
        #expect(FNV1a.hex([]) == "cbf29ce484222325")
        #expect(FNV1a.hex(Array("a".utf8)) == "af63dc4c8601ec8c")
    }
}
