import BackendCore
import Foundation

/// Reads back a project `scaffold` generated: the operation table (`src/generated/operations.ts`), the
/// component schemas (`schemas.ts`), the security schemes (`security.ts`) and the base path
/// (`express.ts`) hold the spec's operations exactly, so they are read instead of guessed from routes.
struct GeneratedProjectReader {
    /// The generated folder relative to the routes folder (`src/generated` or `generated`).
    let folder: String
    var title = "API"
    var apiVersion = "0.1.0"
    var basePath = "/"
    var operations: [SpecOperation] = []
    var schemas = JSONObject()
    var securitySchemes = JSONObject()
    var warnings: [String] = []

    /// The generated folder under `root`, when `root` is (or holds) a scaffolded project.
    static func generatedFolder(in root: String) -> String? {
        for candidate in ["src/generated", "generated"] {
            let base = root + "/" + candidate
            if FileManager.default.fileExists(atPath: base + "/operations.ts"),
                FileManager.default.fileExists(atPath: base + "/schemas.ts")
            {
                return candidate
            }
        }
        return nil
    }

    init(root: String, folder: String) throws(BackendError) {
        self.folder = folder
        let base = root + "/" + folder
        let operationsText = try Self.text(base + "/operations.ts")
        let operationsFile = JavaScriptTokenizer.tokenize(operationsText)
        guard let table = Self.constant("operations", in: operationsFile.tokens)?.arrayValue else {
            throw BackendError.invalidInput(
                "\(folder)/operations.ts has no static `operations` table: was it edited by hand? Run scaffold again "
                    + "to regenerate it, or remove \(folder) to read the routes instead")
        }
        let summaries = Self.summaries(operationsFile)
        if let source = Self.source(operationsText) {
            title = source.title
            apiVersion = source.version
        }
        if let package = FileManager.default.contents(atPath: root + "/package.json")
            ?? FileManager.default.contents(atPath: root + "/../package.json"),
            let value = try? JSONParser.parse([UInt8](package)),
            let description = value["description"]?.stringValue,
            let range = description.range(of: ", scaffolded from its OpenAPI document by senior-backend")
        {
            title = String(description[..<range.lowerBound])
        }
        for (index, entry) in table.enumerated() {
            guard let method = entry["method"]?.stringValue, let path = entry["path"]?.stringValue,
                let identifier = entry["operationId"]?.stringValue
            else {
                warnings.append(
                    "\(folder)/operations.ts: operation \(index) lacks method, path or operationId; skipped")
                continue
            }
            var operation = JSONObject()
            operation["operationId"] = .string(identifier)
            if let summary = summaries[Names.pascal(identifier, fallback: "Operation")], !summary.isEmpty {
                operation["summary"] = .string(summary)
            }
            let parameters = (entry["parameters"]?.arrayValue ?? []).map(Self.parameter)
            if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
            if let body = entry["body"]?.objectValue {
                let mediaType = body["mediaType"]?.stringValue ?? "application/json"
                operation["requestBody"] = .object(
                    JSONObject([
                        "required": body["required"] ?? .bool(false),
                        "content": .object(
                            JSONObject([
                                mediaType: .object(JSONObject(["schema": Self.references(body["schema"] ?? .null)]))
                            ])),
                    ]))
            }
            let security = (entry["security"]?.arrayValue ?? []).map { alternative -> JSONValue in
                var requirement = JSONObject()
                for item in alternative.arrayValue ?? [] {
                    if let scheme = item["scheme"]?.stringValue { requirement[scheme] = item["scopes"] ?? .array([]) }
                }
                return .object(requirement)
            }
            if !security.isEmpty { operation["security"] = .array(security) }
            if let limit = entry["rateLimit"], limit.objectValue != nil { operation["x-rate-limit"] = limit }
            operation["responses"] = SpecOperation.undocumentedResponses
            let route = entry["expressPath"]?.stringValue ?? path
            operations.append(
                SpecOperation(
                    method: method, path: path, route: route, location: "\(folder)/operations.ts",
                    operation: operation))
        }
        let schemasFile = try Self.tokens(base + "/schemas.ts")
        for member in Self.constant("components", in: schemasFile)?.objectValue ?? JSONObject() {
            schemas[member.key] = Self.references(member.value)
        }
        if let securityFile = try? Self.tokens(base + "/security.ts") {
            for member in Self.constant("securitySchemes", in: securityFile)?.objectValue ?? JSONObject() {
                securitySchemes[member.key] = Self.scheme(member.value)
            }
        }
        if let adapter = try? Self.tokens(base + "/express.ts"),
            let path = Self.constant("basePath", in: adapter)?.stringValue
        {
            basePath = path
        }
    }

    static func text(_ path: String) throws(BackendError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BackendError(.notFound, "\(path) cannot be read")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func tokens(_ path: String) throws(BackendError) -> [JavaScriptToken] {
        JavaScriptTokenizer.tokenize(try text(path)).tokens
    }

    /// The static value of `export const name[: Type] = value;`.
    static func constant(_ name: String, in tokens: [JavaScriptToken]) -> JSONValue? {
        let reader = StaticValueReader(tokens: tokens)
        for index in tokens.indices.dropLast() where tokens[index].isIdentifier("const") {
            guard tokens[index + 1].isIdentifier(name) else { continue }
            var cursor = index + 2
            while cursor < tokens.count, !tokens[cursor].isPunctuator("=") {
                if tokens[cursor].isPunctuator(";") { return nil }
                cursor += 1
            }
            let start = cursor + 1
            return reader.value(start..<reader.expressionEnd(from: start))
        }
        return nil
    }

    /// Title and version from the `// Source: Title 1.0.0 (OpenAPI 3.0.0).` line.
    static func source(_ text: String) -> (title: String, version: String)? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("// Source: ") }),
            let openapi = line.range(of: " (OpenAPI ", options: .backwards)
        else { return nil }
        let words = line[line.index(line.startIndex, offsetBy: 11)..<openapi.lowerBound]
        guard let space = words.lastIndex(of: " ") else { return (String(words), "0.1.0") }
        return (String(words[..<space]), String(words[words.index(after: space)...]))
    }

    /// The first summary line of each operation by type name, from
    /// `/** GET /path: summary */` just before `export type <TypeName>Request`.
    static func summaries(_ file: JavaScriptTokenizer) -> [String: String] {
        var result: [String: String] = [:]
        let tokens = file.tokens
        for index in tokens.indices.dropFirst().dropLast() where tokens[index].isIdentifier("type") {
            guard tokens[index - 1].isIdentifier("export"), tokens[index + 1].text.hasSuffix("Request"),
                let comment = file.docComments.last(where: { $0.line < tokens[index].line }),
                comment.line == tokens[index].line - 1
            else { continue }
            var text = Substring(comment.text)
            while let first = text.first, first == "*" || first == " " { text = text.dropFirst() }
            // "GET /path: summary": the summary follows the first ": " after the path.
            guard let space = text.firstIndex(of: " "), let colon = text[space...].range(of: ": ") else { continue }
            let summary = text[colon.upperBound...].trimmingCharacters(in: .whitespaces)
            result[String(tokens[index + 1].text.dropLast("Request".count))] = summary
        }
        return result
    }

    /// A table parameter as an OpenAPI parameter; style and explode only when they differ from the defaults.
    static func parameter(_ entry: JSONValue) -> JSONValue {
        var parameter = JSONObject()
        let location = entry["in"]?.stringValue ?? "query"
        parameter["name"] = entry["name"] ?? .string("")
        parameter["in"] = .string(location)
        parameter["required"] = entry["required"] ?? .bool(false)
        let defaultStyle = location == "query" || location == "cookie" ? "form" : "simple"
        let style = entry["style"]?.stringValue ?? defaultStyle
        if style != defaultStyle { parameter["style"] = .string(style) }
        if let explode = entry["explode"]?.boolValue, explode != (style == "form") {
            parameter["explode"] = .bool(explode)
        }
        parameter["schema"] = references(entry["schema"] ?? .object(JSONObject()))
        return .object(parameter)
    }

    /// Normalised schemas name components by identifier (`{"$ref": "Pet"}`); OpenAPI wants a pointer.
    static func references(_ schema: JSONValue) -> JSONValue {
        switch schema {
        case .object(let object):
            var result = JSONObject()
            for member in object {
                if member.key == "$ref", let name = member.value.stringValue, !name.hasPrefix("#") {
                    result["$ref"] = .string("#/components/schemas/" + name)
                } else if member.key == "properties", let properties = member.value.objectValue {
                    var converted = JSONObject()
                    for property in properties { converted[property.key] = references(property.value) }
                    result["properties"] = .object(converted)
                } else if ["enum", "const"].contains(member.key) {
                    result[member.key] = member.value
                } else {
                    result[member.key] = references(member.value)
                }
            }
            return .object(result)
        case .array(let items): return .array(items.map(references))
        default: return schema
        }
    }

    /// A generated scheme entry as an OpenAPI security scheme (flows and URLs are not in the table).
    static func scheme(_ entry: JSONValue) -> JSONValue {
        var scheme = JSONObject()
        let type = entry["type"]?.stringValue ?? "apiKey"
        scheme["type"] = .string(type)
        if let location = entry["in"] { scheme["in"] = location }
        if let name = entry["name"] { scheme["name"] = name }
        if let kind = entry["scheme"] { scheme["scheme"] = kind }
        if let format = entry["bearerFormat"] { scheme["bearerFormat"] = format }
        if type == "oauth2" { scheme["flows"] = .object(JSONObject()) }
        if type == "openIdConnect" { scheme["openIdConnectUrl"] = .string("") }
        return .object(scheme)
    }
}
