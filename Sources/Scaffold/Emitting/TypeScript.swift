import BackendCore

/// TypeScript text for normalised schemas: type expressions and object literals.
enum TypeScript {
    /// A JSON value as a TypeScript expression (JSON is one).
    static func literal(_ value: JSONValue) -> String { JSONWriter.string(value) }

    /// A JSON value as a readable, stable TypeScript object literal.
    /// With `quoteKeys` every key is a JSON string, so the text is JSON too.
    static func pretty(_ value: JSONValue, indent: String = "", quoteKeys: Bool = false) -> String {
        let inner = indent + "  "
        switch value {
        case .object(let object):
            if object.count == 0 { return "{}" }
            let simple = object.allSatisfy { !isContainer($0.value) } && object.count <= 4
            let members = object.map { member in
                let key = quoteKeys ? literal(.string(member.key)) : Names.propertyKey(member.key)
                return "\(key): \(pretty(member.value, indent: inner, quoteKeys: quoteKeys))"
            }
            if simple {
                let line = "{ " + members.joined(separator: ", ") + " }"
                if line.count <= 100 { return line }
            }
            let trailing = quoteKeys ? "\n" : ",\n"
            return "{\n" + members.map { inner + $0 }.joined(separator: ",\n") + trailing + indent + "}"
        case .array(let items):
            if items.isEmpty { return "[]" }
            if items.allSatisfy({ !isContainer($0) }) {
                return "[" + items.map { literal($0) }.joined(separator: ", ") + "]"
            }
            let lines = items.map { inner + pretty($0, indent: inner, quoteKeys: quoteKeys) }
            return "[\n" + lines.joined(separator: ",\n") + (quoteKeys ? "\n" : ",\n") + indent + "]"
        default:
            return literal(value)
        }
    }

    static func isContainer(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let object): object.count > 0
        case .array(let items): !items.isEmpty
        default: false
        }
    }

    /// Marks a schema the runtime delivers as a runtime class (a multipart file part) rather than JSON.
    static let uploadedFileKeyword = "x-senior-backend-type"

    /// The schema of a multipart body with each `format: binary` string property (or array item) typed
    /// as the runtime's `UploadedFile`, which is what the Express parser hands over for file parts.
    static func withUploadedFiles(_ schema: JSONValue) -> JSONValue {
        func isBinary(_ value: JSONValue?) -> Bool {
            value?["type"]?.stringValue == "string" && value?["format"]?.stringValue == "binary"
        }
        let file = JSONValue.object(JSONObject([uploadedFileKeyword: .string("UploadedFile")]))
        guard var object = schema.objectValue, var properties = object["properties"]?.objectValue else { return schema }
        for property in properties {
            if isBinary(property.value) {
                properties[property.key] = file
            } else if isBinary(property.value["items"]), var array = property.value.objectValue {
                array["items"] = file
                properties[property.key] = .object(array)
            }
        }
        object["properties"] = .object(properties)
        return .object(object)
    }

    /// The TypeScript type of a normalised schema; component references are written `prefix + identifier`.
    static func type(_ schema: JSONValue, prefix: String, indent: String = "", depth: Int = 0) -> String {
        guard depth < 32, let object = schema.objectValue else { return "unknown" }
        if let reference = object["$ref"]?.stringValue { return prefix + reference }
        if let named = object[uploadedFileKeyword]?.stringValue { return named }
        var parts: [String] = []
        let core = coreType(object, prefix: prefix, indent: indent, depth: depth)
        if let core { parts.append(core) }
        for part in object["allOf"]?.arrayValue ?? [] {
            parts.append(wrap(type(part, prefix: prefix, indent: indent, depth: depth + 1)))
        }
        for keyword in ["oneOf", "anyOf"] {
            guard let options = object[keyword]?.arrayValue, !options.isEmpty else { continue }
            if let tagged = discriminatedUnion(object, options: options, prefix: prefix) {
                parts.append(tagged)
                continue
            }
            let union = options.map { wrap(type($0, prefix: prefix, indent: indent, depth: depth + 1)) }
            parts.append(options.count == 1 ? union[0] : "(" + union.joined(separator: " | ") + ")")
        }
        if object["not"] != nil, parts.isEmpty, object["not"]?.objectValue?.count == 0 { return "never" }
        var result = parts.isEmpty ? "unknown" : parts.count == 1 ? parts[0] : parts.joined(separator: " & ")
        if object["nullable"]?.boolValue == true, result != "unknown" { result = wrap(result) + " | null" }
        return result
    }

    /// `(Cat & { petType: "cat" }) | (Dog & { petType: "dog" })` when the discriminator's mapping covers
    /// every alternative, so TypeScript narrows on the property; nil otherwise.
    static func discriminatedUnion(_ object: JSONObject, options: [JSONValue], prefix: String) -> String? {
        guard let property = object["discriminator"]?["propertyName"]?.stringValue,
            let mapping = object["discriminator"]?["mapping"]?.objectValue
        else { return nil }
        let identifiers = options.compactMap { $0["$ref"]?.stringValue }
        guard identifiers.count == options.count else { return nil }
        let members = identifiers.map { identifier -> String? in
            let values = mapping.filter { $0.value.stringValue == identifier }.map { literal(.string($0.key)) }
            guard !values.isEmpty else { return nil }
            return "(\(prefix + identifier) & { \(Names.propertyKey(property)): \(values.joined(separator: " | ")) })"
        }
        guard members.allSatisfy({ $0 != nil }) else { return nil }
        let union = members.compactMap { $0 }
        return union.count == 1 ? union[0] : "(" + union.joined(separator: " | ") + ")"
    }

    static func wrap(_ type: String) -> String {
        type.contains(" | ") || type.contains(" & ") ? "(\(type))" : type
    }

    static func coreType(_ object: JSONObject, prefix: String, indent: String, depth: Int) -> String? {
        if let constant = object["const"] { return literal(constant) }
        if let options = object["enum"]?.arrayValue, !options.isEmpty {
            return options.map { literal($0) }.joined(separator: " | ")
        }
        let types: [String]
        switch object["type"] {
        case .string(let single): types = [single]
        case .array(let many): types = many.compactMap(\.stringValue)
        default:
            if object["properties"] != nil || object["additionalProperties"] != nil {
                types = ["object"]
            } else if object["items"] != nil {
                types = ["array"]
            } else {
                return nil
            }
        }
        let spelled = types.map { name -> String in
            switch name {
            case "string": return "string"
            case "integer", "number": return "number"
            case "boolean": return "boolean"
            case "null": return "null"
            case "array":
                let items = object["items"].map { type($0, prefix: prefix, indent: indent, depth: depth + 1) }
                return "Array<\(items ?? "unknown")>"
            case "object": return objectType(object, prefix: prefix, indent: indent, depth: depth)
            default: return "unknown"
            }
        }
        return spelled.count == 1 ? spelled[0] : spelled.joined(separator: " | ")
    }

    static func objectType(_ object: JSONObject, prefix: String, indent: String, depth: Int) -> String {
        let properties = object["properties"]?.objectValue ?? JSONObject()
        let required = Set((object["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        let additional = object["additionalProperties"]
        if properties.count == 0 {
            if let additional, additional.objectValue != nil {
                return "Record<string, \(type(additional, prefix: prefix, indent: indent, depth: depth + 1))>"
            }
            return "Record<string, unknown>"
        }
        let inner = indent + "  "
        var lines: [String] = []
        for property in properties {
            let optional = required.contains(property.key) ? "" : "?"
            // readOnly: set by the server, absent from requests (so never required after normalising).
            let modifier = property.value["readOnly"]?.boolValue == true ? "readonly " : ""
            let spelled = type(property.value, prefix: prefix, indent: inner, depth: depth + 1)
            lines.append("\(inner)\(modifier)\(Names.propertyKey(property.key))\(optional): \(spelled);")
        }
        if let additional, additional.objectValue != nil {
            lines.append("\(inner)[key: string]: unknown;")
        }
        return "{\n" + lines.joined(separator: "\n") + "\n\(indent)}"
    }
}
