import BackendCore
import Foundation
import Testing

@testable import Scaffold

/// Which request body media type the runtime validates, and how form fields become the schema's types.
@Suite struct FormBodyTests {
    /// A one-operation spec whose request body `content` is the given YAML flow text.
    static func model(content: String, multipart: Bool = false) throws -> APIModel {
        let folder = temporaryFolder("forms")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write(
            """
            openapi: 3.0.3
            info: {title: Forms, version: "1"}
            paths:
              /things:
                post:
                  operationId: addThing
                  requestBody: {content: \(content)}
                  responses: {'204': {description: ok}}
            """, to: folder + "/openapi.yaml")
        return try APIModel(document: SpecDocument.load(path: folder + "/openapi.yaml"), multipart: multipart)
    }

    static let object = "{schema: {type: object, properties: {n: {type: integer}}}}"

    /// content, the media type chosen (nil: none), whether the "unvalidated" warning is given.
    @Test(arguments: [
        ("{application/json: \(object)}", "application/json", false),
        ("{application/x-www-form-urlencoded: \(object)}", "application/x-www-form-urlencoded", false),
        ("{application/x-www-form-urlencoded: \(object), application/json: \(object)}", "application/json", false),
        (
            "{application/vnd.api+json: \(object), application/x-www-form-urlencoded: \(object)}",
            "application/vnd.api+json", false
        ),
        ("{multipart/form-data: \(object)}", nil, true),
        ("{application/xml: \(object)}", nil, true),
        (
            "{application/x-www-form-urlencoded; charset=utf-8: \(object)}",
            "application/x-www-form-urlencoded; charset=utf-8", false
        ),
    ])
    func theBodyIsJSONElseAUrlencodedForm(content: String, mediaType: String?, warned: Bool) throws {
        let model = try Self.model(content: content)
        #expect(model.operations.first?.body?.mediaType == mediaType, "\(content)")
        #expect(model.warnings.contains { $0.contains("unvalidated") } == warned, "\(model.warnings)")
    }

    /// content, the media type chosen when the runtime parses multipart (Express).
    @Test(arguments: [
        ("{multipart/form-data: \(object)}", "multipart/form-data"),
        (
            "{multipart/form-data: \(object), application/x-www-form-urlencoded: \(object)}",
            "application/x-www-form-urlencoded"
        ),
        ("{multipart/form-data: \(object), application/json: \(object)}", "application/json"),
        ("{multipart/mixed: \(object)}", nil),
    ])
    func multipartIsChosenLastWhenTheRuntimeParsesIt(content: String, mediaType: String?) throws {
        let model = try Self.model(content: content, multipart: true)
        #expect(model.operations.first?.body?.mediaType == mediaType, "\(content)")
    }

    /// Multipart file parts are typed as the runtime's UploadedFile; other properties keep their types.
    @Test func multipartFilePartsAreTypedAsUploadedFiles() throws {
        let schema = try JSONParser.parse(
            #"{"type":"object","properties":{"doc":{"type":"string","format":"binary"},"#
                + #""docs":{"type":"array","items":{"type":"string","format":"binary"}},"n":{"type":"integer"}}}"#)
        let type = TypeScript.type(TypeScript.withUploadedFiles(schema), prefix: "Types.")
        #expect(type.contains("doc?: UploadedFile;"), "\(type)")
        #expect(type.contains("docs?: Array<UploadedFile>;"), "\(type)")
        #expect(type.contains("n?: number;"), "\(type)")
    }

    @Test func theEncodingKeepsStyleExplodeAndContentType() throws {
        let model = try Self.model(
            content: """
                {application/x-www-form-urlencoded: {schema: {type: object}, encoding: {
                  ids: {style: pipeDelimited, explode: false}, meta: {contentType: application/json},
                  plain: {headers: {X-Rate: {schema: {type: integer}}}}}}}
                """)
        let encoding = try #require(model.operations.first?.body?.encoding)
        #expect(encoding["ids"] == .object(JSONObject(["style": .string("pipeDelimited"), "explode": .bool(false)])))
        #expect(encoding["meta"] == .object(JSONObject(["contentType": .string("application/json")])))
        // Only the serialisation keys are kept; an entry with none of them is left out.
        #expect(encoding["plain"] == nil)
    }

    struct FormCase: CustomStringConvertible {
        var text: String
        var schema: String
        var encoding: String = "{}"
        var expected: String
        var description: String { text }
    }

    static let fields =
        #"{"type":"object","properties":{"n":{"type":"integer"},"ok":{"type":"boolean"},"#
        + #""tags":{"type":"array","items":{"type":"integer"}},"name":{"type":"string"},"#
        + #""color":{"type":"object","properties":{"R":{"type":"integer"}}}}}"#
    static let formCases: [FormCase] = [
        .init(text: "n=5&ok=true&name=a+b%21", schema: fields, expected: #"{"n":5,"ok":true,"name":"a b!"}"#),
        .init(text: "tags=1&tags=2", schema: fields, expected: #"{"tags":[1,2]}"#),
        .init(text: "tags=3", schema: fields, expected: #"{"tags":[3]}"#),
        .init(
            text: "tags=1%7C2", schema: fields, encoding: #"{"tags":{"style":"pipeDelimited","explode":false}}"#,
            expected: #"{"tags":[1,2]}"#),
        .init(text: "tags=1,2", schema: fields, encoding: #"{"tags":{"explode":false}}"#, expected: #"{"tags":[1,2]}"#),
        .init(
            text: "color%5BR%5D=7", schema: fields, encoding: #"{"color":{"style":"deepObject"}}"#,
            expected: #"{"color":{"R":7}}"#),
        .init(text: "R=9", schema: fields, expected: #"{"color":{"R":9}}"#),
        .init(
            text: "name=%7B%22a%22%3A1%7D", schema: fields, encoding: #"{"name":{"contentType":"application/json"}}"#,
            expected: #"{"name":{"a":1}}"#),
        // Unknown fields stay text for additionalProperties; a non-number stays text for the validator.
        .init(text: "n=x&extra=1&n2", schema: fields, expected: #"{"n":"x","extra":"1","n2":""}"#),
        .init(text: "n=1&n=2", schema: fields, expected: #"{"n":["1","2"]}"#),
        .init(text: "bad=%E0%A4%A&__proto__=1", schema: fields, expected: #"{"bad":"%E0%A4%A","__proto__":"1"}"#),
    ]

    @Test func formFieldsAreCoercedByTheSchemaAndEncoding() throws {
        var cases: [JSONValue] = []
        for item in Self.formCases {
            cases.append(
                .object(
                    JSONObject([
                        "text": .string(item.text),
                        "body": .object(
                            JSONObject([
                                "required": .bool(true), "mediaType": .string("application/x-www-form-urlencoded"),
                                "schema": try JSONParser.parse(Array(item.schema.utf8)),
                                "encoding": try JSONParser.parse(Array(item.encoding.utf8)),
                            ])),
                    ])))
        }
        let results = try RuntimeBehaviourTests.evaluate(
            .array(cases),
            script: """
                const forms = require("./dist/generated/forms.js");
                const results = cases.map(({ text, body }) => forms.formBody(body, forms.parseUrlEncoded(text)));
                console.log(JSON.stringify(results));
                """)
        let values = results.arrayValue ?? []
        #expect(values.count == Self.formCases.count)
        for (item, value) in zip(Self.formCases, values) {
            #expect(value == (try JSONParser.parse(Array(item.expected.utf8))), "\(item)")
        }
    }
}
