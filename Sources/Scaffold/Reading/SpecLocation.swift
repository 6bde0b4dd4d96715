import BackendCore
import Foundation

/// Where a spec document lives: a file (absolute, standardised path) or an http(s) URL.
enum SpecLocation: Hashable, CustomStringConvertible {
    case file(String)
    case url(URL)

    /// A spec argument as given: `http://` / `https://` are URLs, anything else a path (relative to the
    /// working directory).
    static func parse(_ text: String) throws(BackendError) -> SpecLocation {
        let lowered = text.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            guard let url = URL(string: text), url.host != nil else {
                throw BackendError.invalidInput("spec URL '\(text)' is not a valid URL")
            }
            return .url(url)
        }
        if lowered.contains("://") {
            throw BackendError.invalidInput("spec '\(text)': only local paths and http(s) URLs are read")
        }
        let absolute = text.hasPrefix("/") ? text : FileManager.default.currentDirectoryPath + "/" + text
        let path = URL(fileURLWithPath: absolute).standardizedFileURL.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            return .file(path)
        }
        // A folder is a multi-file spec: its root document has one of the conventional names.
        for name in rootNames where FileManager.default.fileExists(atPath: path + "/" + name) {
            return .file(path + "/" + name)
        }
        throw BackendError.invalidInput(
            "spec folder \(text) holds no \(rootNames.joined(separator: ", ")): give the root document's file")
    }

    /// The root document of a spec folder, in the order looked for.
    static let rootNames = ["openapi.yaml", "openapi.yml", "openapi.json"]

    /// The location a `$ref`'s file part names, relative to this document.
    func resolving(_ reference: String, at where: String) throws(BackendError) -> SpecLocation {
        let decoded = reference.removingPercentEncoding ?? reference
        let lowered = decoded.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") { return try SpecLocation.parse(decoded) }
        switch self {
        case .file(let path):
            if lowered.contains("://") {
                throw BackendError.invalidInput(
                    "$ref '\(reference)' at \(`where`): only files and http(s) URLs are read")
            }
            let folder = (path as NSString).deletingLastPathComponent
            let target = decoded.hasPrefix("/") ? decoded : folder + "/" + decoded
            return .file(URL(fileURLWithPath: target).standardizedFileURL.path)
        case .url(let base):
            guard let url = URL(string: reference, relativeTo: base)?.absoluteURL else {
                throw BackendError.invalidInput("$ref '\(reference)' at \(`where`) is not a valid relative URL")
            }
            return .url(url)
        }
    }

    /// The file name without its extension: the component name of a whole-file schema.
    var baseName: String {
        let name: String
        switch self {
        case .file(let path): name = (path as NSString).lastPathComponent
        case .url(let url): name = url.lastPathComponent
        }
        return (name as NSString).deletingPathExtension
    }

    /// `.json` documents go through the JSON parser, everything else through YAML.
    var isJSON: Bool {
        switch self {
        case .file(let path): path.lowercased().hasSuffix(".json")
        case .url(let url): url.path.lowercased().hasSuffix(".json")
        }
    }

    var description: String {
        switch self {
        case .file(let path): path
        case .url(let url): url.absoluteString
        }
    }
}
