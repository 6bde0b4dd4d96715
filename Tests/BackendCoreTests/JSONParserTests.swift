import Testing

@testable import BackendCore

@Suite struct JSONParserTests {
    @Test(arguments: [
        #"null"#, #"true"#, #"false"#, #"0"#, #"-1.5e+3"#, #""""#, #"[]"#, #"{}"#,
        #"{"a":[1,2,{"b":null}],"c":"d"}"#, #""é漢字🙂""#, #"9007199254740993"#, #"[0.1,1E10,-0]"#,
    ])
    func roundTripsCompactDocuments(document: String) throws {
        let value = try JSONParser.parse(document)
        #expect(JSONWriter.string(value) == document)
    }

    @Test(arguments: [
        (#" { "a" : 1 } "#, #"{"a":1}"#),
        (#""\u00e9\n\t\"\\\/""#, "\"é\\n\\t\\\"\\\\/\""),
        (#""\ud83d\ude00""#, "\"😀\""),
        (#"{"a":1,"a":2}"#, #"{"a":2}"#),
        ("\"\\u0001\"", "\"\\u0001\""),
        // Escapes at the start, between runs and at the end of a string.
        (#""\"ab\\cd\u001f\r""#, #""\"ab\\cd\u001f\r""#),
    ])
    func normalisesEscapesWhitespaceAndDuplicateKeys(input: String, expected: String) throws {
        #expect(JSONWriter.string(try JSONParser.parse(input)) == expected)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":}", "{a:1}", "01", "1.", "-", "tru", "\"abc", "\"\\x\"", "\"\\ud800\"",
        "\"\\udc00x\"", "[1] 2", "\"tab\there\"", "{\"a\" 1}", "nul", "1e", "[\"\\u12\"]",
    ])
    func rejectsMalformedInput(document: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(document) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func boundsNestingInsteadOfExhaustingTheStack() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(deep) }
        #expect(error?.reason.contains("nesting") == true)
        let allowed = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        _ = try JSONParser.parse(allowed)
    }

    @Test func keepsMemberOrderAndExactNumbers() throws {
        let value = try JSONParser.parse(#"{"z":1,"a":12345678901234567890,"m":1.50}"#)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
        #expect(value["a"] == .number("12345678901234567890"))
        #expect(value["m"]?.doubleValue == 1.5)
        #expect(value["z"]?.typeName == "integer")
        #expect(value["m"]?.typeName == "number")
    }

    @Test func objectsCompareRegardlessOfMemberOrder() throws {
        #expect(try JSONParser.parse(#"{"a":1,"b":[true]}"#) == JSONParser.parse(#"{"b":[true],"a":1}"#))
        #expect(try JSONParser.parse(#"{"a":1}"#) != JSONParser.parse(#"{"a":2}"#))
    }

    @Test func bridgesCodableTypesDeterministically() throws {
        struct Sample: Codable, Equatable {
            var name: String
            var count: Int
            var ratio: Double?
        }
        let value = try JSONValue(encoding: Sample(name: "x", count: 3, ratio: nil))
        #expect(JSONWriter.string(value) == #"{"count":3,"name":"x"}"#)
        #expect(try value.decode(as: Sample.self) == Sample(name: "x", count: 3, ratio: nil))
    }
}
