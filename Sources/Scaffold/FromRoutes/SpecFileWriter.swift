import BackendCore
import Foundation
import Yams

/// Writes the generated OpenAPI document: `.yaml`/`.yml` as YAML, `.json` as JSON, nowhere else.
struct SpecFileWriter {
    enum Format {
        case yaml
        case json
    }

    /// Absolute, standardised path of the spec file.
    let path: String
    let format: Format

    /// Checks the `output` of a generate_spec run: a `.yaml`, `.yml` or `.json` file, without `..`.
    init(output raw: String) throws(BackendError) {
        let absolute = try ProjectWriter.userPath(
            raw, field: "output", what: "file path",
            ifEmpty: "give the spec file to write (openapi.yaml or openapi.json)")
        let lower = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            format = .yaml
        } else if lower.hasSuffix(".json") {
            format = .json
        } else {
            throw BackendError.invalidInput(
                "output '\(raw)': with generate_spec the output is the spec file to write; name it .yaml, .yml "
                    + "(YAML) or .json (JSON)")
        }
        path = absolute
    }

    var folder: String { (path as NSString).deletingLastPathComponent }
    var name: String { (path as NSString).lastPathComponent }

    func text(_ document: JSONValue) throws(BackendError) -> String {
        switch format {
        case .json:
            return TypeScript.pretty(document, quoteKeys: true) + "\n"
        case .yaml:
            do {
                return try Yams.serialize(node: Self.node(document), indent: 2, width: -1, allowUnicode: true)
            } catch {
                throw BackendError(.failed, "cannot write the spec as YAML: \(error)")
            }
        }
    }

    /// A JSON value as a YAML node; strings that would read back as another type are quoted.
    static func node(_ value: JSONValue) -> Node {
        switch value {
        case .null: return .scalar(.init("null", Tag(.null)))
        case .bool(let flag): return .scalar(.init(flag ? "true" : "false", Tag(.bool)))
        case .number(let text): return .scalar(.init(text))
        case .string(let text): return .scalar(text.represented())
        case .array(let items): return .sequence(.init(items.map(node)))
        case .object(let object):
            return .mapping(.init(object.map { (Node.scalar(String($0.key).represented()), node($0.value)) }))
        }
    }

    /// What writing `text` would do: `created`, `updated` or `unchanged`.
    func action(for text: String) throws(BackendError) -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return "created" }
        if isFolder.boolValue {
            throw BackendError(.refused, "output \(path) is a folder; give the spec file to write (openapi.yaml)")
        }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            attributes[.type] as? FileAttributeType == .typeSymbolicLink
        {
            throw BackendError(.refused, "refusing to write \(path): it is a symbolic link")
        }
        let existing = FileManager.default.contents(atPath: path).map { [UInt8]($0) }
        return existing == Array(text.utf8) ? "unchanged" : "updated"
    }

    func write(_ text: String) throws(BackendError) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw BackendError(.failed, "cannot write \(path): \(error.localizedDescription)")
        }
    }
}
