import BackendCore

/// One file of the generated project, its path relative to the output folder.
struct GeneratedFile: Equatable {
    enum Kind: Equatable {
        /// Under `src/generated/`: rewritten on every run, listed in the manifest.
        case generated
        /// Created when missing and never overwritten (handlers, `src/app.ts`, `package.json`, ...).
        case createOnce
    }

    var path: String
    var text: String
    var kind: Kind
}

/// Writes the TypeScript project for an `APIModel` from the mustache templates. Pure: same model and
/// templates, same bytes.
///
/// The file structure and all fixed text live in the templates; Swift computes the render context,
/// including the large derived blocks (TypeScript types, the schema and operation tables as literals).
///
/// Validation is table-driven: the spec's schemas are emitted as data (`schemas.ts`, `operations.ts`)
/// and one small validator (`validation.ts`) interprets them. Chosen over a validation library (ajv, zod)
/// because the Express project must compile and run with nothing but Debian's `node-typescript` and
/// `node-express`, and over one generated function per schema because recursive schemas then need no
/// special handling and the output stays small for large specs.
struct ProjectEmitter {
    let model: APIModel
    let errorFormat: String
    let framework: Framework
    let templates: TemplateSet

    static let manifestPath = "src/generated/manifest.json"

    func files() -> [GeneratedFile] {
        let context = projectContext()
        func generated(_ name: String, _ template: String) -> GeneratedFile {
            .init(path: "src/generated/\(name)", text: templates.render(template, context), kind: .generated)
        }
        func createOnce(_ path: String, _ template: String) -> GeneratedFile {
            .init(path: path, text: templates.render(template, context), kind: .createOnce)
        }
        let own = framework.templateFolder + "/" + framework.rawValue
        var files: [GeneratedFile] = []
        if framework == .express { files.append(generated("express-shim.d.ts", "express/express-shim.d.ts.mustache")) }
        files += [
            generated("runtime.ts", "common/runtime.ts.mustache"),
            generated("validation.ts", "common/validation.ts.mustache"),
            generated("types.ts", "common/types.ts.mustache"),
            generated("schemas.ts", "common/schemas.ts.mustache"),
            generated("operations.ts", "common/operations.ts.mustache"),
            generated("security.ts", "common/security.ts.mustache"),
            generated("\(framework.rawValue).ts", "\(own).ts.mustache"),
            generated("handler-registry.ts", "common/handler-registry.ts.mustache"),
        ]
        for operation in model.operations {
            let text = templates.render("common/handler.ts.mustache", operationContext(operation))
            files.append(.init(path: handlerPath(operation), text: text, kind: .createOnce))
        }
        files += [
            createOnce("src/app.ts", "\(own)-app.ts.mustache"),
            createOnce("src/server.ts", "\(own)-server.ts.mustache"),
            createOnce("package.json", "\(own)-package.json.mustache"),
            createOnce("tsconfig.json", "common/tsconfig.json.mustache"),
            createOnce("README.md", "\(own)-README.md.mustache"),
        ]
        return files
    }

    func handlerPath(_ operation: APIModel.Operation) -> String { "src/handlers/\(operation.identifier).ts" }

    /// Text safe inside a `//` or `/* */` comment.
    func comment(_ text: String) -> String {
        text.replacingOccurrences(of: "*/", with: "* /").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
    }

    func projectContext() -> [String: Any] {
        let words = Names.words(model.title).map { $0.lowercased() }
        let packageName = words.isEmpty ? "api" : words.joined(separator: "-")
        let basePath = model.basePath.isEmpty ? "/" : model.basePath
        var context: [String: Any] = [
            "title": comment(model.title),
            "apiVersion": comment(model.apiVersion),
            "openapiVersion": comment(model.version),
            "rawTitle": model.title,
            "rawOpenapiVersion": model.version,
            "frameworkName": framework.displayName,
            "basePath": basePath,
            "basePathLiteral": TypeScript.literal(.string(basePath)),
            "errorFormatLiteral": TypeScript.literal(.string(errorFormat)),
            "packageNameLiteral": TypeScript.literal(.string(String(packageName.prefix(100)))),
            "packageDescriptionLiteral": TypeScript.literal(
                .string("\(model.title), scaffolded from its OpenAPI document by senior-backend")),
            "requestImport": framework.requestImport,
            "rawType": framework.rawType,
            "securityRequestType": framework == .express ? framework.rawType : "RequestView",
            "requestView": framework != .express,
            "hasRoute": framework != .express,
            "hasSchemas": !model.schemas.isEmpty,
            "schemas": model.schemas.map { entry -> [String: Any] in
                ["identifier": entry.identifier, "type": TypeScript.type(entry.schema, prefix: "")]
            },
            "components": componentsLiteral(),
            "operations": model.operations.map(operationContext),
            "operationTable": TypeScript.pretty(.array(model.operations.map(operationValue))),
            "hasSecuritySchemes": !model.securitySchemes.isEmpty,
            "securitySchemes": model.securitySchemes.map { scheme -> [String: Any] in
                ["name": scheme.name, "nameLiteral": TypeScript.literal(.string(scheme.name))]
            },
        ]
        let names = model.securitySchemes.map { TypeScript.literal(.string($0.name)) }
        context["schemeNames"] = names.isEmpty ? "never" : names.joined(separator: " | ")
        context["schemeTable"] = schemeTable()
        return context
    }

    func operationContext(_ operation: APIModel.Operation) -> [String: Any] {
        [
            "identifier": operation.identifier,
            "identifierLiteral": TypeScript.literal(.string(operation.identifier)),
            "typeName": operation.typeName,
            "method": operation.method,
            "methodUpper": operation.method.uppercased(),
            "pathComment": comment(operation.path),
            "summarySuffix": operation.summary.isEmpty ? "" : ": \(comment(operation.summary))",
            "requestType": requestType(operation),
        ]
    }

    func componentsLiteral() -> String {
        var object = JSONObject()
        for (identifier, schema) in model.schemas { object[identifier] = schema }
        return TypeScript.pretty(.object(object))
    }

    func schemeTable() -> String {
        var table = JSONObject()
        for scheme in model.securitySchemes {
            var value = JSONObject()
            value["type"] = .string(scheme.type)
            if let location = scheme.location { value["in"] = .string(location) }
            if let name = scheme.parameterName { value["name"] = .string(name) }
            if let kind = scheme.scheme { value["scheme"] = .string(kind) }
            table[scheme.name] = .object(value)
        }
        return TypeScript.pretty(.object(table))
    }

    /// The request type of one operation: its parameters by location, its body, and the raw request.
    func requestType(_ operation: APIModel.Operation) -> String {
        func group(_ location: String) -> String {
            let parameters = operation.parameters.filter { $0.location == location }
            if parameters.isEmpty { return "Record<string, never>" }
            let members = parameters.map { parameter in
                let optional = parameter.required ? "" : "?"
                let type = TypeScript.type(parameter.schema, prefix: "Types.", indent: "    ")
                return "    \(Names.propertyKey(parameter.name))\(optional): \(type);"
            }
            return "{\n" + members.joined(separator: "\n") + "\n  }"
        }
        var body = "undefined"
        if let requestBody = operation.body {
            body = TypeScript.type(requestBody.schema, prefix: "Types.", indent: "  ")
            if !requestBody.required { body = TypeScript.wrap(body) + " | undefined" }
        }
        return """
            {
              path: \(group("path"));
              query: \(group("query"));
              headers: \(group("header"));
              cookies: \(group("cookie"));
              body: \(body);
              /** What the security hook returned for this request (null when the operation is open). */
              auth: unknown;
              requestId: string;
              raw: \(framework.rawType);
            }
            """
    }

    func operationValue(_ operation: APIModel.Operation) -> JSONValue {
        var object = JSONObject()
        object["operationId"] = .string(operation.identifier)
        object["method"] = .string(operation.method)
        object["path"] = .string(operation.path)
        object["expressPath"] = .string(operation.expressPath)
        if framework != .express { object["route"] = .string(framework.route(operation)) }
        object["parameters"] = .array(
            operation.parameters.map { parameter in
                var value = JSONObject()
                value["name"] = .string(parameter.name)
                value["in"] = .string(parameter.location)
                value["key"] = .string(parameter.key)
                value["required"] = .bool(parameter.required)
                value["style"] = .string(parameter.style)
                value["explode"] = .bool(parameter.explode)
                value["schema"] = parameter.schema
                return .object(value)
            })
        if let body = operation.body {
            object["body"] = .object(
                JSONObject([
                    "required": .bool(body.required), "mediaType": .string(body.mediaType), "schema": body.schema,
                ]))
        } else {
            object["body"] = .null
        }
        object["security"] = .array(
            operation.security.map { alternative in
                .array(
                    alternative.map { requirement in
                        .object(
                            JSONObject([
                                "scheme": .string(requirement.scheme),
                                "scopes": .array(requirement.scopes.map(JSONValue.string)),
                            ]))
                    })
            })
        return .object(object)
    }
}
