import BackendCore
import Testing

@testable import Scaffold

/// The PostgreSQL -> JSON Schema mapping, type by type (README "Scaffold from a database").
@Suite struct ColumnMappingTests {
    static func column(
        _ typeName: String, element: String? = nil, labels: [String]? = nil, maxLength: Int? = nil
    ) -> DatabaseCatalog.Column {
        DatabaseCatalog.Column(
            name: "c", type: typeName, typeName: typeName, elementTypeName: element, enumLabels: labels, notNull: true,
            defaultExpression: nil, identity: nil, isGenerated: false, comment: nil, maxLength: maxLength)
    }

    /// type name, element type, expected `type`, expected `format`, select-list entry, input expression.
    static let cases: [(String, String?, String?, String?, String, String)] = [
        ("int2", nil, "integer", "int32", "\"c\"", "$"),
        ("int4", nil, "integer", "int32", "\"c\"", "$"),
        ("int8", nil, "string", "int64", "\"c\"", "$"),
        ("numeric", nil, "string", "decimal", "\"c\"", "$"),
        ("float8", nil, "number", "double", "\"c\"", "$"),
        ("bool", nil, "boolean", nil, "\"c\"", "$"),
        ("uuid", nil, "string", "uuid", "\"c\"", "$"),
        ("text", nil, "string", nil, "\"c\"", "$"),
        ("date", nil, "string", "date", "to_char(\"c\", 'YYYY-MM-DD') AS \"c\"", "$"),
        (
            "timestamptz", nil, "string", "date-time",
            "to_char(\"c\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS \"c\"", "$"
        ),
        ("timestamp", nil, "string", nil, "to_char(\"c\", 'YYYY-MM-DD\"T\"HH24:MI:SS.US') AS \"c\"", "$"),
        ("jsonb", nil, nil, nil, "\"c\"", "$::jsonb"),
        (
            "bytea", nil, "string", "byte", "translate(encode(\"c\", 'base64'), E'\\n', '') AS \"c\"",
            "decode($, 'base64')"
        ),
        ("interval", nil, "string", nil, "\"c\"::text AS \"c\"", "$"),
        ("_int8", "int8", "array", nil, "to_jsonb(\"c\") AS \"c\"", "$"),
    ]

    @Test(arguments: cases)
    func typesMapToSchemasAndSQL(
        typeName: String, element: String?, type: String?, format: String?, select: String, input: String
    ) {
        let mapping = ColumnMapping(Self.column(typeName, element: element))
        #expect(mapping.valueSchema["type"]?.stringValue == type, "\(typeName)")
        #expect(mapping.valueSchema["format"]?.stringValue == format, "\(typeName)")
        #expect(mapping.selectItem(quotedName: "\"c\"") == select, "\(typeName)")
        #expect(mapping.inputExpression == input, "\(typeName)")
    }

    @Test func nullableColumnsAdmitNullAndEnumsListIt() {
        let status = ColumnMapping(Self.column("order_status", labels: ["new", "paid"]))
        #expect(
            status.schema(nullable: true)
                == JSONObject([
                    "type": .array([.string("string"), .string("null")]),
                    "enum": .array([.string("new"), .string("paid"), .null]),
                ]))
        let name = ColumnMapping(Self.column("varchar", maxLength: 40))
        #expect(name.schema(nullable: false)["maxLength"] == .integer(40))
        let array = ColumnMapping(Self.column("_order_status", element: "order_status", labels: ["new"]))
        #expect(array.valueSchema["items"]?["enum"] == .array([.string("new")]))
        #expect(!array.isScalar && ColumnMapping(Self.column("int4")).isScalar)
    }

    @Test(arguments: [
        ("order_lines", "order_lines"), ("Ünïcode", "unicode"), ("a/b ../c", "a_b_c"), ("OrderLines", "order_lines"),
        ("日本", "table"), ("", "table"),
    ])
    func tableNamesBecomeASCIISlugs(name: String, slug: String) {
        #expect(OpenAPIDocumentBuilder.slug(name) == slug)
    }
}
