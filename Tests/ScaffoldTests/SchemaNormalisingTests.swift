import BackendCore
import Foundation
import Testing

@testable import Scaffold

/// How schemas are normalised for the types and validators, and what lenient reading reports.
@Suite struct SchemaNormalisingTests {
    /// A one-operation spec whose request body is `body` (YAML flow or block text) with `components`.
    static func model(version: String = "3.1.0", body: String, components: String = "{}") throws -> APIModel {
        let folder = temporaryFolder("normalise")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write(
            """
            openapi: \(version)
            info: {title: Normalise, version: "1"}
            paths:
              /things:
                post:
                  operationId: addThing
                  requestBody:
                    content:
                      application/json:
                        schema: \(body)
                  responses: {'204': {description: ok}}
            components:
              schemas: \(components)
            """, to: folder + "/openapi.yaml")
        return try APIModel(document: SpecDocument.load(path: folder + "/openapi.yaml"))
    }

    /// The invalid-but-common shapes of the corpus: each read leniently, each reported once.
    @Test(arguments: [
        (
            "3.1.0", "{type: integer, minimum: 1, exclusiveMinimum: true}",
            "exclusiveMinimum: a boolean exclusiveMinimum is OpenAPI 3.0 syntax in a 3.1.0 document"
        ),
        (
            "3.0.3", "{type: object, required: [id, id], properties: {id: {type: string}}}",
            "#/paths/~1things/post/requestBody/required lists a property twice"
        ),
        (
            "3.0.3", "{type: string, format: time, default: '23:20:50.52'}",
            "default '23:20:50.52' is not a valid time (RFC 3339 full-time with an offset"
        ),
        ("3.0.3", "{type: string, format: uuid, example: not-a-uuid}", "example 'not-a-uuid' is not a valid uuid"),
        ("3.0.3", "{type: string, format: date, examples: ['2024-1-1']}", "examples/0 '2024-1-1' is not a valid date"),
    ])
    func lenientReadingIsReported(version: String, body: String, warning: String) throws {
        let model = try Self.model(version: version, body: body)
        #expect(model.warnings.filter { $0.contains(warning) }.count == 1, "\(model.warnings)")
    }

    @Test(arguments: [
        "{type: integer, minimum: 1, exclusiveMinimum: 0}",
        "{type: string, format: date-time, default: '1985-04-12T23:20:50.52Z'}",
        "{type: string, format: time, example: '23:20:50Z'}",
        "{type: object, required: [a], properties: {a: {type: string}}}",
    ])
    func validShapesAreNotReported(body: String) throws {
        #expect(try Self.model(version: "3.1.0", body: body).warnings == [])
    }

    @Test func aBooleanExclusiveBoundBecomesTheNumber() throws {
        let model = try Self.model(version: "3.0.3", body: "{type: integer, maximum: 9, exclusiveMaximum: true}")
        let schema = try #require(model.operations.first?.body?.schema)
        #expect(schema["exclusiveMaximum"] == .integer(9))
        #expect(schema["maximum"] == nil)
    }

    @Test func readOnlyPropertiesAreNeverRequiredInRequestsAndReadonlyInTypes() throws {
        let model = try Self.model(
            body: "{$ref: '#/components/schemas/Pet'}",
            components: """

                    Pet:
                      type: object
                      required: [id, name, password]
                      properties:
                        id: {type: integer, readOnly: true}
                        name: {type: string}
                        password: {type: string, writeOnly: true}
                """)
        let pet = try #require(model.schemas.first { $0.identifier == "Pet" }?.schema)
        #expect(pet["required"] == .array([.string("name"), .string("password")]))
        #expect(pet["properties"]?["id"]?["readOnly"] == .bool(true))
        let type = TypeScript.type(pet, prefix: "")
        #expect(type.contains("readonly id?: number;"))
        #expect(type.contains("  name: string;"))
        #expect(type.contains("  password: string;"))
    }

    static let pets = """

                Cat: {type: object, required: [kind], properties: {kind: {type: string}, purrs: {type: boolean}}}
                Dog: {type: object, required: [kind], properties: {kind: {type: string}, barks: {type: boolean}}}
        """

    @Test func aDiscriminatorGetsItsFullMappingAndATaggedUnion() throws {
        let model = try Self.model(
            body: """
                {oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}], \
                discriminator: {propertyName: kind, mapping: {kitty: '#/components/schemas/Cat'}}}
                """, components: Self.pets)
        let body = try #require(model.operations.first?.body?.schema)
        // The explicit entry plus the implicit one for the unmapped alternative (its component name).
        #expect(
            body["discriminator"]
                == .object(
                    JSONObject([
                        "propertyName": .string("kind"),
                        "mapping": .object(JSONObject(["kitty": .string("Cat"), "Dog": .string("Dog")])),
                    ])))
        #expect(
            TypeScript.type(body, prefix: "Types.")
                == #"((Types.Cat & { kind: "kitty" }) | (Types.Dog & { kind: "Dog" }))"#)
    }

    @Test func aMappingToAnUnknownSchemaIsReportedAndDropped() throws {
        let model = try Self.model(
            body: """
                {oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}], \
                discriminator: {propertyName: kind, mapping: {fox: '#/components/schemas/Fox'}}}
                """, components: Self.pets)
        #expect(
            model.warnings.contains { $0.hasSuffix("discriminator/mapping/fox names no component schema; ignored") })
        let mapping = try #require(model.operations.first?.body?.schema["discriminator"]?["mapping"]?.objectValue)
        #expect(mapping.keys == ["Cat", "Dog"])
    }
}
