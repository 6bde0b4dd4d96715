import BackendCore

/// Turns the files the emitter made for a `from_db` document into a CRUD project: every handler calls
/// the generated node-postgres functions instead of answering 501, and `src/generated/db.ts` (the table
/// specs and their SQL) plus `src/generated/pg-shim.d.ts` join the generated files.
///
/// It works on the `[GeneratedFile]` list only, so whichever framework emitted it, the handlers (which
/// see the framework-independent request object) stay the same.
struct CrudWriter {
    let builder: OpenAPIDocumentBuilder

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
        files.append(GeneratedFile(path: Self.shimPath, text: CrudRuntime.pgShim, kind: .generated))
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
        let path = operation.path.replacingOccurrences(of: "*/", with: "* /")
        return """
            import type { \(operation.typeName)Request } from "../generated/operations";
            import type { HandlerResult } from "../generated/runtime";
            import { \(function) } from "../generated/db";

            /**
             * \(operation.method.uppercased()) \(path): \(crud.summary.replacingOccurrences(of: "*/", with: "* /")).
             *
             * Created once by senior-backend scaffold from_db and never overwritten: this file is yours. The
             * parameterised SQL lives in ../generated/db.ts, regenerated from the database on every run; put
             * your rules (authorisation, extra checks) around the call.
             */
            export async function \(operation.identifier)(request: \(operation.typeName)Request): Promise<HandlerResult> {
              return \(call);
            }

            """
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
        return ProjectEmitter.generatedHeader
            + "// Source: PostgreSQL schema \(TypeScript.literal(.string(schema))) (senior-backend scaffold from_db).\n"
                + """
                import { Pool } from "pg";
                import { fail, type HandlerResult } from "./runtime";

                /** Rows per page when a list request gives no `limit` (the spec bounds it to 1..\(OpenAPIDocumentBuilder.maximumLimit)). */
                const defaultLimit = \(OpenAPIDocumentBuilder.defaultLimit);

                /** One entry per table with routes, keyed by its path segment. */
                export const tables: Record<string, TableSpec> = \(TypeScript.pretty(.object(tables)));

                /** The nested lists (`GET /{parent}/{key}/{child}`), keyed by `parent/child`. */
                export const relations: Record<string, RelationSpec> = \(TypeScript.pretty(.object(relations)));

                """ + CrudRuntime.runtime
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
        """

        ## From the database (`from_db`)

        Generated from PostgreSQL schema `\(builder.catalog.schema)`: `openapi.json` is the API, and every handler
        runs parameterised SQL on node-postgres (`src/generated/db.ts`).

        ```sh
        DATABASE_URL=postgresql://user@host/db PORT=3000 node dist/server.js
        # Debian: apt-get install node-pg; NODE_PATH=/usr/share/nodejs
        ```

        - Lists are keyset-paginated by key: `?limit=` (1 to \(OpenAPIDocumentBuilder.maximumLimit), default \(OpenAPIDocumentBuilder.defaultLimit)); follow `next` (or pass
          `cursor=` with `next_cursor`). Columns that lead an index are equality filters (`?status=paid`).
        - Rows carry `links`: `self`, the row each foreign key points to, and the nested lists of rows
          pointing at them (`GET /orders/{id}/order_lines`).
        - bigint and numeric are strings (no precision loss); timestamps RFC 3339; bytea base64.
        - Database refusals map to 400 (bad value, NOT NULL, CHECK) and 409 (unique, foreign key).

        """
    }
}
