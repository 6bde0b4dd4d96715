import BackendCore
import Foundation

/// The subset of an OpenAPI document the Express generator needs, with every schema normalised.
///
/// Normalised schemas keep only the keywords the generated validator knows; references to
/// `#/components/schemas/X` become `{"$ref": "<identifier of X>"}` (resolved at run time, so recursive
/// schemas cost nothing), every other local `$ref` is inlined; 3.0's boolean `exclusiveMinimum` /
/// `exclusiveMaximum` become 3.1's numbers; 3.0 `nullable` and 3.1 type arrays are kept as written
/// and both understood by the types and the validator.
struct APIModel {
    struct Parameter {
        var name: String
        var location: String
        var key: String
        var required: Bool
        var style: String
        var explode: Bool
        var schema: JSONValue
    }

    struct Body {
        var required: Bool
        var mediaType: String
        var schema: JSONValue
        /// A form body's `encoding` by property: `style` and `explode` (kept only when given), `contentType`.
        var encoding: JSONObject = JSONObject()
    }

    struct Requirement {
        var scheme: String
        var scopes: [String]
    }

    struct Operation {
        var identifier: String
        var typeName: String
        var method: String
        var path: String
        var expressPath: String
        var summary: String
        var parameters: [Parameter]
        var body: Body?
        /// Alternatives (OR) of requirement sets (AND); empty means open.
        var security: [[Requirement]]
        /// The operation's own limit per client (`x-rate-limit: {max, windowSeconds}`), on top of the default.
        var rateLimit: RateLimit? = nil
    }

    struct RateLimit: Equatable {
        var max: Int
        var windowSeconds: Int
    }

    struct SecurityScheme {
        var name: String
        var type: String
        var location: String?
        var parameterName: String?
        var scheme: String?
        /// http bearer's hint (`JWT`): documentation only, kept so that generate_spec gives it back.
        var bearerFormat: String? = nil

        /// The generated project's built-in verifier: `jwt` (http bearer, oauth2, openIdConnect), `apiKey`, `none`.
        var verifier: String {
            switch type {
            case "apiKey": "apiKey"
            case "oauth2", "openIdConnect": "jwt"
            case "http" where scheme == "bearer": "jwt"
            default: "none"
            }
        }

        /// `AUTH_` and the name in upper snake case (`bearerAuth` -> `AUTH_BEARER_AUTH`).
        var environmentPrefix: String {
            let words = Names.words(name).map { $0.uppercased() }
            return "AUTH_" + (words.isEmpty ? "SCHEME" : words.joined(separator: "_"))
        }

        /// The variables that configure the built-in verifier (any one of a group suffices).
        var requiredSettings: String? {
            switch verifier {
            case "jwt": "\(environmentPrefix)_JWKS_URL or \(environmentPrefix)_PUBLIC_KEY"
            case "apiKey": "\(environmentPrefix)_KEYS"
            default: nil
            }
        }
    }

    var title: String
    var version: String
    var apiVersion: String
    var basePath: String
    /// Component schemas by identifier, in document order.
    var schemas: [(identifier: String, schema: JSONValue)]
    var operations: [Operation]
    var securitySchemes: [SecurityScheme]
    var warnings: [String]

    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
    static let keptKeywords: Set<String> = [
        "type", "nullable", "enum", "const", "properties", "required", "additionalProperties", "items", "allOf",
        "oneOf", "anyOf", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
        "pattern", "minItems", "maxItems", "uniqueItems", "format", "multipleOf", "minProperties",
        "maxProperties", "not", "readOnly", "writeOnly", "discriminator",
    ]

    /// `multipart` says whether the target framework's runtime parses multipart/form-data bodies.
    init(document: SpecDocument, multipart: Bool = false) throws(BackendError) {
        let root = document.root
        title = root["info"]?["title"]?.stringValue ?? "API"
        apiVersion = root["info"]?["version"]?.stringValue ?? "0.1.0"
        version = document.version
        warnings = []
        basePath = APIModel.basePath(root["servers"]?.arrayValue?.first)

        // Component schema identifiers first, so references can name them.
        var typeNames = Names.Uniquer()
        for reserved in ["Types", "JsonSchema"] { _ = typeNames.claim(reserved) }
        var identifiers: [String: String] = [:]
        let componentSchemas = root["components"]?["schemas"]?.objectValue ?? JSONObject()
        for member in componentSchemas {
            identifiers[member.key] = typeNames.claim(Names.pascal(member.key, fallback: "Schema"))
        }
        let normaliser = SchemaNormaliser(document: document, identifiers: identifiers, findings: FindingLog())
        var schemas: [(identifier: String, schema: JSONValue)] = []
        for member in componentSchemas {
            let location = "#/components/schemas/\(member.key)"
            schemas.append(
                (identifiers[member.key]!, try normaliser.normalise(member.value, at: location, inlineDepth: 0)))
        }
        self.schemas = schemas

        var schemes: [SecurityScheme] = []
        for member in root["components"]?["securitySchemes"]?.objectValue ?? JSONObject() {
            let value = try document.dereference(member.value, at: "#/components/securitySchemes/\(member.key)")
            schemes.append(
                SecurityScheme(
                    name: member.key, type: value["type"]?.stringValue ?? "unknown", location: value["in"]?.stringValue,
                    parameterName: value["name"]?.stringValue, scheme: value["scheme"]?.stringValue?.lowercased(),
                    bearerFormat: value["bearerFormat"]?.stringValue))
        }
        securitySchemes = schemes
        for (prefix, sharing) in Dictionary(grouping: schemes, by: \.environmentPrefix).sorted(by: { $0.key < $1.key })
        where sharing.count > 1 {
            warnings.append(
                "security schemes \(sharing.map(\.name).joined(separator: ", ")) share the variables \(prefix)_*: "
                    + "rename one in the spec, or verify them with hooks in src/app.ts")
        }
        let known = Set(schemes.map(\.name))
        let rootSecurity = APIModel.requirements(root["security"])

        var operations: [Operation] = []
        var operationNames = Names.Uniquer()
        for reserved in ["handlers", "operations"] { _ = operationNames.claim(reserved) }
        for pathMember in root["paths"]?.objectValue ?? JSONObject() {
            let path = pathMember.key
            let pathLocation = "#/paths/\(SpecBundler.escape(path))"
            let item = try document.dereference(pathMember.value, at: pathLocation)
            let shared = item["parameters"]?.arrayValue ?? []
            for method in APIModel.methods {
                guard let operation = item[method], operation.objectValue != nil else { continue }
                let location = "\(pathLocation)/\(method)"
                let rawId = operation["operationId"]?.stringValue ?? "\(method) \(path)"
                let identifier = operationNames.claim(Names.camel(rawId, fallback: method))
                var parameters: [Parameter] = []
                var keys = Names.Uniquer()
                for (index, raw) in (shared + (operation["parameters"]?.arrayValue ?? [])).enumerated() {
                    let value = try document.dereference(raw, at: "\(location)/parameters/\(index)")
                    guard let name = value["name"]?.stringValue, let place = value["in"]?.stringValue else {
                        throw BackendError(.invalidInput, "parameter \(index) at \(location) has no name or `in`")
                    }
                    let style =
                        value["style"]?.stringValue ?? (place == "query" || place == "cookie" ? "form" : "simple")
                    let rawSchema = value["schema"] ?? value["content"]?.objectValue?.members.first?.value["schema"]
                    let schema = try rawSchema.map { (schema) throws(BackendError) in
                        try normaliser.normalise(schema, at: "\(location)/parameters/\(index)/schema", inlineDepth: 0)
                    }
                    let parameter = Parameter(
                        name: name, location: place, key: place == "path" ? "" : name,
                        required: place == "path" || value["required"]?.boolValue == true, style: style,
                        explode: value["explode"]?.boolValue ?? (style == "form"),
                        schema: schema ?? .object(JSONObject()))
                    // An operation's parameter replaces the path item's of the same name and location.
                    if let existing = parameters.firstIndex(where: { $0.name == name && $0.location == place }) {
                        parameters[existing] = parameter
                    } else {
                        parameters.append(parameter)
                    }
                }
                // Express path keys must be word characters: `pet-id` becomes `pet_id`.
                for index in parameters.indices where parameters[index].location == "path" {
                    let base = Names.words(parameters[index].name).joined(separator: "_")
                    parameters[index].key = keys.claim(base.isEmpty ? "p\(index)" : Names.guarded(base))
                }
                let expressPath = try APIModel.expressPath(path, parameters: parameters, at: location)
                var body: Body?
                if let rawBody = operation["requestBody"] {
                    let value = try document.dereference(rawBody, at: "\(location)/requestBody")
                    let content = value["content"]?.objectValue ?? JSONObject()
                    if let (mediaType, media) = APIModel.validatedMedia(content, multipart: multipart) {
                        let schema = try normaliser.normalise(
                            media["schema"] ?? .object(JSONObject()), at: "\(location)/requestBody", inlineDepth: 0)
                        body = Body(
                            required: value["required"]?.boolValue == true, mediaType: mediaType, schema: schema,
                            encoding: APIModel.formEncoding(media["encoding"]))
                    } else if !content.keys.isEmpty {
                        warnings.append(
                            "\(method.uppercased()) \(path): request body \(content.keys.joined(separator: ", ")) "
                                + "is passed to the handler unvalidated "
                                + "(only JSON, application/x-www-form-urlencoded and, on Express, multipart/form-data "
                                + "bodies are validated in this version)"
                        )
                    }
                }
                let security = operation["security"].map { APIModel.requirements($0) } ?? rootSecurity
                for scheme in Set(security.flatMap { $0.map(\.scheme) }).sorted() where !known.contains(scheme) {
                    warnings.append(
                        "\(method.uppercased()) \(path): security scheme '\(scheme)' is not defined; "
                            + "requests needing it always get 401")
                }
                let summary = operation["summary"]?.stringValue ?? operation["description"]?.stringValue ?? ""
                var rateLimit: RateLimit?
                if let raw = operation["x-rate-limit"] {
                    rateLimit = APIModel.rateLimit(raw)
                    if rateLimit == nil {
                        warnings.append(
                            "\(method.uppercased()) \(path): x-rate-limit is not {max: 1..1000000000, windowSeconds: "
                                + "1..1000000000}; ignored (the default limit applies)")
                    }
                }
                operations.append(
                    Operation(
                        identifier: identifier, typeName: Names.pascal(identifier, fallback: "Operation"),
                        method: method, path: path, expressPath: expressPath,
                        summary: String(summary.split(separator: "\n").first ?? ""), parameters: parameters,
                        body: body, security: security, rateLimit: rateLimit))
            }
        }
        if root["webhooks"]?.objectValue?.count ?? 0 > 0 {
            warnings.append("webhooks are outgoing calls; no routes are generated for them")
        }
        self.operations = APIModel.routeOrder(operations)
        warnings += normaliser.findings.items
    }

    /// The request body media type the generated runtime validates: JSON first, else a urlencoded form,
    /// else (when the runtime parses it) multipart/form-data.
    static func validatedMedia(_ content: JSONObject, multipart: Bool) -> (String, JSONValue)? {
        let json = content.first { member in
            let type = member.key.lowercased()
            return type.hasPrefix("application/json") || type.contains("+json") || type == "*/*"
        }
        let form = content.first { $0.key.lowercased().hasPrefix("application/x-www-form-urlencoded") }
        let parts = content.first { multipart && $0.key.lowercased().hasPrefix("multipart/form-data") }
        return (json ?? form ?? parts).map { ($0.key, $0.value) }
    }

    /// The `encoding` object of a form media type: per property, the serialisation keys the runtime reads.
    static func formEncoding(_ value: JSONValue?) -> JSONObject {
        var result = JSONObject()
        for member in value?.objectValue ?? JSONObject() {
            var entry = JSONObject()
            if let style = member.value["style"]?.stringValue { entry["style"] = .string(style) }
            if let explode = member.value["explode"]?.boolValue { entry["explode"] = .bool(explode) }
            if let type = member.value["contentType"]?.stringValue { entry["contentType"] = .string(type) }
            if !entry.keys.isEmpty { result[member.key] = .object(entry) }
        }
        return result
    }

    /// `x-rate-limit: {max: 5, windowSeconds: 60}`: whole numbers from 1 to 10^9; anything else is nil.
    static func rateLimit(_ value: JSONValue) -> RateLimit? {
        func whole(_ key: String) -> Int? {
            guard let number = value[key]?.doubleValue, number >= 1, number <= 1e9, number == number.rounded() else {
                return nil
            }
            return Int(number)
        }
        guard let max = whole("max"), let window = whole("windowSeconds") else { return nil }
        return RateLimit(max: max, windowSeconds: window)
    }

    /// `{ "security": [ { "name": ["scope"] } ] }` as alternatives of requirement sets.
    static func requirements(_ value: JSONValue?) -> [[Requirement]] {
        (value?.arrayValue ?? []).map { alternative in
            (alternative.objectValue ?? JSONObject()).map { member in
                Requirement(scheme: member.key, scopes: (member.value.arrayValue ?? []).compactMap(\.stringValue))
            }
        }
    }

    /// The path part of `servers[0].url` (server variables take their defaults); `""` for `/`.
    static func basePath(_ server: JSONValue?) -> String {
        guard var url = server?["url"]?.stringValue else { return "" }
        for member in server?["variables"]?.objectValue ?? JSONObject() {
            url = url.replacingOccurrences(of: "{\(member.key)}", with: member.value["default"]?.stringValue ?? "")
        }
        var path = url
        if let scheme = url.range(of: "://") {
            let rest = url[scheme.upperBound...]
            path = rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? ""
        }
        guard path.hasPrefix("/") else { return "" }
        // Only characters that are plain in an Express mount path survive.
        let cleaned = path.unicodeScalars.filter {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9")
                || "/-_.~".unicodeScalars
                    .contains($0)
        }
        var result = String(String.UnicodeScalarView(cleaned))
        while result.hasSuffix("/") { result.removeLast() }
        return result.split(separator: "/").contains("..") ? "" : result
    }

    /// `/pets/{id}` -> `/pets/:id`; literal characters that Express treats as pattern syntax are refused.
    static func expressPath(_ path: String, parameters: [Parameter], at location: String) throws(BackendError) -> String
    {
        guard path.hasPrefix("/") else {
            throw BackendError(.invalidInput, "path '\(path)' at \(location) does not start with '/'")
        }
        var result = ""
        var rest = Substring(path)
        while let open = rest.firstIndex(of: "{") {
            result += escapeLiteral(rest[..<open])
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw BackendError(.invalidInput, "path '\(path)' at \(location) has an unclosed '{'")
            }
            let name = String(rest[rest.index(after: open)..<close])
            guard let parameter = parameters.first(where: { $0.location == "path" && $0.name == name }) else {
                throw BackendError(
                    .invalidInput,
                    "path '\(path)' at \(location) uses {\(name)} but declares no path parameter '\(name)'")
            }
            result += ":\(parameter.key)"
            rest = rest[rest.index(after: close)...]
        }
        return result + escapeLiteral(rest)
    }

    static func escapeLiteral(_ text: Substring) -> String {
        var result = ""
        for character in text {
            if "()*?+[]:".contains(character) { result += "\\" }
            result.append(character)
        }
        return result
    }

    /// Static routes before parameter routes, segment by segment; then the path text and method order.
    static func routeOrder(_ operations: [Operation]) -> [Operation] {
        func key(_ path: String) -> [String] {
            path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
                segment.contains("{") ? "1" : "0" + segment
            }
        }
        return operations.enumerated().sorted { lhs, rhs in
            let left = key(lhs.element.path)
            let right = key(rhs.element.path)
            for (a, b) in zip(left, right) where a != b {
                if a.hasPrefix("0") != b.hasPrefix("0") { return a.hasPrefix("0") }
                return a < b
            }
            if left.count != right.count { return left.count < right.count }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }
}

/// Rewrites schemas into the form the generated types and validators read (see `APIModel`).
struct SchemaNormaliser {
    let document: SpecDocument
    let identifiers: [String: String]
    /// What a lenient reader accepted but a validator would flag (invalid-but-common documents).
    let findings: FindingLog
    static let componentPrefix = "#/components/schemas/"

    /// The identifier of a component schema named by a `#/components/schemas/X` reference or a bare name.
    func componentIdentifier(_ target: String) -> String? {
        let raw = target.hasPrefix(Self.componentPrefix) ? String(target.dropFirst(Self.componentPrefix.count)) : target
        let name = (raw.removingPercentEncoding ?? raw).replacingOccurrences(of: "~1", with: "/")
            .replacingOccurrences(of: "~0", with: "~")
        return identifiers[name]
    }

    func normalise(_ schema: JSONValue, at location: String, inlineDepth: Int) throws(BackendError) -> JSONValue {
        if case .bool(let allowed) = schema {
            return allowed ? .object(JSONObject()) : .object(JSONObject(["not": .object(JSONObject())]))
        }
        guard let object = schema.objectValue else { return .object(JSONObject()) }
        if let reference = object["$ref"]?.stringValue {
            // A whole component is named; a pointer inside one (`.../Pet/properties/id`) is inlined below.
            let name = reference.dropFirst(Self.componentPrefix.count)
            if reference.hasPrefix(Self.componentPrefix), !name.contains("/") {
                guard let identifier = componentIdentifier(reference) else {
                    throw BackendError(.invalidInput, "$ref '\(reference)' at \(location): no such component schema")
                }
                return .object(JSONObject(["$ref": .string(identifier)]))
            }
            // Other local references are inlined; a cycle through them stops at a permissive schema.
            guard inlineDepth < 16 else { return .object(JSONObject()) }
            let target = try document.target(of: reference, at: location)
            return try normalise(target, at: location, inlineDepth: inlineDepth + 1)
        }
        checkExamples(object, at: location)
        var result = JSONObject()
        for member in object where APIModel.keptKeywords.contains(member.key) {
            let here = "\(location)/\(member.key)"
            switch member.key {
            case "properties":
                var properties = JSONObject()
                for property in member.value.objectValue ?? JSONObject() {
                    properties[property.key] = try normalise(
                        property.value, at: "\(here)/\(property.key)", inlineDepth: inlineDepth)
                }
                result["properties"] = .object(properties)
            case "items", "additionalProperties", "not":
                if case .bool = member.value, member.key == "additionalProperties" {
                    result[member.key] = member.value
                } else {
                    result[member.key] = try normalise(member.value, at: here, inlineDepth: inlineDepth)
                }
            case "allOf", "oneOf", "anyOf":
                var parts: [JSONValue] = []
                for (index, part) in (member.value.arrayValue ?? []).enumerated() {
                    parts.append(try normalise(part, at: "\(here)/\(index)", inlineDepth: inlineDepth))
                }
                result[member.key] = .array(parts)
            case "exclusiveMinimum", "exclusiveMaximum":
                let bound = member.key == "exclusiveMinimum" ? "minimum" : "maximum"
                if case .bool(let exclusive) = member.value {
                    if !document.version.hasPrefix("3.0") {
                        findings.add(
                            "\(here): a boolean \(member.key) is OpenAPI 3.0 syntax in a \(document.version) document; "
                                + "read as 3.0 (\(bound) is exclusive)")
                    }
                    if exclusive, let limit = object[bound] { result[member.key] = limit }
                } else {
                    result[member.key] = member.value
                }
            case "minimum", "maximum":
                let exclusive = member.key == "minimum" ? "exclusiveMinimum" : "exclusiveMaximum"
                if object[exclusive]?.boolValue != true { result[member.key] = member.value }
            case "pattern", "format":
                if member.value.stringValue != nil { result[member.key] = member.value }
            case "required":
                var seen = Set<String>()
                let names = (member.value.arrayValue ?? []).compactMap(\.stringValue).filter {
                    seen.insert($0).inserted
                }
                if names.count != member.value.arrayValue?.count {
                    findings.add("\(here) lists a property twice (or a non-string); read once each")
                }
                // A readOnly property is never sent in a request, and only requests are validated.
                let readOnly = Set(
                    (object["properties"]?.objectValue ?? JSONObject()).filter { property in
                        property.value["readOnly"]?.boolValue == true
                    }.map(\.key))
                result["required"] = .array(names.filter { !readOnly.contains($0) }.map(JSONValue.string))
            case "discriminator":
                if let discriminator = normaliseDiscriminator(member.value, of: object, at: here) {
                    result["discriminator"] = discriminator
                }
            default:
                result[member.key] = member.value
            }
        }
        return .object(result)
    }

    /// `{propertyName, mapping: {value: identifier}}` with the implicit entries (an option's component name)
    /// added; only on schemas with oneOf/anyOf, where it picks the alternative to validate and type.
    func normaliseDiscriminator(_ value: JSONValue, of object: JSONObject, at location: String) -> JSONValue? {
        guard let property = value["propertyName"]?.stringValue else {
            findings.add("\(location) has no propertyName; ignored")
            return nil
        }
        guard let options = object["oneOf"]?.arrayValue ?? object["anyOf"]?.arrayValue else { return nil }
        var mapping = JSONObject()
        for entry in value["mapping"]?.objectValue ?? JSONObject() {
            guard let target = entry.value.stringValue, let identifier = componentIdentifier(target) else {
                findings.add("\(location)/mapping/\(entry.key) names no component schema; ignored")
                continue
            }
            mapping[entry.key] = .string(identifier)
        }
        let mapped = Set(mapping.compactMap(\.value.stringValue))
        for option in options {
            guard let reference = option["$ref"]?.stringValue, reference.hasPrefix(Self.componentPrefix),
                let identifier = componentIdentifier(reference), !mapped.contains(identifier)
            else { continue }
            let name = String(reference.dropFirst(Self.componentPrefix.count))
            mapping[name.removingPercentEncoding ?? name] = .string(identifier)
        }
        return .object(JSONObject(["propertyName": .string(property), "mapping": .object(mapping)]))
    }

    /// `default`, `example` and `examples` of a string schema with a format must be in that format.
    func checkExamples(_ object: JSONObject, at location: String) {
        guard let format = object["format"]?.stringValue, let check = SchemaNormaliser.formatChecks[format] else {
            return
        }
        var samples: [(String, JSONValue)] = []
        for keyword in ["default", "example"] { if let value = object[keyword] { samples.append((keyword, value)) } }
        for (index, value) in (object["examples"]?.arrayValue ?? []).enumerated() {
            samples.append(("examples/\(index)", value))
        }
        for (keyword, value) in samples {
            guard let text = value.stringValue, !check.isValid(text) else { continue }
            findings.add("\(location)/\(keyword) '\(text.prefix(60))' is not a valid \(format) (\(check.expected))")
        }
    }

    struct FormatCheck: Sendable {
        let expected: String
        let isValid: @Sendable (String) -> Bool
    }

    /// The formats whose examples are checked, as JSON Schema's format assertions define them (RFC 3339 etc.).
    static let formatChecks: [String: FormatCheck] = [
        "date": FormatCheck(expected: "RFC 3339 full-date, 2024-01-31") {
            $0.wholeMatch(of: #/\d{4}-\d{2}-\d{2}/#) != nil
        },
        "date-time": FormatCheck(expected: "RFC 3339 date-time with an offset, 2024-01-31T10:00:00Z") {
            $0.wholeMatch(of: #/\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})/#) != nil
        },
        "time": FormatCheck(expected: "RFC 3339 full-time with an offset, 10:00:00Z") {
            $0.wholeMatch(of: #/\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})/#) != nil
        },
        "uuid": FormatCheck(expected: "8-4-4-4-12 hexadecimal digits") {
            $0.wholeMatch(of: #/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/#) != nil
        },
        "email": FormatCheck(expected: "an address with one @") { $0.wholeMatch(of: #/[^@\s]+@[^@\s]+/#) != nil },
    ]
}

/// Findings collected while normalising, once each, in the order found.
final class FindingLog {
    private(set) var items: [String] = []
    private var seen: Set<String> = []

    func add(_ finding: String) {
        if seen.insert(finding).inserted { items.append(finding) }
    }
}
