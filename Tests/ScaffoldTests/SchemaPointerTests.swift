import BackendCore
import Foundation
import Testing

@testable import Scaffold

/// `$ref`s that point inside a schema (a JSON pointer through `properties`, `oneOf/0`, escaped keys), in
/// the root document and in other files, resolve like any other; a pointer to nothing names where it stops.
@Suite struct SchemaPointerTests {
    static let channel = """
        channel:
          type: object
          properties:
            from:
              oneOf:
                - {type: string, format: email}
                - {$ref: '#/components/schemas/channel/properties/id'}
            id: {type: integer, minimum: 1}
            a/b: {type: string, minLength: 2}
            x~y: {type: boolean}
            with space: {type: integer, maximum: 3}
            alias: {$ref: '#/components/schemas/channel/properties/from'}
        """

    /// A spec whose `sendMessage` body is `{$ref: reference}`, with `channel` among its component schemas.
    static func internalSpec(_ reference: String) -> String {
        """
        openapi: 3.0.3
        info: {title: Pointers, version: "1"}
        paths:
          /channels:
            post:
              operationId: addChannel
              requestBody:
                content:
                  application/json:
                    schema: {type: object, properties: {name: {type: string, maxLength: 8}}}
              responses: {'204': {description: ok}}
          /messages:
            post:
              operationId: sendMessage
              requestBody:
                content:
                  application/json:
                    schema: {$ref: '\(reference)'}
              responses: {'204': {description: ok}}
        components:
          schemas:
        \(channel.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        """
    }

    static func bodySchema(_ spec: String, files: [String: String] = [:]) throws -> JSONValue? {
        let folder = temporaryFolder("pointers")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write(spec, to: folder + "/openapi.yaml")
        for (path, text) in files { try write(text, to: folder + "/" + path) }
        let model = try APIModel(document: SpecDocument.load(path: folder + "/openapi.yaml"))
        return model.operations.first { $0.identifier == "sendMessage" }?.body?.schema
    }

    @Test(arguments: [
        ("#/components/schemas/channel/properties/from/oneOf/0", #"{"type":"string","format":"email"}"#),
        ("#/components/schemas/channel/properties/from/oneOf/1", #"{"type":"integer","minimum":1}"#),
        (
            "#/components/schemas/channel/properties/from",
            #"{"oneOf":[{"type":"string","format":"email"},{"type":"integer","minimum":1}]}"#
        ),
        ("#/components/schemas/channel/properties/a~1b", #"{"type":"string","minLength":2}"#),
        ("#/components/schemas/channel/properties/x~0y", #"{"type":"boolean"}"#),
        ("#/components/schemas/channel/properties/with%20space", #"{"type":"integer","maximum":3}"#),
        (
            "#/components/schemas/channel/properties/alias",
            #"{"oneOf":[{"type":"string","format":"email"},{"type":"integer","minimum":1}]}"#
        ),
        (
            "#/paths/~1channels/post/requestBody/content/application~1json/schema/properties/name",
            #"{"type":"string","maxLength":8}"#
        ),
    ])
    func aPointerInsideASchemaIsInlined(reference: String, expected: String) throws {
        let schema = try Self.bodySchema(Self.internalSpec(reference))
        #expect(schema == (try JSONParser.parse(Array(expected.utf8))))
    }

    @Test(arguments: [
        (
            "#/components/schemas/channel/properties/nope",
            "'nope' does not exist under '#/components/schemas/channel/properties'"
        ),
        (
            "#/components/schemas/channel/properties/from/oneOf/2",
            "'2' does not exist under '#/components/schemas/channel/properties/from/oneOf'"
        ),
        ("#/components/schemas/nope/properties/id", "'nope' does not exist under '#/components/schemas'"),
        ("#/components/schemas/nope", "no such component schema"),
        ("#/nowhere", "'nowhere' does not exist at the top of the document"),
    ])
    func aPointerToNothingSaysWhereItStops(reference: String, expected: String) {
        expectFailure(BackendError.Code.invalidInput, containing: "$ref '\(reference)' at #/paths/~1messages") {
            _ = try Self.bodySchema(Self.internalSpec(reference))
        }
        expectFailure(BackendError.Code.invalidInput, containing: expected) {
            _ = try Self.bodySchema(Self.internalSpec(reference))
        }
    }

    /// The same schema in a file of its own, where `#/...` means that file.
    static let externalFile = channel.replacingOccurrences(of: "#/components/schemas/", with: "#/")

    static func externalSpec(_ reference: String) -> String {
        """
        openapi: 3.0.3
        info: {title: Pointers, version: "1"}
        paths:
          /messages:
            post:
              operationId: sendMessage
              requestBody:
                content:
                  application/json:
                    schema: {$ref: '\(reference)'}
              responses: {'204': {description: ok}}
        """
    }

    /// Each pointer into another file becomes a component schema named from the pointer.
    @Test(arguments: [
        (
            "schemas/channel.yaml#/channel/properties/from/oneOf/0", "from_oneOf_0",
            #"{"type":"string","format":"email"}"#
        ),
        (
            "schemas/channel.yaml#/channel/properties/from/oneOf/1", "from_oneOf_1",
            ##"{"$ref":"#/components/schemas/id"}"##
        ),
        ("schemas/channel.yaml#/channel/properties/a~1b", "a/b", #"{"type":"string","minLength":2}"#),
        ("schemas/channel.yaml#/channel/properties/x~0y", "x~y", #"{"type":"boolean"}"#),
        ("schemas/channel.yaml#/channel/properties/with%20space", "with space", #"{"type":"integer","maximum":3}"#),
    ])
    func aPointerInsideASchemaOfAnotherFileBecomesAComponent(reference: String, name: String, expected: String) throws {
        let folder = temporaryFolder("pointers")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write(Self.externalSpec(reference), to: folder + "/openapi.yaml")
        try write(Self.externalFile, to: folder + "/schemas/channel.yaml")
        let document = try SpecDocument.load(path: folder + "/openapi.yaml")
        let schemas = try #require(document.root["components"]?["schemas"])
        #expect(schemas[name] == (try JSONParser.parse(Array(expected.utf8))))
        let body = document.root["paths"]?["/messages"]?["post"]?["requestBody"]?["content"]?["application/json"]
        #expect(body?["schema"] == SpecBundler.componentReference(name))
        // The model reads it back through the component's identifier.
        let model = try APIModel(document: document)
        let identifier = try #require(model.operations.first?.body?.schema["$ref"]?.stringValue)
        #expect(model.schemas.contains { $0.identifier == identifier })
    }

    @Test func aPointerToNothingInAnotherFileNamesTheFileRefAndWhereItStops() throws {
        let folder = temporaryFolder("pointers")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write(Self.externalSpec("schemas/channel.yaml#/channel/properties/nope"), to: folder + "/openapi.yaml")
        try write(Self.externalFile, to: folder + "/schemas/channel.yaml")
        expectFailure(
            BackendError.Code.invalidInput,
            containing: "$ref 'schemas/channel.yaml#/channel/properties/nope' at #/paths/~1messages/post/requestBody/"
                + "content/application~1json/schema: 'nope' does not exist under '#/channel/properties'"
        ) { _ = try SpecDocument.load(path: folder + "/openapi.yaml") }
    }
}
