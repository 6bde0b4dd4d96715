import BackendCore
import Foundation

/// An OpenAPI document read into `JSONValue`, external `$ref`s bundled in (see `SpecBundler`), with local
/// `$ref` resolution.
///
/// Why not OpenAPIKit: the generator needs the raw schema objects anyway (they are emitted as the
/// runtime validators' tables), and the subset it reads (paths, operations, parameters, bodies,
/// component schemas, security schemes, servers) is small; modelling it over `JSONValue` keeps one
/// representation for 3.0, 3.1 and 3.2 without a normalising round trip through Codable, which costs
/// time on the large specs (see the README's scaffold section for the measurement).
struct SpecDocument {
    let root: JSONValue
    let version: String
    let path: String

    /// Reads `path` (a file or an http(s) URL): `.json` through the JSON parser (libyaml rejects
    /// surrogate-pair escapes that real JSON specs hold), anything else through Yams; then bundles the
    /// files its `$ref`s name.
    static func load(path: String) throws(BackendError) -> SpecDocument {
        let location = try SpecLocation.parse(path)
        let loader = SpecLoader()
        let document = try loader.document(at: location)
        guard document.objectValue != nil else {
            throw BackendError(.invalidInput, "spec \(path) is not an object at its root")
        }
        if let swagger = document["swagger"] {
            let spelled = swagger.stringValue ?? JSONWriter.string(swagger)
            throw BackendError(
                .invalidInput,
                "spec \(path) is Swagger \(spelled), which scaffold does not read: convert it to OpenAPI 3 first "
                    + "(for example `npx swagger2openapi \(path) -o openapi.yaml`, or editor.swagger.io: "
                    + "Edit > Convert to OpenAPI 3), then run scaffold on the result.")
        }
        guard let version = document["openapi"]?.stringValue else {
            throw BackendError(.invalidInput, "spec \(path) has no `openapi` version field: is it an OpenAPI document?")
        }
        guard version.hasPrefix("3.") else {
            throw BackendError(.invalidInput, "spec \(path) is OpenAPI \(version); scaffold reads 3.0, 3.1 and 3.2")
        }
        let root = try SpecBundler.bundle(document, at: location, loader: loader)
        return SpecDocument(root: root, version: version, path: path)
    }

    /// The value a local `$ref` (`#/a/b~1c`) points to; `location` names where the `$ref` stands.
    func target(of reference: String, at location: String) throws(BackendError) -> JSONValue {
        guard reference.hasPrefix("#") else {
            throw BackendError(.invalidInput, "$ref '\(reference)' at \(location) was not bundled")
        }
        return try SpecLoader.value(at: String(reference.dropFirst()), in: root, reference: reference, at: location)
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
