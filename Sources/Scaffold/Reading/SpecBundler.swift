import BackendCore

/// Turns a document with external `$ref`s into one self-contained document.
///
/// A reference to another file (`schemas.yaml#/Pet`, `./pet.yaml`, a URL) made from inside a schema becomes
/// a component schema of the root (`#/components/schemas/Pet`), registered before its body is read, so
/// recursive schemas across files end; any other external reference (a path item, parameter, response) is
/// inlined. Inside an external file, `#/...` means that file, so it is resolved against it.
struct SpecBundler {
    let loader: SpecLoader
    let root: SpecLocation
    /// Inlining deeper than this is a cycle through non-schema references.
    static let maxInlineDepth = 32

    private var componentNames: [String: String] = [:]
    private var takenNames: Set<String>
    private var bundledComponents: [(name: String, schema: JSONValue)] = []

    init(loader: SpecLoader, root: SpecLocation, document: JSONValue) {
        self.loader = loader
        self.root = root
        takenNames = Set(document["components"]?["schemas"]?.objectValue?.keys ?? [])
    }

    /// The root document with every external reference resolved; unchanged when it has none.
    static func bundle(
        _ document: JSONValue, at root: SpecLocation, loader: SpecLoader
    ) throws(BackendError)
        -> JSONValue
    {
        guard hasExternalReference(document) else { return document }
        var bundler = SpecBundler(loader: loader, root: root, document: document)
        var result = try bundler.walk(document, base: root, inSchema: false, depth: 0, location: "#")
        guard !bundler.bundledComponents.isEmpty else { return result }
        var components = result["components"]?.objectValue ?? JSONObject()
        var schemas = components["schemas"]?.objectValue ?? JSONObject()
        for (name, schema) in bundler.bundledComponents { schemas[name] = schema }
        components["schemas"] = .object(schemas)
        if case .object(var object) = result {
            object["components"] = .object(components)
            result = .object(object)
        }
        return result
    }

    static func hasExternalReference(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let object):
            if let reference = object["$ref"]?.stringValue, !reference.hasPrefix("#") { return true }
            return object.contains { hasExternalReference($0.value) }
        case .array(let items): return items.contains(where: hasExternalReference)
        default: return false
        }
    }

    /// Keys below which every object is a schema.
    static let schemaKeys: Set<String> = ["schema", "schemas"]

    private mutating func walk(
        _ value: JSONValue, base: SpecLocation, inSchema: Bool, depth: Int, location: String
    )
        throws(BackendError) -> JSONValue
    {
        switch value {
        case .object(let object):
            if let reference = object["$ref"]?.stringValue, base != root || !reference.hasPrefix("#") {
                return try resolve(reference, base: base, inSchema: inSchema, depth: depth, location: location)
            }
            var result = JSONObject()
            for member in object {
                if inSchema, member.key == "discriminator", case .object(var discriminator) = member.value,
                    let mapping = discriminator["mapping"]?.objectValue
                {
                    let here = location + "/discriminator/mapping"
                    discriminator["mapping"] = .object(try bundled(mapping, base: base, depth: depth, location: here))
                    result[member.key] = .object(discriminator)
                    continue
                }
                let childInSchema = inSchema || SpecBundler.schemaKeys.contains(member.key)
                result[member.key] = try walk(
                    member.value, base: base, inSchema: childInSchema, depth: depth,
                    location: location + "/" + SpecBundler.escape(member.key))
            }
            return .object(result)
        case .array(let items):
            var result: [JSONValue] = []
            result.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                result.append(
                    try walk(item, base: base, inSchema: inSchema, depth: depth, location: "\(location)/\(index)"))
            }
            return .array(result)
        default:
            return value
        }
    }

    /// A discriminator's mapping values are references too (`other.yaml#/Cat`): each becomes the component
    /// reference its `$ref` twin among the alternatives gets, so the mapping still names them once bundled.
    /// Bare schema names (`Cat`) and the root's own `#/...` references stay as written.
    private mutating func bundled(
        _ mapping: JSONObject, base: SpecLocation, depth: Int, location: String
    ) throws(BackendError) -> JSONObject {
        var result = JSONObject()
        for entry in mapping {
            guard let target = entry.value.stringValue, SpecBundler.isReference(target),
                base != root || !target.hasPrefix("#")
            else {
                result[entry.key] = entry.value
                continue
            }
            let here = location + "/" + SpecBundler.escape(entry.key)
            result[entry.key] = try resolve(target, base: base, inSchema: true, depth: depth, location: here)["$ref"]
        }
        return result
    }

    /// A mapping value that is a reference rather than a schema name: a pointer, a path or a file.
    static func isReference(_ value: String) -> Bool {
        let lowered = value.lowercased()
        return value.contains("#") || value.contains("/") || lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml")
            || lowered.hasSuffix(".json")
    }

    private mutating func resolve(
        _ reference: String, base: SpecLocation, inSchema: Bool, depth: Int, location: String
    ) throws(BackendError) -> JSONValue {
        let hash = reference.firstIndex(of: "#")
        let filePart = String(reference[..<(hash ?? reference.endIndex)])
        let pointer = hash.map { String(reference[reference.index(after: $0)...]) } ?? ""
        let shownLocation = base == root ? location : "\(location) in \(base)"
        let target = filePart.isEmpty ? base : try base.resolving(filePart, at: shownLocation)
        if case .file(let path) = target, target != root {
            let lowered = path.lowercased()
            guard lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") || lowered.hasSuffix(".json") else {
                throw BackendError.invalidInput(
                    "$ref '\(reference)' at \(shownLocation): referenced files must be .yaml, .yml or .json")
            }
        }
        // A reference back into the root document is an ordinary local reference.
        if target == root { return .object(JSONObject(["$ref": .string("#" + pointer)])) }
        if inSchema {
            let key = "\(target)#\(pointer)"
            if let name = componentNames[key] { return SpecBundler.componentReference(name) }
            let name = claim(SpecBundler.componentName(pointer: pointer, location: target))
            componentNames[key] = name
            let document = try loader.document(at: target, reference: reference, at: shownLocation)
            let schema = try SpecLoader.value(at: pointer, in: document, reference: reference, at: shownLocation)
            let bundled = try walk(schema, base: target, inSchema: true, depth: depth, location: "#" + pointer)
            bundledComponents.append((name, bundled))
            return SpecBundler.componentReference(name)
        }
        guard depth < SpecBundler.maxInlineDepth else {
            throw BackendError.invalidInput(
                "$ref '\(reference)' at \(shownLocation): references nest more than \(SpecBundler.maxInlineDepth) "
                    + "deep (a cycle outside schemas?)")
        }
        let document = try loader.document(at: target, reference: reference, at: shownLocation)
        let value = try SpecLoader.value(at: pointer, in: document, reference: reference, at: shownLocation)
        return try walk(value, base: target, inSchema: false, depth: depth + 1, location: "#" + pointer)
    }

    static func componentReference(_ name: String) -> JSONValue {
        .object(JSONObject(["$ref": .string("#/components/schemas/" + escape(name))]))
    }

    /// A key as a JSON pointer token.
    static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// The pointer's last token (`Pet` of `#/components/schemas/Pet`), or the file's name for a whole file.
    /// A pointer inside a schema that ends in an index or a keyword (`#/Channel/properties/from/oneOf/0`)
    /// is named from its last other token on (`from_oneOf_0`), since `0` alone names nothing.
    static func componentName(pointer: String, location: SpecLocation) -> String {
        let tokens = pointer.split(separator: "/").map { raw in
            (String(raw).removingPercentEncoding ?? String(raw)).replacingOccurrences(of: "~1", with: "/")
                .replacingOccurrences(of: "~0", with: "~")
        }
        guard let last = tokens.last, !last.isEmpty else { return location.baseName }
        func isStructural(_ token: String) -> Bool { Int(token) != nil || structuralKeys.contains(token) }
        guard isStructural(last) else { return last }
        guard let named = tokens.lastIndex(where: { !isStructural($0) }) else {
            return ([location.baseName] + tokens).joined(separator: "_")
        }
        return tokens[named...].joined(separator: "_")
    }

    /// Pointer tokens that name a place in a schema rather than a schema.
    static let structuralKeys: Set<String> = [
        "properties", "items", "allOf", "oneOf", "anyOf", "not", "additionalProperties", "prefixItems", "$defs",
        "definitions", "components", "schemas",
    ]

    private mutating func claim(_ name: String) -> String {
        var candidate = name.isEmpty ? "Schema" : name
        var suffix = 2
        while takenNames.contains(candidate) {
            candidate = "\(name)\(suffix)"
            suffix += 1
        }
        takenNames.insert(candidate)
        return candidate
    }
}
