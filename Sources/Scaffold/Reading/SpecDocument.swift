import BackendCore
import Foundation
import Yams

/// An OpenAPI document read into `JSONValue`, with local `$ref` resolution.
///
/// Why not OpenAPIKit: the generator needs the raw schema objects anyway (they are emitted as the
/// runtime validators' tables), and the subset it reads (paths, operations, parameters, JSON bodies,
/// component schemas, security schemes, servers) is small; modelling it over `JSONValue` keeps one
/// representation for 3.0 and 3.1 without a normalising round trip, and saves OpenAPIKit's build
/// (about a minute and several GiB of memory on the 2-core machines CI uses). Revisit when external
/// `$ref`s and full 3.0/3.1 normalisation arrive.
struct SpecDocument {
    let root: JSONValue
    let version: String
    let path: String

    /// Reads `path`: `.json` through the JSON parser (libyaml rejects surrogate-pair escapes that real
    /// JSON specs hold), anything else through Yams.
    static func load(path: String) throws(BackendError) -> SpecDocument {
        guard FileManager.default.fileExists(atPath: path) else {
            throw BackendError(.notFound, "spec \(path) does not exist")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BackendError(.invalidInput, "spec \(path) cannot be read")
        }
        let root: JSONValue
        if path.lowercased().hasSuffix(".json") {
            do {
                root = try JSONParser.parse([UInt8](data))
            } catch {
                throw BackendError(.invalidInput, "spec \(path): \(error.description)")
            }
        } else {
            let text = String(decoding: data, as: UTF8.self)
            do {
                guard let node = try Yams.compose(yaml: text) else {
                    throw BackendError(.invalidInput, "spec \(path) is empty")
                }
                root = try convert(node, at: "#")
            } catch let error as BackendError {
                throw error
            } catch {
                throw BackendError(.invalidInput, "spec \(path) is not valid YAML: \(error)")
            }
        }
        guard root.objectValue != nil else {
            throw BackendError(.invalidInput, "spec \(path) is not an object at its root")
        }
        if let swagger = root["swagger"] {
            let spelled = swagger.stringValue ?? JSONWriter.string(swagger)
            throw BackendError(
                .invalidInput,
                "spec \(path) is Swagger \(spelled), which scaffold does not read: convert it to OpenAPI 3 first "
                    + "(for example `npx swagger2openapi \(path) -o openapi.yaml`, or editor.swagger.io: "
                    + "Edit > Convert to OpenAPI 3), then run scaffold on the result.")
        }
        guard let version = root["openapi"]?.stringValue else {
            throw BackendError(.invalidInput, "spec \(path) has no `openapi` version field: is it an OpenAPI document?")
        }
        guard version.hasPrefix("3.") else {
            throw BackendError(.invalidInput, "spec \(path) is OpenAPI \(version); scaffold reads 3.0, 3.1 and 3.2")
        }
        return SpecDocument(root: root, version: version, path: path)
    }

    /// A YAML node as JSON: scalars by their resolved tag, keys always as strings.
    static func convert(_ node: Node, at location: String, depth: Int = 0) throws(BackendError) -> JSONValue {
        guard depth < 512 else {
            throw BackendError(.invalidInput, "YAML nested deeper than 512 levels at \(location)")
        }
        switch node {
        case .scalar(let scalar):
            switch node.tag.rawValue {
            case Tag.Name.null.rawValue: return .null
            case Tag.Name.bool.rawValue: return .bool(Bool.construct(from: scalar) ?? false)
            case Tag.Name.int.rawValue:
                if let value = Int.construct(from: scalar) { return .integer(value) }
                return .string(scalar.string)
            case Tag.Name.float.rawValue:
                if let value = Double.construct(from: scalar), value.isFinite { return .number(String(value)) }
                return .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping {
                let name = key.scalar?.string ?? ""
                object[name] = try convert(value, at: location + "/" + name, depth: depth + 1)
            }
            return .object(object)
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for (index, item) in sequence.enumerated() {
                items.append(try convert(item, at: "\(location)/\(index)", depth: depth + 1))
            }
            return .array(items)
        case .alias:
            throw BackendError(.invalidInput, "unresolved YAML alias at \(location)")
        }
    }

    /// The value a local `$ref` (`#/a/b~1c`) points to; `location` names where the `$ref` stands.
    func target(of reference: String, at location: String) throws(BackendError) -> JSONValue {
        guard reference.hasPrefix("#") else {
            throw BackendError(
                .invalidInput,
                "$ref '\(reference)' at \(location) points to another file; this version of scaffold resolves "
                    + "local references (#/...) only: bundle the spec into one file first")
        }
        var current = root
        let pointer = reference.dropFirst()
        if pointer.isEmpty { return root }
        for raw in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = (String(raw).removingPercentEncoding ?? String(raw))
                .replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .object(let object):
                guard let next = object[token] else {
                    throw BackendError(.invalidInput, "$ref '\(reference)' at \(location): '\(token)' does not exist")
                }
                current = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else {
                    throw BackendError(.invalidInput, "$ref '\(reference)' at \(location): '\(token)' does not exist")
                }
                current = items[index]
            default:
                throw BackendError(.invalidInput, "$ref '\(reference)' at \(location): '\(token)' does not exist")
            }
        }
        return current
    }

    /// Follows a chain of `$ref`s (a parameter, body or security scheme given by reference).
    func dereference(_ value: JSONValue, at location: String) throws(BackendError) -> JSONValue {
        var current = value
        var hops = 0
        while let reference = current["$ref"]?.stringValue {
            hops += 1
            guard hops <= 32 else { throw BackendError(.invalidInput, "$ref cycle at \(location) ('\(reference)')") }
            current = try target(of: reference, at: location)
        }
        return current
    }
}
