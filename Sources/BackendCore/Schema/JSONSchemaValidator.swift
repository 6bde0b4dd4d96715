import Foundation

/// Validates a value against the flat JSON Schema subset our tool schemas use.
///
/// Keywords: type, properties, required, additionalProperties, enum, const, minimum, maximum,
/// exclusiveMinimum, exclusiveMaximum, minLength, maxLength, pattern, items, minItems, maxItems,
/// uniqueItems. Annotations (description, title, default, examples) are ignored.
public struct JSONSchemaValidator: Sendable {
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        /// Where the value sits, as a dotted path from the root (`arguments.team_size`, `headers[2]`).
        public let path: String
        /// The keyword that failed.
        public let rule: String
        /// What was expected, in words.
        public let expected: String
        public var description: String { "\(path): \(expected) (\(rule))" }
    }

    public let schema: JSONValue
    private let rootName: String

    public init(schema: JSONValue, rootName: String = "arguments") {
        self.schema = schema
        self.rootName = rootName
    }

    public func validate(_ value: JSONValue) -> [Violation] {
        var violations: [Violation] = []
        check(value, against: schema, path: rootName, into: &violations)
        return violations
    }

    private func check(_ value: JSONValue, against schema: JSONValue, path: String, into violations: inout [Violation])
    {
        guard let rules = schema.objectValue else { return }
        func fail(_ rule: String, _ expected: String) {
            violations.append(Violation(path: path, rule: rule, expected: expected))
        }

        if let type = rules["type"] {
            let allowed = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue].compactMap { $0 }
            if !allowed.contains(where: { Self.matches(value, type: $0) }) {
                fail("type", "must be \(allowed.joined(separator: " or ")), got \(value.typeName)")
                return
            }
        }
        if let options = rules["enum"]?.arrayValue, !options.contains(value) {
            let listed = options.map { JSONWriter.string($0) }.joined(separator: ", ")
            fail("enum", "must be one of \(listed), got \(Self.preview(value))")
        }
        if let constant = rules["const"], constant != value {
            fail("const", "must be \(JSONWriter.string(constant)), got \(Self.preview(value))")
        }

        switch value {
        case .number:
            checkNumber(value.doubleValue ?? .nan, rules: rules, fail: fail)
        case .string(let text):
            let minimum = rules["minLength"]?.integerValue
            let maximum = rules["maxLength"]?.integerValue
            if minimum != nil || maximum != nil {
                // Code points, as JSON Schema counts them: the UTF-8 bytes that do not continue one
                // (a count of `unicodeScalars` walks them one by one: 10% of a 4 MiB argument's call).
                let length = text.utf8.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
                if let minimum, length < minimum {
                    fail("minLength", "must be at least \(minimum) characters, got \(length)")
                }
                if let maximum, length > maximum {
                    fail("maxLength", "must be at most \(maximum) characters, got \(length)")
                }
            }
            if let pattern = rules["pattern"]?.stringValue, !Self.matches(text, pattern: pattern) {
                fail("pattern", "must match the pattern \(pattern), got \(Self.preview(value))")
            }
        case .array(let elements):
            if let minimum = rules["minItems"]?.integerValue, elements.count < minimum {
                fail("minItems", "must have at least \(minimum) items, got \(elements.count)")
            }
            if let maximum = rules["maxItems"]?.integerValue, elements.count > maximum {
                fail("maxItems", "must have at most \(maximum) items, got \(elements.count)")
            }
            if rules["uniqueItems"]?.boolValue == true {
                for index in elements.indices where elements[..<index].contains(elements[index]) {
                    fail("uniqueItems", "must not repeat items; item \(index) repeats an earlier one")
                    break
                }
            }
            if let itemSchema = rules["items"] {
                for (index, element) in elements.enumerated() {
                    check(element, against: itemSchema, path: "\(path)[\(index)]", into: &violations)
                }
            }
        case .object(let object):
            let properties = rules["properties"]?.objectValue ?? JSONObject()
            for name in rules["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
                violations.append(Violation(path: "\(path).\(name)", rule: "required", expected: "is required"))
            }
            for member in object {
                let memberPath = "\(path).\(member.key)"
                if let propertySchema = properties[member.key] {
                    check(member.value, against: propertySchema, path: memberPath, into: &violations)
                } else if let additional = rules["additionalProperties"] {
                    if additional == .bool(false) {
                        let known = properties.keys.joined(separator: ", ")
                        violations.append(
                            Violation(
                                path: memberPath, rule: "additionalProperties",
                                expected: "is not a known property; known: \(known)"))
                    } else if additional.objectValue != nil {
                        check(member.value, against: additional, path: memberPath, into: &violations)
                    }
                }
            }
        default:
            break
        }
    }

    private func checkNumber(_ number: Double, rules: JSONObject, fail: (String, String) -> Void) {
        let shown = Self.format(number)
        if let minimum = rules["minimum"]?.doubleValue, number < minimum {
            fail("minimum", "must be >= \(Self.format(minimum)), got \(shown)")
        }
        if let maximum = rules["maximum"]?.doubleValue, number > maximum {
            fail("maximum", "must be <= \(Self.format(maximum)), got \(shown)")
        }
        if let minimum = rules["exclusiveMinimum"]?.doubleValue, number <= minimum {
            fail("exclusiveMinimum", "must be > \(Self.format(minimum)), got \(shown)")
        }
        if let maximum = rules["exclusiveMaximum"]?.doubleValue, number >= maximum {
            fail("exclusiveMaximum", "must be < \(Self.format(maximum)), got \(shown)")
        }
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string),
            ("array", .array), ("object", .object):
            true
        case ("integer", .number): value.integerValue != nil
        default: false
        }
    }

    private static let patternCache = PatternCache()

    static func matches(_ text: String, pattern: String) -> Bool {
        guard let expression = patternCache.expression(for: pattern) else { return false }
        return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    static func format(_ number: Double) -> String {
        NumberText.plain(number)
    }

    static func preview(_ value: JSONValue) -> String {
        let text = JSONWriter.string(value)
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }
}

/// Compiled patterns, shared across calls; schemas hold only a handful.
private final class PatternCache: @unchecked Sendable {
    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression] = [:]

    func expression(for pattern: String) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        if let hit = compiled[pattern] { return hit }
        guard let made = try? NSRegularExpression(pattern: pattern) else { return nil }
        compiled[pattern] = made
        return made
    }
}
