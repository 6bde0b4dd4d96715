import BackendCore
import Foundation
import Testing

@testable import Scaffold

/// Integers beyond 2^53 (and beyond Swift's `Int`) keep the numeral as written, from the spec to the
/// generated TypeScript, where they are number literals (see the README's rule for comparing them).
@Suite struct BigIntegerTests {
    /// The value of `x-value` in a spec where it is written `yaml` (or `json` in a `.json` spec).
    static func read(_ text: String, json: Bool = false) throws -> JSONValue? {
        let folder = temporaryFolder("integers")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + (json ? "/openapi.json" : "/openapi.yaml")
        let spec =
            json
            ? #"{"openapi": "3.1.0", "info": {"title": "I", "version": "1"}, "paths": {}, "x-value": \#(text)}"#
            : "openapi: 3.1.0\ninfo: {title: I, version: '1'}\npaths: {}\nx-value: \(text)\n"
        try write(spec, to: path)
        return try SpecDocument.load(path: path).root["x-value"]
    }

    @Test(arguments: [
        ("18446744073709551615", JSONValue.number("18446744073709551615")),
        ("-9223372036854775809", .number("-9223372036854775809")),
        ("+18446744073709551615", .number("18446744073709551615")),
        ("!!int 18446744073709551615", .number("18446744073709551615")),
        ("123456789012345678901234567890", .number("123456789012345678901234567890")),
        ("9223372036854775807", .number("9223372036854775807")),
        ("-9223372036854775808", .number("-9223372036854775808")),
        ("9007199254740993", .number("9007199254740993")),
        ("0x7fffffffffffffff", .number("9223372036854775807")),
        ("'18446744073709551615'", .string("18446744073709551615")),
        ("[0, 18446744073709551615]", .array([.number("0"), .number("18446744073709551615")])),
    ])
    func yamlIntegersKeepTheirDigits(yaml: String, expected: JSONValue) throws {
        #expect(try Self.read(yaml) == expected)
    }

    @Test(arguments: ["18446744073709551615", "-9223372036854775809", "1.8446744073709552e19"])
    func jsonNumbersKeepTheirSpelling(json: String) throws {
        #expect(try Self.read(json, json: true) == .number(json))
    }

    /// The bounds, enums and consts of big-integers.yaml are number literals in the generated tables and
    /// types (golden files), and the project compiles with strict tsc.
    @Test func boundsBeyond2To53AreNumberLiteralsThatCompile() throws {
        let output = temporaryFolder("integers")
        defer { try? FileManager.default.removeItem(atPath: output) }
        _ = try scaffold(fixtures + "/big-integers.yaml", into: output)
        let generated = tree(output).filter { ["src/generated/schemas.ts", "src/generated/types.ts"].contains($0.key) }
        try expectGolden(generated, folder: "big-integers")
        let schemas = String(decoding: generated["src/generated/schemas.ts"] ?? [], as: UTF8.self)
        #expect(schemas.contains("maximum: 18446744073709551615"))
        #expect(!schemas.contains(#""18446744073709551615""#), "a bound written as a string")
        let compiled = try run("/usr/bin/tsc", ["-p", "."], in: output)
        #expect(compiled.status == 0, "tsc: \(compiled.output)")
    }
}
