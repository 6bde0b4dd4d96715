import BackendCore

/// Turns the files the emitter made for a `from_db` document into a CRUD project: every handler calls
/// the generated node-postgres functions instead of answering 501, and `src/generated/db.ts` (the table
/// specs and their SQL) plus `src/generated/pg-shim.d.ts` join the generated files.
///
/// It works on the `[GeneratedFile]` list only, so whichever framework emitted it, the handlers (which
/// see the framework-independent request object) stay the same. The text comes from the `database/`
/// templates. Every statement uses `$1..$n` parameters; identifiers come only from the generated table
/// specs (quoted when generated), never from a request. Lists are keyset-paginated: rows in key order,
/// the cursor is the last row's key (base64url JSON), and the next page starts after it with a row
/// comparison `(k1, k2) > ($1, $2)`, which the primary key's index serves.
struct CrudWriter {
    let builder: OpenAPIDocumentBuilder
    let templates: TemplateSet

    static let databasePath = "src/generated/db.ts"
    static let shimPath = "src/generated/pg-shim.d.ts"

    func files(model: APIModel, emitted: [GeneratedFile]) throws(BackendError) -> [GeneratedFile] {
        var files = emitted
        for operation in model.operations {
            guard
                let crud = builder.operations.first(where: {
                    $0.method == operation.method && $0.path == operation.path
                }),
                let index = files.firstIndex(where: { $0.path == "src/handlers/\(operation.identifier).ts" })
            else {
                throw BackendError(
                    .failed, "from_db: no CRUD operation or handler file for \(operation.method) \(operation.path)")
            }
            files[index].text = handlerFile(operation, crud)
        }
        for index in files.indices {
            switch files[index].path {
            case "package.json": files[index].text = try packageFile(files[index].text)
            case "README.md": files[index].text += readmeSection()
            default: break
            }
        }
        files.append(
            GeneratedFile(
                path: Self.shimPath, text: templates.render("database/pg-shim.d.ts.mustache", [:]), kind: .generated))
        files.append(GeneratedFile(path: Self.databasePath, text: databaseFile(), kind: .generated))
        return files
    }

    func handlerFile(_ operation: APIModel.Operation, _ crud: OpenAPIDocumentBuilder.Operation) -> String {
        let table = TypeScript.literal(.string(crud.resource))
        let (function, call): (String, String) =
            switch crud.kind {
            case .list: ("listRows", "listRows(\(table), request)")
            case .listChildren(let parent, let link):
                (
                    "listRows, relations",
                    "listRows(\(table), request, relations[\(TypeScript.literal(.string("\(parent)/\(link)")))])"
                )
            case .create: ("createRow", "createRow(\(table), request)")
            case .get: ("getRow", "getRow(\(table), request)")
            case .update: ("updateRow", "updateRow(\(table), request)")
            case .delete: ("deleteRow", "deleteRow(\(table), request)")
            }
        let context: [String: Any] = [
            "typeName": operation.typeName, "imports": function, "method": operation.method.uppercased(),
            "path": operation.path.replacingOccurrences(of: "*/", with: "* /"),
            "summary": crud.summary.replacingOccurrences(of: "*/", with: "* /"), "identifier": operation.identifier,
            "call": call,
        ]
        return templates.render("database/crud-handler.ts.mustache", context)
    }

    func tableSpec(_ resource: OpenAPIDocumentBuilder.Resource) -> JSONValue {
        var columns = JSONObject()
        var selectList: [String] = []
        for column in resource.table.columns {
            let mapping = resource.mappings[column.name]!
            let quoted = SQLIdentifier.quoted(column.name)
            selectList.append(mapping.selectItem(quotedName: quoted))
            columns[column.name] = .object(
                JSONObject([
                    "sql": .string(quoted), "input": .string(mapping.inputExpression), "json": .bool(mapping.sendsJSON),
                    "param": .string(resource.parameters[column.name]!),
                ]))
        }
        let relation = SQLIdentifier.quoted(builder.catalog.schema) + "." + SQLIdentifier.quoted(resource.table.name)
        return .object(
            JSONObject([
                "relation": .string(relation), "select": .string(selectList.joined(separator: ", ")),
                "path": .string(resource.path), "links": .string(resource.linksProperty),
                "key": .array(resource.key.map(JSONValue.string)),
                "columns": .object(columns), "filters": .array(resource.filters.map(JSONValue.string)),
                "parents": .array(
                    resource.parents.map { link in
                        .object(
                            JSONObject([
                                "name": .string(link.name), "table": .string(link.parent),
                                "columns": .array(link.columns.map(JSONValue.string)),
                            ]))
                    }),
                "children": .array(resource.children.map { .string($0.name) }),
            ]))
    }

    func databaseFile() -> String {
        var tables = JSONObject()
        var relations = JSONObject()
        for resource in builder.resources {
            tables[resource.slug] = tableSpec(resource)
            for link in resource.children {
                relations["\(resource.slug)/\(link.name)"] = .object(
                    JSONObject([
                        "parent": .string(resource.slug), "name": .string(link.name),
                        "columns": .array(
                            link.columns.map { pair in
                                .object(JSONObject(["parent": .string(pair.parent), "child": .string(pair.child)]))
                            }),
                    ]))
            }
        }
        let schema = builder.catalog.schema.replacingOccurrences(of: "\n", with: " ")
        let context: [String: Any] = [
            "schema": TypeScript.literal(.string(schema)), "maximumLimit": OpenAPIDocumentBuilder.maximumLimit,
            "defaultLimit": OpenAPIDocumentBuilder.defaultLimit, "tables": TypeScript.pretty(.object(tables)),
            "relations": TypeScript.pretty(.object(relations)),
        ]
        return templates.render("database/db.ts.mustache", context)
    }

    /// The emitter's package.json with node-postgres (current major 8) and its types added.
    func packageFile(_ text: String) throws(BackendError) -> String {
        guard case .object(var object) = try? JSONParser.parse(Array(text.utf8)) else {
            throw BackendError(.failed, "from_db: the emitted package.json is not an object")
        }
        var dependencies = object["dependencies"]?.objectValue ?? JSONObject()
        dependencies["pg"] = .string("^8.13.1")
        object["dependencies"] = .object(dependencies)
        var development = object["devDependencies"]?.objectValue ?? JSONObject()
        development["@types/pg"] = .string("^8.11.10")
        object["devDependencies"] = .object(development)
        object["description"] = .string(
            "CRUD API over PostgreSQL schema \(builder.catalog.schema), scaffolded by senior-backend from_db")
        return TypeScript.pretty(.object(object), quoteKeys: true) + "\n"
    }

    func readmeSection() -> String {
        templates.render(
            "database/database-README.md.mustache",
            [
                "schema": builder.catalog.schema, "maximumLimit": OpenAPIDocumentBuilder.maximumLimit,
                "defaultLimit": OpenAPIDocumentBuilder.defaultLimit,
            ])
    }
}
