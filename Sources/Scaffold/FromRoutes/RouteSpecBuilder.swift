import BackendCore

/// One operation of the spec being written, with where it was found.
struct SpecOperation {
    var method: String
    var path: String
    /// The route as written in the code (framework syntax, mount prefixes joined).
    var route: String
    /// `file:line` where it was found.
    var location: String
    var operation: JSONObject

    static let undocumentedResponses = JSONValue.object(
        JSONObject(["default": .object(JSONObject(["description": .string("Not described in the code")]))]))
}

/// Assembles an OpenAPI 3.1 document from routes found in code, `@openapi` blocks and generated tables.
struct RouteSpecBuilder {
    var title: String
    var version: String
    var basePath = "/"
    var operations: [SpecOperation] = []
    var components = JSONObject()
    var pathItemMembers: [String: JSONObject] = [:]
    var tags: [JSONValue] = []
    var warnings: [String] = []

    init(title: String, version: String) {
        self.title = title
        self.version = version
    }

    // MARK: routes from code

    mutating func add(_ routes: [RouteExtractor.Route]) {
        for route in routes {
            let converted = RoutePath.convert(route.route)
            for note in converted.notes { warnings.append("\(route.file):\(route.line): \(route.route): \(note)") }
            for variant in converted.paths { add(route, variant) }
        }
    }

    private mutating func add(_ route: RouteExtractor.Route, _ variant: RoutePath) {
        var operation = JSONObject()
        let schema = route.schema ?? JSONObject()
        let explicitId = schema["operationId"]?.stringValue
        let handler = route.handlerName.flatMap { Names.isPlainIdentifier($0) ? $0 : nil }
        let named = route.routeName.flatMap { Names.isPlainIdentifier($0) ? $0 : nil }
        operation["operationId"] = .string(
            explicitId ?? handler ?? named ?? Names.camel("\(route.method) \(variant.path)", fallback: route.method))
        for key in ["summary", "description"] { if let value = schema[key] { operation[key] = value } }
        operation["tags"] = schema["tags"] ?? .array([.string(Self.tag(of: route.file))])

        var parameters: [JSONValue] = []
        let declaredPath = Self.properties(schema["params"])
        for parameter in variant.parameters {
            let declared = declaredPath.first { $0.name == parameter.name }
            parameters.append(
                Self.parameter(parameter.name, in: "path", required: true, schema: declared?.schema ?? parameter.schema)
            )
        }
        for (key, location) in [("querystring", "query"), ("query", "query"), ("headers", "header")] {
            for property in Self.properties(schema[key]) {
                parameters.append(
                    Self.parameter(property.name, in: location, required: property.required, schema: property.schema))
            }
        }
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body = schema["body"] {
            operation["requestBody"] = .object(
                JSONObject([
                    "required": .bool(true),
                    "content": .object(JSONObject(["application/json": .object(JSONObject(["schema": body]))])),
                ]))
        }
        operation["responses"] = Self.responses(schema["response"]) ?? SpecOperation.undocumentedResponses
        for key in ["security", "deprecated"] { if let value = schema[key] { operation[key] = value } }
        operations.append(
            SpecOperation(
                method: route.method, path: variant.path, route: route.route, location: "\(route.file):\(route.line)",
                operation: operation))
    }

    /// The tag of a route: its file's name (`routes/users.ts` -> `users`; `users/index.ts` -> `users`).
    static func tag(of file: String) -> String {
        let parts = file.split(separator: "/")
        var name = String(parts.last ?? "")
        if let dot = name.firstIndex(of: ".") { name = String(name[..<dot]) }
        if name == "index", parts.count > 1 { name = String(parts[parts.count - 2]) }
        return name.isEmpty ? "default" : name
    }

    static func parameter(_ name: String, in location: String, required: Bool, schema: JSONValue) -> JSONValue {
        .object(
            JSONObject([
                "name": .string(name), "in": .string(location), "required": .bool(required), "schema": schema,
            ]))
    }

    /// The properties of a fastify `params` / `querystring` / `headers` JSON schema.
    static func properties(_ schema: JSONValue?) -> [(name: String, required: Bool, schema: JSONValue)] {
        guard let schema, let properties = schema["properties"]?.objectValue else { return [] }
        let required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        return properties.map { ($0.key, required.contains($0.key), $0.value) }
    }

    /// Fastify `response: {200: schema}` as OpenAPI responses (a `description` inside a schema moves out).
    static func responses(_ value: JSONValue?) -> JSONValue? {
        guard let codes = value?.objectValue, codes.count > 0 else { return nil }
        var responses = JSONObject()
        for member in codes {
            var schema = member.value.objectValue ?? JSONObject()
            let description = schema["description"]?.stringValue ?? "Response \(member.key)"
            schema["description"] = nil
            var response = JSONObject(["description": .string(description)])
            if schema.count > 0 {
                response["content"] = .object(
                    JSONObject(["application/json": .object(JSONObject(["schema": .object(schema)]))]))
            }
            responses[member.key] = .object(response)
        }
        return .object(responses)
    }

    // MARK: @openapi blocks

    mutating func merge(_ blocks: [OpenAPICommentReader.Block]) {
        for block in blocks {
            for member in block.document {
                if member.key.hasPrefix("/") {
                    mergePathItem(member.key, member.value, block: block)
                } else if member.key == "paths", let paths = member.value.objectValue {
                    for path in paths { mergePathItem(path.key, path.value, block: block) }
                } else if member.key == "components", let sections = member.value.objectValue {
                    for section in sections {
                        var merged = components[section.key]?.objectValue ?? JSONObject()
                        for item in section.value.objectValue ?? JSONObject() { merged[item.key] = item.value }
                        components[section.key] = .object(merged)
                    }
                } else if member.key == "tags", let items = member.value.arrayValue {
                    tags += items
                } else {
                    warnings.append(
                        "\(block.file):\(block.line): @openapi member '\(member.key)' is not a path, components or "
                            + "tags; ignored")
                }
            }
        }
    }

    private mutating func mergePathItem(_ path: String, _ value: JSONValue, block: OpenAPICommentReader.Block) {
        guard let item = value.objectValue else {
            warnings.append("\(block.file):\(block.line): @openapi path \(path) is not a mapping; ignored")
            return
        }
        for member in item {
            let method = member.key.lowercased()
            guard APIModel.methods.contains(method) else {
                var extras = pathItemMembers[path] ?? JSONObject()
                extras[member.key] = member.value
                pathItemMembers[path] = extras
                continue
            }
            guard let fields = member.value.objectValue else { continue }
            if let index = operations.firstIndex(where: { $0.path == path && $0.method == method }) {
                var operation = operations[index].operation
                for field in fields {
                    if field.key == "parameters", let added = field.value.arrayValue {
                        operation["parameters"] = .array(
                            Self.mergeParameters(operation["parameters"]?.arrayValue ?? [], added))
                    } else {
                        operation[field.key] = field.value
                    }
                }
                operations[index].operation = operation
            } else {
                var operation = fields
                if operation["operationId"] == nil {
                    operation["operationId"] = .string(Names.camel("\(method) \(path)", fallback: method))
                }
                if operation["responses"] == nil { operation["responses"] = SpecOperation.undocumentedResponses }
                operations.append(
                    SpecOperation(
                        method: method, path: path, route: path, location: "\(block.file):\(block.line)",
                        operation: operation))
            }
        }
    }

    /// Parameters of a JSDoc block replace the found ones with the same name and location.
    static func mergeParameters(_ found: [JSONValue], _ added: [JSONValue]) -> [JSONValue] {
        var result = found
        for parameter in added {
            if let index = result.firstIndex(where: {
                $0["name"] == parameter["name"] && $0["in"] == parameter["in"] && parameter["name"] != nil
            }) {
                result[index] = parameter
            } else {
                result.append(parameter)
            }
        }
        return result
    }

    // MARK: the document

    /// Drops repeated registrations of one method and path (the first is kept) and makes operation ids
    /// unique (a repeat gets 2, 3, ...) in the order the operations were found.
    mutating func finish() {
        var seen: [String: String] = [:]
        operations = operations.filter { operation in
            let key = "\(operation.method) \(operation.path)"
            if let first = seen[key] {
                warnings.append(
                    "\(operation.location): \(operation.method.uppercased()) \(operation.path) is registered again "
                        + "(first at \(first)); the first is kept")
                return false
            }
            seen[key] = operation.location
            return true
        }
        var names = Names.Uniquer()
        var claimedAt: [String: String] = [:]
        for index in operations.indices {
            let raw = operations[index].operation["operationId"]?.stringValue ?? operations[index].method
            let unique = names.claim(raw)
            let location = operations[index].location
            // One registration that became two paths (an optional parameter) needs no warning.
            if unique != raw && claimedAt[raw.lowercased()] != location {
                warnings.append(
                    "\(operations[index].location): operationId '\(raw)' is used twice; this one is '\(unique)'")
            }
            if claimedAt[raw.lowercased()] == nil { claimedAt[raw.lowercased()] = location }
            operations[index].operation["operationId"] = .string(unique)
        }
    }

    func document() -> JSONValue {
        var root = JSONObject()
        root["openapi"] = .string("3.1.0")
        root["info"] = .object(JSONObject(["title": .string(title), "version": .string(version)]))
        if basePath != "/" && !basePath.isEmpty {
            root["servers"] = .array([.object(JSONObject(["url": .string(basePath)]))])
        }
        if !tags.isEmpty { root["tags"] = .array(tags) }
        // Grouped through a dictionary: one pass over the operations, not one per path.
        var order: [String] = []
        var byPath: [String: [String: JSONObject]] = [:]
        for operation in operations {
            if byPath[operation.path] == nil { order.append(operation.path) }
            byPath[operation.path, default: [:]][operation.method] = operation.operation
        }
        var paths = JSONObject()
        for path in order {
            var item = pathItemMembers[path] ?? JSONObject()
            for method in APIModel.methods {
                if let operation = byPath[path]?[method] { item[method] = .object(operation) }
            }
            paths[path] = .object(item)
        }
        root["paths"] = .object(paths)
        if components.count > 0 { root["components"] = .object(components) }
        return .object(root)
    }

}
