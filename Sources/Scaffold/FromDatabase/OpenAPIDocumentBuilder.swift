import BackendCore
import Foundation

/// A database schema as REST resources and their OpenAPI 3.1 document.
///
/// One resource per table that has a key (primary key, else a NOT NULL unique constraint):
/// `GET/POST /{table}` (list with keyset pagination and equality filters on index-leading columns,
/// create) and `GET/PATCH/DELETE /{table}/{key...}` (composite keys are several path parameters).
/// Foreign keys become links: every row carries `links` (`self`, the row each foreign key points to,
/// the nested list of rows pointing at it), and each such nested list is an operation,
/// `GET /{parent}/{key...}/{child}`.
struct OpenAPIDocumentBuilder {
    struct Resource {
        var table: DatabaseCatalog.Table
        /// The path segment and the key of the resource in `db.ts` (ASCII, unique).
        var slug: String
        var typeName: String
        var createTypeName: String
        var updateTypeName: String
        var pageTypeName: String
        var key: [String]
        /// Column name -> parameter name (paths and queries): ASCII identifiers, unique per table.
        var parameters: [String: String]
        var mappings: [String: ColumnMapping]
        var filters: [String]
        var parents: [ParentLink] = []
        var children: [ChildLink] = []

        var path: String { "/\(slug)" }
        /// `links`, or `_links` (`__links`, ...) when a column already has the name.
        var linksProperty: String {
            var name = "links"
            while table.column(name) != nil { name = "_" + name }
            return name
        }
        var itemPath: String { path + key.map { "/{\(parameters[$0]!)}" }.joined() }
        var writable: [DatabaseCatalog.Column] { table.columns.filter { !$0.isReadOnly } }
        var updatable: [DatabaseCatalog.Column] { writable.filter { !key.contains($0.name) } }
    }

    /// A foreign key seen from the row that holds it: `links.<name>` is the referenced row.
    struct ParentLink {
        var name: String
        var parent: String
        /// The child's columns in the order of the parent's key.
        var columns: [String]
    }

    /// A foreign key seen from the referenced row: `links.<name>` lists the rows pointing at it.
    struct ChildLink {
        var name: String
        var child: String
        /// Parent key column -> child column.
        var columns: [(parent: String, child: String)]
        /// `/{parent}/{key...}/{name}`.
        var path: String
    }

    enum Kind: Equatable {
        case list, create, get, update, delete
        case listChildren(parent: String, link: String)
    }

    struct Operation {
        var identifier: String
        var method: String
        var path: String
        var resource: String
        var kind: Kind
        var summary: String
    }

    static let defaultLimit = 50
    static let maximumLimit = 200

    let catalog: DatabaseCatalog
    private(set) var resources: [Resource] = []
    private(set) var operations: [Operation] = []
    private(set) var warnings: [String] = []

    init(catalog: DatabaseCatalog) {
        self.catalog = catalog
        var slugs = Names.Uniquer()
        var typeNames = Names.Uniquer()
        for reserved in ["Types", "JsonSchema", "Error"] { _ = typeNames.claim(reserved) }
        for table in catalog.tables {
            let key = table.key
            guard !key.isEmpty else {
                warnings.append(
                    "table \(SQLIdentifier.quoted(table.name)) has no primary key or NOT NULL unique constraint: "
                        + "no routes (add a primary key to address its rows)")
                continue
            }
            let slug = slugs.claim(Self.slug(table.name))
            let typeName = typeNames.claim(Names.pascal(slug, fallback: "Table"))
            var parameterNames = Names.Uniquer()
            for reserved in ["limit", "cursor"] { _ = parameterNames.claim(reserved) }
            var parameters: [String: String] = [:]
            var mappings: [String: ColumnMapping] = [:]
            for column in table.columns {
                parameters[column.name] = parameterNames.claim(Self.parameterName(column.name))
                mappings[column.name] = ColumnMapping(column)
            }
            let filters = table.columns.map(\.name).filter {
                table.indexLeadingColumns.contains($0) && mappings[$0]!.isScalar
            }
            resources.append(
                Resource(
                    table: table, slug: slug, typeName: typeName, createTypeName: typeNames.claim(typeName + "Create"),
                    updateTypeName: typeNames.claim(typeName + "Update"),
                    pageTypeName: typeNames.claim(typeName + "Page"),
                    key: key, parameters: parameters, mappings: mappings, filters: filters))
        }
        linkForeignKeys()
        listOperations()
    }

    /// `order_lines` stays; `Ünïcode Table!` becomes `unicode_table`; nothing but `[a-z0-9_]` survives.
    static func slug(_ name: String) -> String {
        let plain = name.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_"
        }
        if plain && !name.isEmpty { return name }
        let folded = name.folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
        let words = Names.words(folded).map { $0.lowercased() }
        return words.isEmpty ? "table" : words.joined(separator: "_")
    }

    /// A column name as a path/query parameter: kept when it is a plain identifier, else its slug.
    static func parameterName(_ name: String) -> String {
        Names.isPlainIdentifier(name) ? name : Self.slug(name)
    }

    private mutating func linkForeignKeys() {
        let index = Dictionary(uniqueKeysWithValues: resources.enumerated().map { ($0.element.table.name, $0.offset) })
        for childIndex in resources.indices {
            var names = Names.Uniquer()
            _ = names.claim("self")
            let table = resources[childIndex].table
            for foreignKey in table.foreignKeys {
                guard foreignKey.referencedSchema == catalog.schema, let parentIndex = index[foreignKey.referencedTable]
                else {
                    warnings.append(
                        "foreign key \(foreignKey.name) of \(table.name) points outside schema \(catalog.schema) "
                            + "or to a table without routes: no link")
                    continue
                }
                let parentKey = resources[parentIndex].key
                guard Set(foreignKey.referencedColumns) == Set(parentKey),
                    foreignKey.referencedColumns.count == parentKey.count
                else {
                    warnings.append(
                        "foreign key \(foreignKey.name) of \(table.name) references columns other than the key of "
                            + "\(foreignKey.referencedTable): no link")
                    continue
                }
                let ordered = parentKey.map { keyColumn in
                    foreignKey.columns[foreignKey.referencedColumns.firstIndex(of: keyColumn)!]
                }
                var base = resources[parentIndex].slug
                if foreignKey.columns.count == 1, let single = foreignKey.columns.first {
                    let name = Self.slug(single)
                    if name.hasSuffix("_id") && name.count > 3 { base = String(name.dropLast(3)) }
                }
                resources[childIndex].parents.append(
                    ParentLink(name: names.claim(base), parent: resources[parentIndex].slug, columns: ordered))
            }
        }
        // The other direction: from the referenced row to the rows pointing at it.
        for parentIndex in resources.indices {
            var names = Names.Uniquer()
            _ = names.claim("self")
            for link in resources[parentIndex].parents { _ = names.claim(link.name) }
            let parent = resources[parentIndex]
            for child in resources {
                let pointing = child.parents.filter { $0.parent == parent.slug }
                for link in pointing {
                    let segment =
                        pointing.count == 1
                        ? child.slug : child.slug + "_by_" + link.columns.map(Self.slug).joined(separator: "_")
                    let name = names.claim(segment)
                    resources[parentIndex].children.append(
                        ChildLink(
                            name: name, child: child.slug,
                            columns: zip(parent.key, link.columns).map { ($0, $1) },
                            path: parent.itemPath + "/" + name))
                }
            }
        }
    }

    private mutating func listOperations() {
        var identifiers = Names.Uniquer()
        for reserved in ["handlers", "operations"] { _ = identifiers.claim(reserved) }
        func identifier(_ text: String) -> String { identifiers.claim(Names.camel(text, fallback: "operation")) }
        for resource in resources {
            let name = resource.table.name
            let words = resource.slug.replacingOccurrences(of: "_", with: " ")
            operations.append(
                Operation(
                    identifier: identifier("list \(words)"), method: "get", path: resource.path,
                    resource: resource.slug, kind: .list, summary: "List \(name) rows, by key, in pages"))
            operations.append(
                Operation(
                    identifier: identifier("create \(words)"), method: "post", path: resource.path,
                    resource: resource.slug, kind: .create, summary: "Insert a \(name) row"))
            operations.append(
                Operation(
                    identifier: identifier("get \(words)"), method: "get", path: resource.itemPath,
                    resource: resource.slug, kind: .get, summary: "Read one \(name) row by key"))
            if !resource.updatable.isEmpty {
                operations.append(
                    Operation(
                        identifier: identifier("update \(words)"), method: "patch", path: resource.itemPath,
                        resource: resource.slug, kind: .update, summary: "Change columns of one \(name) row"))
            }
            operations.append(
                Operation(
                    identifier: identifier("delete \(words)"), method: "delete", path: resource.itemPath,
                    resource: resource.slug, kind: .delete, summary: "Delete one \(name) row"))
            for link in resource.children {
                let childWords = link.name.replacingOccurrences(of: "_", with: " ")
                operations.append(
                    Operation(
                        identifier: identifier("list \(childWords) of \(words)"), method: "get", path: link.path,
                        resource: link.child, kind: .listChildren(parent: resource.slug, link: link.name),
                        summary: "List the \(link.child) rows of one \(name) row"))
            }
        }
    }

    func resource(_ slug: String) -> Resource { resources.first { $0.slug == slug }! }

    // MARK: - The document

    func document() -> JSONValue {
        var paths = JSONObject()
        for operation in operations {
            var item = paths[operation.path]?.objectValue ?? JSONObject()
            item[operation.method] = .object(operationObject(operation))
            paths[operation.path] = .object(item)
        }
        var schemas = JSONObject()
        for resource in resources {
            schemas[resource.typeName] = .object(readSchema(resource))
            schemas[resource.createTypeName] = .object(createSchema(resource))
            if !resource.updatable.isEmpty { schemas[resource.updateTypeName] = .object(updateSchema(resource)) }
            schemas[resource.pageTypeName] = .object(pageSchema(resource))
        }
        schemas["Error"] = .object(
            JSONObject([
                "type": .string("object"),
                "description": .string("The error envelope (or RFC 9457 problem+json with error_format)"),
            ]))
        return .object(
            JSONObject([
                "openapi": .string("3.1.0"),
                "info": .object(
                    JSONObject([
                        "title": .string("\(catalog.schema) API"), "version": .string("0.1.0"),
                        "description": .string(
                            "CRUD over the tables of PostgreSQL schema \(catalog.schema), generated by senior-backend "
                                + "scaffold from_db. Lists are keyset-paginated by key: follow `next` (or pass "
                                + "`cursor`); `limit` is 1 to \(Self.maximumLimit) (default \(Self.defaultLimit)). "
                                + "bigint and numeric values are strings; rows carry `links`."),
                    ])),
                "paths": .object(paths), "components": .object(JSONObject(["schemas": .object(schemas)])),
            ]))
    }

    func operationObject(_ operation: Operation) -> JSONObject {
        let resource = resource(operation.resource)
        var object = JSONObject()
        object["operationId"] = .string(operation.identifier)
        object["summary"] = .string(operation.summary)
        object["tags"] = .array([.string(resource.slug)])
        var parameters: [JSONValue] = []
        switch operation.kind {
        case .list, .listChildren:
            if case .listChildren(let parentSlug, _) = operation.kind {
                let parent = self.resource(parentSlug)
                parameters += parent.key.map { pathParameter(parent, column: $0) }
            }
            parameters += listParameters(resource)
        case .get, .update, .delete:
            parameters += resource.key.map { pathParameter(resource, column: $0) }
        case .create: break
        }
        if !parameters.isEmpty { object["parameters"] = .array(parameters) }
        func reference(_ name: String) -> JSONValue {
            .object(JSONObject(["$ref": .string("#/components/schemas/\(name)")]))
        }
        func content(_ name: String) -> JSONValue {
            .object(JSONObject(["application/json": .object(JSONObject(["schema": reference(name)]))]))
        }
        func response(_ description: String, _ schema: String?) -> JSONValue {
            var value = JSONObject(["description": .string(description)])
            if let schema { value["content"] = content(schema) }
            return .object(value)
        }
        var responses = JSONObject()
        switch operation.kind {
        case .list, .listChildren:
            responses["200"] = response("A page of rows; `next` is null on the last page", resource.pageTypeName)
            responses["400"] = response("Invalid parameters", "Error")
            if case .listChildren = operation.kind {
                responses["404"] = response("The parent row does not exist", "Error")
            }
        case .create:
            let schema = createSchema(resource)
            object["requestBody"] = .object(
                JSONObject([
                    "required": .bool(!(schema["required"]?.arrayValue ?? []).isEmpty),
                    "content": content(resource.createTypeName),
                ]))
            responses["201"] = response("The inserted row (Location: its URL)", resource.typeName)
            responses["400"] = response("Invalid body", "Error")
            responses["409"] = response("A unique or foreign key constraint refused the row", "Error")
        case .get:
            responses["200"] = response("The row", resource.typeName)
            responses["404"] = response("No row has this key", "Error")
        case .update:
            object["requestBody"] = .object(
                JSONObject(["required": .bool(true), "content": content(resource.updateTypeName)]))
            responses["200"] = response("The changed row", resource.typeName)
            responses["400"] = response("Invalid body", "Error")
            responses["404"] = response("No row has this key", "Error")
            responses["409"] = response("A unique or foreign key constraint refused the change", "Error")
        case .delete:
            responses["204"] = response("Deleted", nil)
            responses["404"] = response("No row has this key", "Error")
            responses["409"] = response("Other rows still reference this one", "Error")
        }
        object["responses"] = .object(responses)
        return object
    }

    func pathParameter(_ resource: Resource, column: String) -> JSONValue {
        .object(
            JSONObject([
                "name": .string(resource.parameters[column]!), "in": .string("path"), "required": .bool(true),
                "schema": .object(resource.mappings[column]!.schema(nullable: false)),
            ]))
    }

    func listParameters(_ resource: Resource) -> [JSONValue] {
        var parameters: [JSONValue] = [
            .object(
                JSONObject([
                    "name": .string("limit"), "in": .string("query"),
                    "description": .string("Rows per page"),
                    "schema": .object(
                        JSONObject([
                            "type": .string("integer"), "minimum": .integer(1),
                            "maximum": .integer(Self.maximumLimit), "default": .integer(Self.defaultLimit),
                        ])),
                ])),
            .object(
                JSONObject([
                    "name": .string("cursor"), "in": .string("query"),
                    "description": .string("Opaque position from a previous page's `next_cursor`"),
                    "schema": .object(JSONObject(["type": .string("string"), "maxLength": .integer(4096)])),
                ])),
        ]
        for column in resource.filters {
            parameters.append(
                .object(
                    JSONObject([
                        "name": .string(resource.parameters[column]!), "in": .string("query"),
                        "description": .string("Only rows whose \(column) equals this (an index leads with it)"),
                        "schema": .object(resource.mappings[column]!.schema(nullable: false)),
                    ])))
        }
        return parameters
    }

    func propertySchema(_ resource: Resource, _ column: DatabaseCatalog.Column, readModel: Bool) -> JSONObject {
        var schema = resource.mappings[column.name]!.schema(nullable: !column.notNull)
        var notes: [String] = []
        if let comment = column.comment, !comment.isEmpty { notes.append(comment) }
        if let existing = schema["description"]?.stringValue { notes.append(existing) }
        if column.isGenerated { notes.append("generated by the database") }
        if let identity = column.identity {
            notes.append(identity == "a" ? "identity (always)" : "identity (by default)")
        }
        if let expression = column.defaultExpression, !column.isGenerated { notes.append("default: \(expression)") }
        schema["description"] = notes.isEmpty ? nil : .string(notes.joined(separator: "; "))
        if readModel && column.isReadOnly { schema["readOnly"] = .bool(true) }
        return schema
    }

    func readSchema(_ resource: Resource) -> JSONObject {
        var properties = JSONObject()
        for column in resource.table.columns {
            properties[column.name] = .object(propertySchema(resource, column, readModel: true))
        }
        var links = JSONObject()
        let href = JSONObject(["type": .string("string"), "format": .string("uri-reference")])
        links["self"] = .object(href)
        for link in resource.parents {
            var nullable = href
            nullable["type"] = .array([.string("string"), .string("null")])
            nullable["description"] = .string("The \(link.parent) row (null when a key column is null)")
            links[link.name] = .object(nullable)
        }
        for link in resource.children {
            var list = href
            list["description"] = .string("The \(link.child) rows pointing at this one")
            links[link.name] = .object(list)
        }
        properties[resource.linksProperty] = .object(
            JSONObject([
                "type": .string("object"), "readOnly": .bool(true), "properties": .object(links),
                "required": .array(links.keys.map(JSONValue.string)),
            ]))
        var schema = JSONObject([
            "type": .string("object"), "properties": .object(properties),
            "required": .array(properties.keys.map(JSONValue.string)),
        ])
        if let comment = resource.table.comment, !comment.isEmpty { schema["description"] = .string(comment) }
        return schema
    }

    func createSchema(_ resource: Resource) -> JSONObject {
        var properties = JSONObject()
        var required: [JSONValue] = []
        for column in resource.writable {
            properties[column.name] = .object(propertySchema(resource, column, readModel: false))
            if column.notNull && !column.hasDefault { required.append(.string(column.name)) }
        }
        var schema = JSONObject([
            "type": .string("object"), "properties": .object(properties), "additionalProperties": .bool(false),
        ])
        if !required.isEmpty { schema["required"] = .array(required) }
        return schema
    }

    func updateSchema(_ resource: Resource) -> JSONObject {
        var properties = JSONObject()
        for column in resource.updatable {
            properties[column.name] = .object(propertySchema(resource, column, readModel: false))
        }
        return JSONObject([
            "type": .string("object"), "properties": .object(properties), "additionalProperties": .bool(false),
            "minProperties": .integer(1),
        ])
    }

    func pageSchema(_ resource: Resource) -> JSONObject {
        let nullableString = JSONObject(["type": .array([.string("string"), .string("null")])])
        var next = nullableString
        next["description"] = .string("The next page's URL, or null on the last page")
        var cursor = nullableString
        cursor["description"] = .string("The next page's cursor, or null on the last page")
        return JSONObject([
            "type": .string("object"),
            "properties": .object(
                JSONObject([
                    "items": .object(
                        JSONObject([
                            "type": .string("array"),
                            "items": .object(
                                JSONObject(["$ref": .string("#/components/schemas/\(resource.typeName)")])),
                        ])),
                    "next": .object(next), "next_cursor": .object(cursor),
                ])),
            "required": .array([.string("items"), .string("next"), .string("next_cursor")]),
        ])
    }
}
