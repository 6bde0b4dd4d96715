import BackendCore
import PostgresClient

/// `from_db`: a live PostgreSQL schema -> an OpenAPI 3.1 document and a CRUD project on node-postgres.
///
/// The catalog is read in a read-only transaction; the document goes through the same pipeline as a
/// `spec` (model, emitter, writer), and `CrudWriter` gives each handler its CRUD body on the way.
struct DatabaseScaffolder {
    let request: ScaffoldRequest

    static let documentPath = "openapi.json"

    func run(connection: String) throws(BackendError) -> ScaffoldResult {
        let output = try ProjectWriter.outputFolder(request.output)
        let schema = request.dbSchema ?? "public"
        guard !schema.isEmpty, schema.utf8.count <= 63 else {
            throw BackendError.invalidInput("db_schema '\(schema)': give a schema name of 1 to 63 bytes")
        }
        let database = try PostgresConnection.connect(connection, applicationName: "senior-backend scaffold")
        let catalog = try DatabaseCatalog.load(from: database, schema: schema)
        let builder = OpenAPIDocumentBuilder(catalog: catalog)
        guard !builder.resources.isEmpty else {
            throw BackendError(
                .notFound,
                catalog.tables.isEmpty
                    ? "schema '\(schema)' of \(database.displayName) has no tables: nothing to scaffold. Create "
                        + "tables first, or give the schema that holds them as db_schema."
                    : "no table of schema '\(schema)' has a primary key or NOT NULL unique constraint, so no row "
                        + "can be addressed: add primary keys (\(builder.warnings.prefix(3).joined(separator: "; ")))")
        }
        let document = builder.document()
        let writer = CrudWriter(builder: builder, templates: try TemplateSet(overrides: request.templates))
        var result = try Scaffolder().scaffold(
            request,
            loadDocument: { () throws(BackendError) in
                SpecDocument(root: document, version: "3.1.0", path: output + "/" + Self.documentPath)
            },
            finishing: { (model, files) throws(BackendError) in
                let text = TypeScript.pretty(document, quoteKeys: true) + "\n"
                return try writer.files(model: model, emitted: files)
                    + [GeneratedFile(path: Self.documentPath, text: text, kind: .generated)]
            })
        result.source = "from_db"
        result.warnings = builder.warnings + result.warnings
        result.nextSteps = [
            "cd \(output) && npm install && npx tsc -p . (Debian: apt-get install node-typescript node-express node-jose node-cors node-pg; tsc -p .)",
            "DATABASE_URL=<connection string> PORT=3000 node dist/server.js (Debian: NODE_PATH=/usr/share/nodejs)",
            "add authorisation around the CRUD calls in src/handlers/*.ts",
            "rerun scaffold --from-db after schema changes: src/generated/ and openapi.json follow the database",
        ]
        return result
    }
}
