import BackendCore
import Foundation
import Testing

@testable import Scaffold

/// Reading specs: external `$ref`s across files (bundled into components or inlined), and errors that name
/// the `$ref` and where it stands.
@Suite struct SpecReadingTests {
    static let multiFile = fixtures + "/multi-file/openapi.yaml"

    @Test func externalReferencesAreBundledIntoOneDocument() throws {
        let document = try SpecDocument.load(path: Self.multiFile)
        let schemas = try #require(document.root["components"]?["schemas"]?.objectValue)
        // The root's own Error keeps its name; the other file's Error gets the next free one.
        #expect(schemas.keys.sorted() == ["Error", "Error2", "Kind", "LimitValue", "Tree", "animal", "keeper"])
        #expect(schemas["Error2"]?["required"] == .array([.string("code")]))
        // Recursion across and within files ends in component references.
        #expect(schemas["keeper"]?["properties"]?["mentor"]?["$ref"] == .string("#/components/schemas/keeper"))
        #expect(schemas["Tree"]?["properties"]?["children"]?["items"]?["$ref"] == .string("#/components/schemas/Tree"))
        #expect(schemas["animal"]?["properties"]?["kind"]?["$ref"] == .string("#/components/schemas/Kind"))
        // A path item and a parameter from other files are inlined.
        let list = try #require(document.root["paths"]?["/animals"]?["get"])
        #expect(list["operationId"] == .string("listAnimals"))
        #expect(list["parameters"]?.arrayValue?.first?["name"] == .string("limit"))
        #expect(!SpecBundler.hasExternalReference(document.root))
    }

    @Test func aMultiFileSpecScaffoldsWithEveryOperation() throws {
        let output = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try scaffold(Self.multiFile, into: output)
        #expect(
            result.operations.map(\.operationId).sorted() == ["addAnimal", "getAnimal", "listAnimals", "plantTree"])
        let types = try String(contentsOfFile: output + "/src/generated/types.ts", encoding: .utf8)
        #expect(types.contains("export type Tree = "))
        #expect(types.contains("export type Keeper = "))
    }

    /// DigitalOcean's record types: `anyOf` and a discriminator mapping both name schemas of another file.
    @Test func aDiscriminatorMappingIntoAnotherFileNamesTheBundledComponents() throws {
        let folder = temporaryFolder("refs")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write(
            """
            openapi: 3.0.3
            info: {title: Records, version: "1"}
            paths:
              /records:
                post:
                  operationId: addRecord
                  requestBody:
                    content:
                      application/json:
                        schema:
                          anyOf:
                            - $ref: 'models/types.yml#/record_a'
                            - $ref: 'models/types.yml#/record_mx'
                          discriminator:
                            propertyName: type
                            mapping:
                              A: 'models/types.yml#/record_a'
                              MX: 'models/types.yml#/record_mx'
                  responses: {'204': {description: ok}}
            """, to: folder + "/openapi.yaml")
        try write(
            """
            record_a: {type: object, required: [type, data], properties: {type: {type: string}, data: {type: string}}}
            record_mx: {type: object, required: [type, priority], properties: {type: {type: string}, priority: {type: integer}}}
            """, to: folder + "/models/types.yml")
        let model = try APIModel(document: SpecDocument.load(path: folder + "/openapi.yaml"))
        #expect(model.warnings == [])
        let discriminator = try #require(model.operations.first?.body?.schema["discriminator"])
        #expect(discriminator["mapping"] == .object(JSONObject(["A": .string("RecordA"), "MX": .string("RecordMx")])))
    }

    @Test(arguments: [
        ("missing pointer", "$ref: 'schemas/errors.yaml#/Nope'", "'Nope' does not exist"),
        ("not a spec file", "$ref: /etc/passwd", "referenced files must be .yaml, .yml or .json"),
        ("unknown scheme", "$ref: 'ftp://example.com/a.yaml'", "only files and http(s) URLs are read"),
    ])
    func badExternalReferencesAreNamed(name: String, reference: String, expected: String) throws {
        let folder = temporaryFolder("refs")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write(
            """
            openapi: 3.0.3
            info: {title: Bad refs, version: "1"}
            paths:
              /x:
                get:
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {\(reference)}
            """, to: folder + "/openapi.yaml")
        try write("Error: {type: object}\n", to: folder + "/schemas/errors.yaml")
        expectFailure(BackendError.Code.invalidInput, containing: expected) {
            _ = try SpecDocument.load(path: folder + "/openapi.yaml")
        }
    }

    @Test func aMissingExternalFileIsNotFound() throws {
        let folder = temporaryFolder("refs")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write(
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /x: {$ref: 'paths/x.yaml'}\n",
            to: folder + "/openapi.yaml")
        expectFailure(BackendError.Code.notFound, containing: "$ref 'paths/x.yaml' at #/paths/~1x") {
            _ = try SpecDocument.load(path: folder + "/openapi.yaml")
        }
    }

    @Test func aCycleOfPathItemReferencesEnds() throws {
        let folder = temporaryFolder("refs")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write(
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /x: {$ref: 'a.yaml'}\n",
            to: folder + "/openapi.yaml")
        try write("$ref: b.yaml\n", to: folder + "/a.yaml")
        try write("$ref: a.yaml\n", to: folder + "/b.yaml")
        expectFailure(BackendError.Code.invalidInput, containing: "a cycle outside schemas") {
            _ = try SpecDocument.load(path: folder + "/openapi.yaml")
        }
    }

    @Test(arguments: [
        ("ftp://example.com/openapi.yaml", "only local paths and http(s) URLs are read"),
        ("http://", "is not a valid URL"),
    ])
    func badSpecLocationsAreRefused(spec: String, expected: String) {
        expectFailure(BackendError.Code.invalidInput, containing: expected) {
            _ = try SpecDocument.load(path: spec)
        }
    }

    @Test func aFolderIsReadThroughItsRootDocument() throws {
        let document = try SpecDocument.load(path: fixtures + "/multi-file")
        #expect(document.root["info"]?["title"] == .string("Multi-file zoo"))
        expectFailure(BackendError.Code.invalidInput, containing: "holds no openapi.yaml, openapi.yml, openapi.json") {
            _ = try SpecDocument.load(path: fixtures)
        }
    }
}
