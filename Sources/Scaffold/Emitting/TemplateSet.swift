import BackendCore
import Foundation
import Mustache

/// The mustache templates of the generated project: ours, compiled into the binary, with a user's folder
/// (`templates`) overriding any of them by its path relative to `Sources/Scaffold/Templates`.
///
/// Every template renders as plain text (no HTML escaping): `{{x}}` and `{{{x}}}` both insert `x` as it is.
struct TemplateSet {
    /// Template path -> text, as shipped (`common/runtime.ts.mustache`, `express/express-app.ts.mustache`, ...).
    /// File names are unique across folders because SwiftPM names embedded resources by file name alone.
    static let builtIn: [String: [UInt8]] = [
        "common/auth.ts.mustache": PackageResources.auth_ts_mustache,
        "common/forms.ts.mustache": PackageResources.forms_ts_mustache,
        "common/handler-registry.ts.mustache": PackageResources.handler_registry_ts_mustache,
        "common/handler.ts.mustache": PackageResources.handler_ts_mustache,
        "common/hardening.ts.mustache": PackageResources.hardening_ts_mustache,
        "common/node-shim.d.ts.mustache": PackageResources.node_shim_d_ts_mustache,
        "common/operations.ts.mustache": PackageResources.operations_ts_mustache,
        "common/runtime.ts.mustache": PackageResources.runtime_ts_mustache,
        "common/schemas.ts.mustache": PackageResources.schemas_ts_mustache,
        "common/security.ts.mustache": PackageResources.security_ts_mustache,
        "common/tsconfig.json.mustache": PackageResources.tsconfig_json_mustache,
        "common/types.ts.mustache": PackageResources.types_ts_mustache,
        "common/validation.ts.mustache": PackageResources.validation_ts_mustache,
        "database/crud-handler.ts.mustache": PackageResources.crud_handler_ts_mustache,
        "database/database-README.md.mustache": PackageResources.database_README_md_mustache,
        "database/db.ts.mustache": PackageResources.db_ts_mustache,
        "database/pg-shim.d.ts.mustache": PackageResources.pg_shim_d_ts_mustache,
        "express/express-README.md.mustache": PackageResources.express_README_md_mustache,
        "express/express-app.ts.mustache": PackageResources.express_app_ts_mustache,
        "express/express-package.json.mustache": PackageResources.express_package_json_mustache,
        "express/express-server.ts.mustache": PackageResources.express_server_ts_mustache,
        "express/express-shim.d.ts.mustache": PackageResources.express_shim_d_ts_mustache,
        "express/express.ts.mustache": PackageResources.express_ts_mustache,
        "fastify/fastify-README.md.mustache": PackageResources.fastify_README_md_mustache,
        "fastify/fastify-app.ts.mustache": PackageResources.fastify_app_ts_mustache,
        "fastify/fastify-package.json.mustache": PackageResources.fastify_package_json_mustache,
        "fastify/fastify-server.ts.mustache": PackageResources.fastify_server_ts_mustache,
        "fastify/fastify.ts.mustache": PackageResources.fastify_ts_mustache,
        "koa/koa-README.md.mustache": PackageResources.koa_README_md_mustache,
        "koa/koa-app.ts.mustache": PackageResources.koa_app_ts_mustache,
        "koa/koa-package.json.mustache": PackageResources.koa_package_json_mustache,
        "koa/koa-server.ts.mustache": PackageResources.koa_server_ts_mustache,
        "koa/koa.ts.mustache": PackageResources.koa_ts_mustache,
    ]

    /// Turns off mustache's HTML escaping; on a line of its own, so it takes no room in the output.
    static let textPragma = "{{% CONTENT_TYPE: TEXT}}\n"

    private let templates: [String: MustacheTemplate]
    /// Files of the user's folder that name no template of ours (probably misspelt).
    let unusedOverrides: [String]

    /// Ours only.
    static func builtInOnly() throws(BackendError) -> TemplateSet { try TemplateSet(overrides: nil) }

    /// Ours, with the `.mustache` files of `folder` (when given) in place of the ones they name.
    init(overrides folder: String?) throws(BackendError) {
        var texts: [String: (text: String, origin: String)] = [:]
        for (path, bytes) in Self.builtIn {
            texts[path] = (String(decoding: bytes, as: UTF8.self), "built-in template \(path)")
        }
        var unused: [String] = []
        if let folder {
            let root = try Self.templateFolder(folder)
            for (relative, text) in try Self.overrideFiles(in: root) {
                if texts[relative] == nil {
                    unused.append(relative)
                } else {
                    texts[relative] = (text, "template \(root)/\(relative)")
                }
            }
        }
        var templates: [String: MustacheTemplate] = [:]
        for (path, source) in texts {
            templates[path] = try Self.parse(source.text, origin: source.origin)
        }
        self.templates = templates
        unusedOverrides = unused.sorted()
    }

    /// Renders `path` with `context`; every path we ask for exists (a test renders them all).
    func render(_ path: String, _ context: [String: Any]) -> String {
        templates[path]?.render(context) ?? ""
    }

    static func parse(_ text: String, origin: String) throws(BackendError) -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: textPragma + text)
        } catch let error as MustacheTemplate.ParserError {
            // The pragma takes the first line: count lines as the file does.
            let line = max(1, error.context.lineNumber - 1)
            throw BackendError(
                .invalidInput,
                "\(origin): mustache error at line \(line), column \(error.context.columnNumber): \(error.error) "
                    + "(near `\(error.context.line.trimmingCharacters(in: .whitespaces).prefix(80))`)")
        } catch {
            throw BackendError(.invalidInput, "\(origin): mustache error: \(error)")
        }
    }

    /// The user's folder, absolute and standardised; `..` steps are refused as for `output`.
    static func templateFolder(_ raw: String) throws(BackendError) -> String {
        let path = try ProjectWriter.userPath(
            raw, field: "templates", what: "folder", ifEmpty: "give a folder of .mustache files")
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw BackendError(.notFound, "templates folder \(path) does not exist or is not a folder")
        }
        return path
    }

    /// Relative path -> text of every `.mustache` file under `root`; a file (or link) leading outside is refused.
    static func overrideFiles(in root: String) throws(BackendError) -> [(String, String)] {
        let manager = FileManager.default
        let resolvedRoot = (root as NSString).resolvingSymlinksInPath
        guard let enumerator = manager.enumerator(atPath: root) else { return [] }
        var files: [(String, String)] = []
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".mustache") else { continue }
            let path = root + "/" + relative
            let resolved = (path as NSString).resolvingSymlinksInPath
            guard resolved.hasPrefix(resolvedRoot + "/"), !relative.split(separator: "/").contains("..") else {
                throw BackendError(
                    .refused, "template \(relative) leads outside \(root) (symbolic link): copy the file in instead")
            }
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: resolved, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            guard let data = manager.contents(atPath: resolved) else {
                throw BackendError(.failed, "cannot read template \(path)")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw BackendError(.invalidInput, "template \(path) is not UTF-8 text")
            }
            files.append((relative, text))
        }
        return files
    }
}
