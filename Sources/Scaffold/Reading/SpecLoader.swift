import BackendCore
import Foundation
import Yams

/// Reads spec documents (the root and every file an external `$ref` names) once each, as `JSONValue`.
final class SpecLoader {
    /// Larger documents are refused before parsing: the largest public specs are under 20 MB.
    static let maxBytes = 128 << 20
    static let fetchTimeout: TimeInterval = 30

    private var documents: [SpecLocation: JSONValue] = [:]

    /// The parsed document at `location`; `reference` and `where` name the `$ref` that led here, for errors.
    func document(
        at location: SpecLocation, reference: String? = nil, at where: String? = nil
    )
        throws(BackendError) -> JSONValue
    {
        if let cached = documents[location] { return cached }
        let origin = reference.map { "$ref '\($0)' at \(`where` ?? "#")" } ?? "spec"
        let bytes = try read(location, origin: origin)
        let value: JSONValue
        if location.isJSON {
            do {
                value = try JSONParser.parse(bytes)
            } catch {
                throw BackendError(.invalidInput, "\(origin): \(location) is not valid JSON: \(error.description)")
            }
        } else {
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                guard let node = try Yams.compose(yaml: text, .basic) else {
                    throw BackendError(.invalidInput, "\(origin): \(location) is empty")
                }
                value = try SpecLoader.convert(node, at: "#")
            } catch let error as BackendError {
                throw error
            } catch {
                throw BackendError(.invalidInput, "\(origin): \(location) is not valid YAML: \(error)")
            }
        }
        documents[location] = value
        return value
    }

    /// The value a JSON pointer (`/a/b~1c`, percent-encoded or not) names inside `document`.
    static func value(
        at pointer: String, in document: JSONValue, reference: String, at where: String
    )
        throws(BackendError) -> JSONValue
    {
        var current = document
        if pointer.isEmpty { return current }
        guard pointer.hasPrefix("/") else {
            throw BackendError(.invalidInput, "$ref '\(reference)' at \(`where`): '#\(pointer)' is not a JSON pointer")
        }
        var walked = ""
        for raw in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = (String(raw).removingPercentEncoding ?? String(raw))
                .replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .object(let object) where object[token] != nil:
                current = object[token]!
            case .array(let items) where Int(token).map(items.indices.contains) == true:
                current = items[Int(token)!]
            default:
                let parent = walked.isEmpty ? "at the top of the document" : "under '#\(walked)'"
                throw BackendError(
                    .invalidInput, "$ref '\(reference)' at \(`where`): '\(token)' does not exist \(parent)")
            }
            walked += "/" + raw
        }
        return current
    }

    private func read(_ location: SpecLocation, origin: String) throws(BackendError) -> [UInt8] {
        switch location {
        case .file(let path):
            // An external $ref may point anywhere: an agent call reads only inside its roots.
            try FileAccess.checkRead(path, origin)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw BackendError(.notFound, "\(origin): \(path) does not exist")
            }
            guard !isFolder.boolValue else {
                throw BackendError(.invalidInput, "\(origin): \(path) is a folder; give the OpenAPI document's file")
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            guard size <= SpecLoader.maxBytes else {
                throw BackendError(.invalidInput, "\(origin): \(path) is larger than \(SpecLoader.maxBytes >> 20) MiB")
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw BackendError(.invalidInput, "\(origin): \(path) cannot be read")
            }
            return [UInt8](data)
        case .url(let url):
            return try HTTPFetcher.get(
                url, accept: "application/yaml, application/json;q=0.9, */*;q=0.5", maxBytes: SpecLoader.maxBytes,
                timeout: SpecLoader.fetchTimeout, origin: origin)
        }
    }

    /// A plain (unquoted) scalar typed as Yams' default resolver types it (null, bool, int, float), by
    /// hand: the resolver's seven regular expressions per scalar were half of the load time of large specs.
    static func plainValue(_ text: String) -> JSONValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return .bool(true)
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return .bool(false)
        default: break
        }
        guard let first = text.utf8.first,
            first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { return .string(text) }
        let scalar = Node.Scalar(text)
        switch Resolver.default.resolveTag(of: Node.scalar(scalar)).rawValue {
        case Tag.Name.int.rawValue:
            if let value = integer(scalar) { return value }
        case Tag.Name.float.rawValue:
            if let value = Double.construct(from: scalar), value.isFinite { return .number(String(value)) }
        default: break
        }
        return .string(text)
    }

    /// An integer scalar as a JSON number. One beyond `Int` (a uint64 bound, 18446744073709551615) keeps
    /// its decimal digits, since `JSONValue` numbers are text; the emitter writes them as written.
    static func integer(_ scalar: Node.Scalar) -> JSONValue? {
        if let value = Int.construct(from: scalar) { return .integer(value) }
        var digits = Substring(scalar.string)
        let negative = digits.first == "-"
        if negative || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            // Other spellings (hexadecimal, octal, `1_000`) this large are read as the nearest double.
            return Double.construct(from: scalar).flatMap { $0.isFinite ? .number(String($0)) : nil }
        }
        let significant = digits.drop { $0 == "0" }
        return .number((negative ? "-" : "") + (significant.isEmpty ? "0" : String(significant)))
    }

    /// A YAML node as JSON: scalars by their resolved tag, keys always as strings.
    static func convert(_ node: Node, at location: String, depth: Int = 0) throws(BackendError) -> JSONValue {
        guard depth < 512 else {
            throw BackendError(.invalidInput, "YAML nested deeper than 512 levels at \(location)")
        }
        switch node {
        case .scalar(let scalar):
            let tag = node.tag.rawValue
            if scalar.style == .plain && tag == Tag.Name.str.rawValue { return plainValue(scalar.string) }
            switch tag {
            case Tag.Name.null.rawValue: return .null
            case Tag.Name.bool.rawValue: return .bool(Bool.construct(from: scalar) ?? false)
            case Tag.Name.int.rawValue:
                return integer(scalar) ?? .string(scalar.string)
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
}
