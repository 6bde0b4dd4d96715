import BackendCore
import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

@testable import Scaffold

/// `from_db` against real databases on the test cluster, each test with a database of its own.
@Suite struct DatabaseScaffolderTests {
    static func scaffold(
        _ database: TestDatabase, schema: String? = nil, into output: String, dryRun: Bool = false
    ) throws -> ScaffoldResult {
        try Scaffolder().run(
            ScaffoldRequest(fromDb: database.url, dbSchema: schema, output: output, dryRun: dryRun))
    }

    static func document(_ output: String) throws -> JSONValue {
        try JSONParser.parse([UInt8](try #require(FileManager.default.contents(atPath: output + "/openapi.json"))))
    }

    /// `a/b` of a JSON document, `~1` standing for `/` in a member name (JSON Pointer).
    static func value(_ root: JSONValue, at pointer: String) -> JSONValue? {
        var current: JSONValue? = root
        for raw in pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let token = raw.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let index = Int(token), let items = current?.arrayValue {
                current = items.indices.contains(index) ? items[index] : nil
            } else {
                current = current?[token]
            }
        }
        return current
    }

    static func strings(_ values: String...) -> JSONValue { .array(values.map(JSONValue.string)) }

    /// What the shop schema must become: JSON Pointer -> expected value.
    static let shopExpectations: [(String, JSONValue?)] = [
        ("/openapi", .string("3.1.0")),
        ("/info/title", .string("public API")),
        // Identity ALWAYS: read-only, absent from the create body; BY DEFAULT: optional on create.
        ("/components/schemas/Customers/properties/id/readOnly", .bool(true)),
        ("/components/schemas/Customers/properties/id/type", .string("string")),
        ("/components/schemas/Customers/properties/id/format", .string("int64")),
        ("/components/schemas/Customers/description", .string("People who buy things")),
        ("/components/schemas/Customers/properties/email/description", .string("Where receipts go")),
        ("/components/schemas/Customers/properties/name/maxLength", .integer(120)),
        ("/components/schemas/Customers/properties/note/type", strings("string", "null")),
        ("/components/schemas/Customers/properties/created_at/format", .string("date-time")),
        ("/components/schemas/CustomersCreate/required", strings("email", "name")),
        ("/components/schemas/CustomersCreate/additionalProperties", .bool(false)),
        ("/components/schemas/CustomersCreate/properties/id", nil),
        ("/components/schemas/OrdersCreate/properties/id/type", .string("integer")),
        ("/components/schemas/OrdersCreate/required", strings("customer_id")),
        // Types: numeric as a decimal string, arrays, jsonb as any value, bytea base64, enums.
        ("/components/schemas/Products/properties/price/format", .string("decimal")),
        ("/components/schemas/Products/properties/tags/items/type", .string("string")),
        ("/components/schemas/Products/properties/attributes/type", nil),
        ("/components/schemas/Products/properties/photo/contentEncoding", .string("base64")),
        ("/components/schemas/Orders/properties/status/enum", strings("pending", "paid", "shipped", "cancelled")),
        ("/components/schemas/Orders/properties/placed_on/format", .string("date")),
        ("/components/schemas/Orders/properties/weight_kg/type", strings("number", "null")),
        ("/components/schemas/OrderLines/properties/line_no/maximum", .integer(32767)),
        ("/components/schemas/OrderLines/properties/line_total/readOnly", .bool(true)),
        ("/components/schemas/OrderLinesCreate/properties/line_total", nil),
        ("/components/schemas/OrderLinesUpdate/properties/line_no", nil),
        ("/components/schemas/OrderLinesUpdate/minProperties", .integer(1)),
        ("/components/schemas/Shipments/properties/shipped_at/type", strings("string", "null")),
        // Links: the referenced rows and the nested lists.
        ("/components/schemas/Orders/properties/links/required", strings("self", "customer", "order_lines")),
        ("/components/schemas/OrderLines/properties/links/required", strings("self", "order", "products", "shipments")),
        ("/components/schemas/Shipments/properties/links/required", strings("self", "order_lines", "stock")),
        // Routes: composite keys are several path parameters; nested lists by foreign key.
        ("/paths/~1order_lines~1{order_id}~1{line_no}/get/operationId", .string("getOrderLines")),
        ("/paths/~1order_lines~1{order_id}~1{line_no}/patch/operationId", .string("updateOrderLines")),
        ("/paths/~1order_lines~1{order_id}~1{line_no}/delete/operationId", .string("deleteOrderLines")),
        ("/paths/~1orders~1{id}~1order_lines/get/operationId", .string("listOrderLinesOfOrders")),
        ("/paths/~1customers~1{id}~1orders/get/operationId", .string("listOrdersOfCustomers")),
        ("/paths/~1stock~1{warehouse_code}~1{sku}~1shipments/get/operationId", .string("listShipmentsOfStock")),
        (
            "/paths/~1customers/post/responses/201/content/application~1json/schema/$ref",
            .string("#/components/schemas/Customers")
        ),
        // Lists: bounded limit, a cursor, filters on the columns that lead an index.
        ("/paths/~1orders/get/parameters/0/schema/maximum", .integer(200)),
        ("/paths/~1orders/get/parameters/1/name", .string("cursor")),
        ("/paths/~1orders/get/parameters/2/name", .string("id")),
        ("/paths/~1orders/get/parameters/3/name", .string("customer_id")),
        ("/paths/~1orders/get/parameters/4/name", .string("status")),
        ("/paths/~1orders/get/parameters/4/schema/enum", strings("pending", "paid", "shipped", "cancelled")),
        ("/paths/~1orders/get/parameters/5", nil),
        ("/paths/~1customers/get/parameters/3/name", .string("email")),
        ("/components/schemas/OrdersPage/required", strings("items", "next", "next_cursor")),
    ]

    @Test func shopSchemaBecomesTheExpectedDocument() throws {
        let database = try TestDatabase("from_db_shop", script: try TestDatabase.fixture("from-db/shop"))
        defer { database.drop() }
        let output = temporaryFolder("from-db")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try Self.scaffold(database, into: output)
        #expect(result.source == "from_db")
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        // 7 tables x (list, create, get, update, delete) + 7 nested lists, one per foreign key.
        #expect(result.operations.count == 42)
        let document = try Self.document(output)
        for (pointer, expected) in Self.shopExpectations {
            #expect(Self.value(document, at: pointer) == expected, "\(pointer)")
        }
    }

    @Test func handlersAndDatabaseModuleMatchGoldenFiles() throws {
        let database = try TestDatabase("from_db_golden", script: try TestDatabase.fixture("from-db/shop"))
        defer { database.drop() }
        let output = temporaryFolder("from-db")
        defer { try? FileManager.default.removeItem(atPath: output) }
        _ = try Self.scaffold(database, into: output)
        let produced = tree(output).filter {
            $0.key.hasPrefix("src/handlers/") || $0.key == "src/generated/db.ts" || $0.key == "openapi.json"
                || $0.key == "src/generated/pg-shim.d.ts" || $0.key == "package.json"
        }
        try expectGolden(produced, folder: "from-db-shop")
    }

    @Test func dryRunWritesNothingAndRerunsKeepHandlers() throws {
        let database = try TestDatabase("from_db_rerun", script: try TestDatabase.fixture("from-db/shop"))
        defer { database.drop() }
        let output = temporaryFolder("from-db")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let dry = try Self.scaffold(database, into: output, dryRun: true)
        #expect(dry.status == "dry_run" && dry.counts.created > 0)
        #expect(!FileManager.default.fileExists(atPath: output))
        let first = try Self.scaffold(database, into: output)
        #expect(first.files.contains { $0.path == "openapi.json" && $0.action == "created" })
        let handler = output + "/src/handlers/getOrders.ts"
        try write("// mine\n", to: handler)
        try database.connect().execute(script: "ALTER TABLE orders ADD COLUMN gift boolean NOT NULL DEFAULT false;")
        let second = try Self.scaffold(database, into: output)
        #expect(try String(contentsOfFile: handler, encoding: .utf8) == "// mine\n")
        #expect(second.counts.created == 0 && second.counts.kept == first.files.filter { !$0.generated }.count)
        let changed = Set(second.files.filter { $0.action == "updated" }.map(\.path))
        #expect(changed.isSuperset(of: ["openapi.json", "src/generated/db.ts", "src/generated/types.ts"]))
        let third = try Self.scaffold(database, into: output)
        #expect(third.counts.updated == 0 && third.counts.created == 0)
    }

    /// Everything a scaffold run could have touched: catalog rows of user objects and table contents.
    static func fingerprint(_ connection: PostgresConnection) throws -> [String] {
        let catalog = try connection.query(
            """
            SELECT c.relname || ':' || c.relkind::text || ':' || coalesce(string_agg(a.attname || ' ' || format_type(a.atttypid,
                   a.atttypmod) || ' ' || a.attnotnull, ',' ORDER BY a.attnum), '')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
            GROUP BY c.relname, c.relkind ORDER BY 1
            """
        ).rows.map { $0[0] ?? "" }
        let constraints = try connection.query(
            "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1"
        ).rows.map { $0[0] ?? "" }
        let contents = try connection.query(
            "SELECT (SELECT count(*) FROM customers) || ' ' || (SELECT count(*) FROM orders) || ' ' || "
                + "(SELECT count(*) FROM order_lines) || ' ' || (SELECT count(*) FROM pg_sequences)"
        ).rows.map { $0[0] ?? "" }
        return catalog + constraints + contents
    }

    @Test func theDatabaseNeverChanges() throws {
        let database = try TestDatabase("from_db_unchanged", script: try TestDatabase.fixture("from-db/shop"))
        defer { database.drop() }
        let connection = try database.connect()
        try connection.execute(
            script: "INSERT INTO customers (email, name) VALUES ('a@example.com', 'A');"
                + "INSERT INTO orders (customer_id) SELECT id FROM customers;")
        let before = try Self.fingerprint(connection)
        let catalogBefore = try DatabaseCatalog.load(from: connection, schema: "public")
        let output = temporaryFolder("from-db")
        defer { try? FileManager.default.removeItem(atPath: output) }
        _ = try Self.scaffold(database, into: output)
        _ = try Self.scaffold(database, into: output, dryRun: true)
        #expect(try Self.fingerprint(connection) == before)
        #expect(try DatabaseCatalog.load(from: connection, schema: "public") == catalogBefore)
        #expect(catalogBefore.queryCount == 6)
        // The run leaves no session behind that still holds a transaction open.
        let open = try connection.query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        #expect(open.rows.first?.first == "0")
    }

    @Test func oddNamesAreSanitisedAndTablesWithoutKeysAreNamedInWarnings() throws {
        let database = try TestDatabase("from_db_odd", script: try TestDatabase.fixture("from-db/odd-names"))
        defer { database.drop() }
        let output = temporaryFolder("from-db")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try Self.scaffold(database, schema: "we\"ird", into: output)
        let paths = Set(result.operations.map(\.path))
        #expect(paths.contains("/order/{id}"))
        #expect(paths.contains("/unicode/{unicode_id}"))
        #expect(paths.contains("/a_b_c/{k}"))
        #expect(paths.contains("/order/{id}/unicode"))
        #expect(result.warnings.contains { $0.contains("\"logbook\"") && $0.contains("no primary key") })
        let files = tree(output).keys
        #expect(files.allSatisfy { !$0.contains("..") && !$0.hasPrefix("/") })
        let database_ts = String(decoding: try #require(tree(output)["src/generated/db.ts"]), as: UTF8.self)
        #expect(database_ts.contains(#"relation: "\"we\"\"ird\".\"Ünïcode\"""#))
        #expect(database_ts.contains(#"sql: "\"select\"""#))
        // A column named `limit` keeps its body name but gets another query parameter name.
        let document = try Self.document(output)
        #expect(
            Self.value(document, at: "/components/schemas/ABC/properties/limit/type") == Self.strings("integer", "null")
        )
        #expect(Self.value(document, at: "/paths/~1unicode/get/parameters/2/name") == .string("unicode_id"))
        #expect(
            Self.value(document, at: "/components/schemas/Order/properties/links/type")
                == Self.strings("string", "null"))
        #expect(Self.value(document, at: "/components/schemas/Order/properties/_links/readOnly") == .bool(true))
    }

    static let unreachable = "postgresql://nobody:s3cr3t-pw@127.0.0.1:1/db?connect_timeout=2"

    @Test(arguments: [
        ("dead server", "dead", BackendError.Code.unreachable, "cannot connect"),
        ("wrong password", "password", BackendError.Code.unreachable, "password authentication failed"),
        ("missing schema", "missing", BackendError.Code.notFound, "schema 'nowhere' does not exist"),
        ("empty schema", "empty", BackendError.Code.notFound, "has no tables"),
        ("no keyed table", "keyless", BackendError.Code.notFound, "no table of schema"),
    ])
    func hostileSourcesGiveClearErrorsWithoutSecrets(
        label: String, situation: String, code: BackendError.Code, text: String
    ) throws {
        let database = try TestDatabase("from_db_\(situation)", script: try TestDatabase.fixture("from-db/odd-names"))
        defer { database.drop() }
        let output = temporaryFolder("from-db")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let password = "not-the-password-\(UUID().uuidString.prefix(8))"
        var connection = database.url
        var schema: String?
        switch situation {
        case "dead": connection = Self.unreachable
        case "password":
            let components = try #require(URLComponents(string: database.url))
            var changed = components
            changed.password = password
            connection = try #require(changed.string)
        case "missing": schema = "nowhere"
        case "empty": schema = "empty_schema"
        default:
            try database.connect().execute(script: "CREATE SCHEMA keyless; CREATE TABLE keyless.notes (body text);")
            schema = "keyless"
        }
        do {
            _ = try Scaffolder().run(ScaffoldRequest(fromDb: connection, dbSchema: schema, output: output))
            Issue.record("\(label): expected an error")
        } catch {
            #expect(error.code == code, "\(label): \(error.message)")
            #expect(error.message.contains(text), "\(label): \(error.message)")
            #expect(!error.message.contains(password) && !error.message.contains("s3cr3t-pw"), "\(label)")
        }
        #expect(!FileManager.default.fileExists(atPath: output), "\(label): wrote files")
    }
}
