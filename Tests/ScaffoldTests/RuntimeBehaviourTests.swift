import BackendCore
import Foundation
import Testing

@testable import Scaffold

/// Runs a program; a missing tool fails the test rather than skipping it.
func run(_ tool: String, _ arguments: [String], in folder: String) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

/// The generated runtime (validation.ts), compiled with Debian's tsc and run with node on tables of cases.
@Suite(.serialized) struct RuntimeBehaviourTests {
    static let spec = """
        openapi: 3.0.3
        info: {title: Runtime, version: "1"}
        paths: {}
        components:
          schemas:
            Cat: {type: object, required: [kind, meows], properties: {kind: {type: string}, meows: {type: boolean}}}
            Dog: {type: object, required: [kind, barks], properties: {kind: {type: string}, barks: {type: integer}}}
        """

    /// Scaffolds the runtime, compiles it and runs `script` (which reads `cases.json`); returns its output.
    static func evaluate(_ cases: JSONValue, script: String) throws -> JSONValue {
        let output = temporaryFolder("runtime")
        defer { try? FileManager.default.removeItem(atPath: output) }
        try write(spec, to: output + "-spec.yaml")
        defer { try? FileManager.default.removeItem(atPath: output + "-spec.yaml") }
        _ = try scaffold(output + "-spec.yaml", into: output)
        let compiled = try run("/usr/bin/tsc", ["-p", "."], in: output)
        #expect(compiled.status == 0, "tsc: \(compiled.output)")
        try write(JSONWriter.string(cases), to: output + "/cases.json")
        try write(
            """
            const runtime = require("./dist/generated/validation.js");
            const cases = JSON.parse(require("fs").readFileSync("cases.json", "utf8"));
            \(script)
            """, to: output + "/check.js")
        let ran = try run("/usr/bin/node", ["check.js"], in: output)
        #expect(ran.status == 0, "node: \(ran.output)")
        return try JSONParser.parse(Array(ran.output.utf8))
    }

    struct StyleCase: CustomStringConvertible {
        var location: String
        var style: String
        var explode: Bool
        var schema: String
        /// The raw value (JSON); for query parameters, the whole parsed query string.
        var raw: String
        var expected: String
        var description: String { "\(location) \(style) explode=\(explode) \(raw)" }
    }

    static let strings = #"{"type":"array","items":{"type":"string"}}"#
    static let integers = #"{"type":"array","items":{"type":"integer"}}"#
    static let color = #"{"type":"object","properties":{"R":{"type":"integer"},"G":{"type":"integer"}}}"#
    static let styleCases: [StyleCase] = [
        .init(
            location: "query", style: "form", explode: true, schema: integers, raw: #"{"p":["1","2"]}"#,
            expected: "[1,2]"),
        .init(location: "query", style: "form", explode: true, schema: integers, raw: #"{"p":"1"}"#, expected: "[1]"),
        .init(
            location: "query", style: "form", explode: false, schema: strings, raw: #"{"p":"a,b"}"#,
            expected: #"["a","b"]"#),
        .init(
            location: "query", style: "spaceDelimited", explode: false, schema: strings, raw: #"{"p":"a b"}"#,
            expected: #"["a","b"]"#),
        .init(
            location: "query", style: "spaceDelimited", explode: true, schema: integers, raw: #"{"p":["3","4"]}"#,
            expected: "[3,4]"),
        .init(
            location: "query", style: "pipeDelimited", explode: false, schema: strings, raw: #"{"p":"a|b"}"#,
            expected: #"["a","b"]"#),
        .init(
            location: "query", style: "pipeDelimited", explode: true, schema: strings, raw: #"{"p":["a","b"]}"#,
            expected: #"["a","b"]"#),
        .init(
            location: "query", style: "form", explode: false, schema: color, raw: #"{"p":"R,100,G,200"}"#,
            expected: #"{"R":100,"G":200}"#),
        .init(
            location: "query", style: "form", explode: true, schema: color, raw: #"{"R":"100","G":"200","x":"1"}"#,
            expected: #"{"R":100,"G":200}"#),
        .init(
            location: "query", style: "deepObject", explode: true, schema: color, raw: #"{"p[R]":"100","p[G]":"200"}"#,
            expected: #"{"R":100,"G":200}"#),
        .init(
            location: "query", style: "deepObject", explode: true, schema: color, raw: #"{"p":{"R":"7"}}"#,
            expected: #"{"R":7}"#),
        .init(
            location: "query", style: "form", explode: true, schema: #"{"type":"boolean"}"#, raw: #"{"p":"true"}"#,
            expected: "true"),
        .init(
            location: "path", style: "simple", explode: false, schema: strings, raw: #""a,b""#, expected: #"["a","b"]"#),
        .init(
            location: "path", style: "simple", explode: false, schema: color, raw: #""R,100,G,200""#,
            expected: #"{"R":100,"G":200}"#),
        .init(
            location: "path", style: "simple", explode: true, schema: color, raw: #""R=100,G=200""#,
            expected: #"{"R":100,"G":200}"#),
        .init(
            location: "path", style: "simple", explode: false, schema: #"{"type":"number"}"#, raw: #""1.5""#,
            expected: "1.5"),
        .init(
            location: "path", style: "label", explode: false, schema: strings, raw: #"".a,b""#, expected: #"["a","b"]"#),
        .init(
            location: "path", style: "label", explode: true, schema: strings, raw: #"".a.b""#, expected: #"["a","b"]"#),
        .init(
            location: "path", style: "label", explode: false, schema: #"{"type":"integer"}"#, raw: #"".5""#,
            expected: "5"),
        .init(
            location: "path", style: "label", explode: true, schema: color, raw: #"".R=100.G=200""#,
            expected: #"{"R":100,"G":200}"#),
        .init(
            location: "path", style: "matrix", explode: false, schema: #"{"type":"integer"}"#, raw: #"";p=5""#,
            expected: "5"),
        .init(
            location: "path", style: "matrix", explode: false, schema: strings, raw: #"";p=a,b""#,
            expected: #"["a","b"]"#),
        .init(
            location: "path", style: "matrix", explode: true, schema: strings, raw: #"";p=a;p=b""#,
            expected: #"["a","b"]"#),
        .init(
            location: "path", style: "matrix", explode: false, schema: color, raw: #"";p=R,100,G,200""#,
            expected: #"{"R":100,"G":200}"#),
        .init(
            location: "path", style: "matrix", explode: true, schema: color, raw: #"";R=100;G=200""#,
            expected: #"{"R":100,"G":200}"#),
        .init(location: "header", style: "simple", explode: false, schema: integers, raw: #""1,2""#, expected: "[1,2]"),
        .init(
            location: "header", style: "simple", explode: true, schema: color, raw: #""R=1,G=2""#,
            expected: #"{"R":1,"G":2}"#),
    ]

    @Test func everyStyleAndExplodeCombinationIsCoerced() throws {
        var cases: [JSONValue] = []
        for item in Self.styleCases {
            let parameter = JSONValue.object(
                JSONObject([
                    "name": .string("p"), "in": .string(item.location), "key": .string("p"), "required": .bool(true),
                    "style": .string(item.style), "explode": .bool(item.explode),
                    "schema": try JSONParser.parse(Array(item.schema.utf8)),
                ]))
            cases.append(
                .object(JSONObject(["parameter": parameter, "raw": try JSONParser.parse(Array(item.raw.utf8))])))
        }
        let results = try Self.evaluate(
            .array(cases),
            script: """
                const results = cases.map(({ parameter, raw }) => {
                  const given = parameter.in === "query" ? runtime.queryValue(raw, parameter) : raw;
                  return runtime.coerce(parameter, given);
                });
                console.log(JSON.stringify(results));
                """)
        let values = results.arrayValue ?? []
        #expect(values.count == Self.styleCases.count)
        for (item, value) in zip(Self.styleCases, values) {
            #expect(value == (try JSONParser.parse(Array(item.expected.utf8))), "\(item)")
        }
    }

    @Test func aDiscriminatorPicksTheMappedSchemaAndNamesItsFields() throws {
        let pet =
            #"{"oneOf":[{"$ref":"Cat"},{"$ref":"Dog"}],"discriminator":{"propertyName":"kind","mapping":{"cat":"Cat","dog":"Dog"}}}"#
        let implicit = #"{"oneOf":[{"$ref":"Cat"},{"$ref":"Dog"}],"discriminator":{"propertyName":"kind"}}"#
        let table: [(schema: String, value: String, errors: String)] = [
            (pet, #"{"kind":"cat","meows":true}"#, "[]"),
            (pet, #"{"kind":"dog","barks":3}"#, "[]"),
            (pet, #"{"kind":"dog","barks":"loud"}"#, #"[{"field":"body.barks","message":"must be integer"}]"#),
            (pet, #"{"kind":"cat"}"#, #"[{"field":"body.meows","message":"is required"}]"#),
            (pet, #"{"kind":"cow"}"#, #"[{"field":"body.kind","message":"must be one of \"cat\", \"dog\""}]"#),
            (pet, #"{"meows":true}"#, #"[{"field":"body.kind","message":"is required"}]"#),
            (implicit, #"{"kind":"Dog","barks":1}"#, "[]"),
            (
                implicit, #"{"kind":"dog","barks":1}"#,
                #"[{"field":"body.kind","message":"must be one of \"Cat\", \"Dog\""}]"#
            ),
            (pet, "7", #"[{"field":"body","message":"matches none of the allowed shapes"}]"#),
        ]
        var cases: [JSONValue] = []
        for row in table {
            cases.append(
                .object(
                    JSONObject([
                        "schema": try JSONParser.parse(Array(row.schema.utf8)),
                        "value": try JSONParser.parse(Array(row.value.utf8)),
                    ])))
        }
        let results = try Self.evaluate(
            .array(cases),
            script: """
                const results = cases.map(({ schema, value }) => {
                  const errors = [];
                  runtime.validate(schema, value, "body", errors);
                  return errors;
                });
                console.log(JSON.stringify(results));
                """)
        let values = results.arrayValue ?? []
        #expect(values.count == table.count)
        for (row, value) in zip(table, values) {
            #expect(value == (try JSONParser.parse(Array(row.errors.utf8))), "\(row.value)")
        }
    }
}
