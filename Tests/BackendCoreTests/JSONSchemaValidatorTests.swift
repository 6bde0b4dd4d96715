import Testing

@testable import BackendCore

@Suite struct JSONSchemaValidatorTests {
    static let schema = try! JSONParser.parse(
        #"""
        {"type":"object","additionalProperties":false,"required":["name"],
         "properties":{
           "name":{"type":"string","minLength":1,"maxLength":5,"pattern":"^[a-z]+$"},
           "size":{"type":"integer","minimum":1,"maximum":10},
           "ratio":{"type":"number","exclusiveMinimum":0},
           "mode":{"type":"string","enum":["a","b"]},
           "fixed":{"const":true},
           "tags":{"type":"array","minItems":1,"maxItems":2,"uniqueItems":true,"items":{"type":"string"}},
           "either":{"type":["string","null"]}
         }}
        """#)

    @Test(arguments: [
        (#"{"name":"abc"}"#, [String]()),
        (#"{"name":"abc","size":10,"ratio":0.5,"mode":"a","fixed":true,"tags":["x"],"either":null}"#, []),
        (#"{"name":"abc","size":3.0}"#, []),
        (#"{}"#, ["arguments.name: required"]),
        (#"[]"#, ["arguments: type"]),
        (#"{"name":""}"#, ["arguments.name: minLength", "arguments.name: pattern"]),
        (#"{"name":"abcdef"}"#, ["arguments.name: maxLength"]),
        // Lengths count code points, not bytes: five two-byte letters are five, six are too many.
        (#"{"name":"ééééé"}"#, ["arguments.name: pattern"]),
        (#"{"name":"éééééé"}"#, ["arguments.name: maxLength", "arguments.name: pattern"]),
        (#"{"name":"ABC"}"#, ["arguments.name: pattern"]),
        (#"{"name":7}"#, ["arguments.name: type"]),
        (#"{"name":"a","size":0}"#, ["arguments.size: minimum"]),
        (#"{"name":"a","size":11}"#, ["arguments.size: maximum"]),
        (#"{"name":"a","size":1.5}"#, ["arguments.size: type"]),
        (#"{"name":"a","ratio":0}"#, ["arguments.ratio: exclusiveMinimum"]),
        (#"{"name":"a","mode":"c"}"#, ["arguments.mode: enum"]),
        (#"{"name":"a","fixed":false}"#, ["arguments.fixed: const"]),
        (#"{"name":"a","tags":[]}"#, ["arguments.tags: minItems"]),
        (#"{"name":"a","tags":["x","y","z"]}"#, ["arguments.tags: maxItems"]),
        (#"{"name":"a","tags":["x","x"]}"#, ["arguments.tags: uniqueItems"]),
        (#"{"name":"a","tags":[1]}"#, ["arguments.tags[0]: type"]),
        (#"{"name":"a","either":3}"#, ["arguments.either: type"]),
        (#"{"name":"a","extra":1}"#, ["arguments.extra: additionalProperties"]),
    ])
    func reportsEachViolationWithPathAndRule(document: String, expected: [String]) throws {
        let violations = JSONSchemaValidator(schema: Self.schema).validate(try JSONParser.parse(document))
        #expect(violations.map { "\($0.path): \($0.rule)" } == expected)
    }

    @Test func messagesSayWhatIsExpected() throws {
        let violations = JSONSchemaValidator(schema: Self.schema).validate(
            try JSONParser.parse(#"{"name":"a","size":0}"#))
        #expect(violations.first?.expected == "must be >= 1, got 0")
    }
}
