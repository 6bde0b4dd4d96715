import BackendCore

/// How one PostgreSQL column appears in the API: its JSON Schema, the SQL that reads it as that JSON
/// form and the SQL that takes a parameter back into the column's type.
///
/// The choices (README "scaffold from_db"): `bigint` and `numeric` are strings (node-postgres returns
/// them as strings, and a JavaScript number would lose digits beyond 2^53); `timestamptz` is an RFC 3339
/// UTC date-time with microseconds, `timestamp` the same without a zone, `date` a full-date; `bytea` is
/// base64; json/jsonb any JSON value; enums string enums; arrays JSON arrays (elements as `to_jsonb`
/// spells them); anything else (interval, inet, money, geometric types, ...) its PostgreSQL text.
struct ColumnMapping: Equatable {
    /// The schema of a non-null value (nullability is added by `schema(nullable:)`).
    var valueSchema: JSONObject
    /// Reads the column as the schema's JSON form; `%` stands for the quoted column name.
    var selectExpression: String
    /// Takes a parameter into the column's type; `$` stands for the placeholder (`$3`).
    var inputExpression: String
    /// json/jsonb: node-postgres must get JSON text, not a JavaScript value (arrays would become
    /// PostgreSQL array literals).
    var sendsJSON: Bool
    /// Equality filters and keyset cursors make sense on it (a scalar with an order).
    var isScalar: Bool

    init(_ column: DatabaseCatalog.Column) {
        sendsJSON = false
        inputExpression = "$"
        if let element = column.elementTypeName {
            var items = Self.jsonElementSchema(element, enumLabels: column.enumLabels)
            if let length = column.maxLength, items["type"] == .string("string") {
                items["maxLength"] = .integer(length)
            }
            valueSchema = JSONObject(["type": .string("array"), "items": .object(items)])
            selectExpression = "to_jsonb(%)"
            isScalar = false
            return
        }
        isScalar = true
        selectExpression = "%"
        switch column.typeName {
        case "int2": valueSchema = Self.integer(format: "int32", minimum: -32768, maximum: 32767)
        case "int4": valueSchema = Self.integer(format: "int32", minimum: -2_147_483_648, maximum: 2_147_483_647)
        case "int8":
            valueSchema = JSONObject([
                "type": .string("string"), "format": .string("int64"), "pattern": .string("^-?[0-9]{1,19}$"),
            ])
        case "numeric":
            valueSchema = JSONObject([
                "type": .string("string"), "format": .string("decimal"),
                "pattern": .string("^-?[0-9]+(\\.[0-9]+)?$"),
            ])
        case "float4": valueSchema = JSONObject(["type": .string("number"), "format": .string("float")])
        case "float8": valueSchema = JSONObject(["type": .string("number"), "format": .string("double")])
        case "bool": valueSchema = JSONObject(["type": .string("boolean")])
        case "uuid": valueSchema = JSONObject(["type": .string("string"), "format": .string("uuid")])
        case "date":
            valueSchema = JSONObject(["type": .string("string"), "format": .string("date")])
            selectExpression = "to_char(%, 'YYYY-MM-DD')"
        case "timestamptz":
            valueSchema = JSONObject(["type": .string("string"), "format": .string("date-time")])
            selectExpression = "to_char(% AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
        case "timestamp":
            valueSchema = JSONObject([
                "type": .string("string"),
                "pattern": .string("^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?$"),
                "description": .string("local date-time without a zone (timestamp without time zone)"),
            ])
            selectExpression = "to_char(%, 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
        case "json", "jsonb":
            valueSchema = JSONObject(["description": .string("any JSON value (\(column.typeName))")])
            inputExpression = "$::\(column.typeName)"
            sendsJSON = true
            isScalar = false
        case "bytea":
            valueSchema = JSONObject([
                "type": .string("string"), "format": .string("byte"), "contentEncoding": .string("base64"),
            ])
            selectExpression = "translate(encode(%, 'base64'), E'\\n', '')"
            inputExpression = "decode($, 'base64')"
            isScalar = false
        case "text", "varchar", "bpchar", "name", "citext":
            valueSchema = JSONObject(["type": .string("string")])
            if let length = column.maxLength { valueSchema["maxLength"] = .integer(length) }
        default:
            if let labels = column.enumLabels {
                valueSchema = JSONObject(["type": .string("string"), "enum": .array(labels.map(JSONValue.string))])
            } else {
                valueSchema = JSONObject([
                    "type": .string("string"), "description": .string("PostgreSQL \(column.type) as text"),
                ])
                selectExpression = "%::text"
            }
        }
    }

    static func integer(format: String, minimum: Int, maximum: Int) -> JSONObject {
        JSONObject([
            "type": .string("integer"), "format": .string(format), "minimum": .integer(minimum),
            "maximum": .integer(maximum),
        ])
    }

    /// An array element as `to_jsonb` writes it: numbers stay numbers, everything else is text.
    static func jsonElementSchema(_ typeName: String, enumLabels: [String]?) -> JSONObject {
        if let enumLabels {
            return JSONObject(["type": .string("string"), "enum": .array(enumLabels.map(JSONValue.string))])
        }
        switch typeName {
        case "int2", "int4": return JSONObject(["type": .string("integer"), "format": .string("int32")])
        case "int8": return JSONObject(["type": .string("integer"), "format": .string("int64")])
        case "numeric", "float4", "float8": return JSONObject(["type": .string("number")])
        case "bool": return JSONObject(["type": .string("boolean")])
        case "json", "jsonb": return JSONObject()
        case "uuid": return JSONObject(["type": .string("string"), "format": .string("uuid")])
        default: return JSONObject(["type": .string("string")])
        }
    }

    /// The value schema, admitting null for a nullable column (3.1 type arrays; enums list null too).
    func schema(nullable: Bool) -> JSONObject {
        var schema = valueSchema
        guard nullable else { return schema }
        if let type = schema["type"]?.stringValue { schema["type"] = .array([.string(type), .string("null")]) }
        if let labels = schema["enum"]?.arrayValue { schema["enum"] = .array(labels + [.null]) }
        return schema
    }

    /// The select-list entry for the column, aliased to its own name.
    func selectItem(quotedName: String) -> String {
        let expression = selectExpression.replacingOccurrences(of: "%", with: quotedName)
        return expression == quotedName ? quotedName : "\(expression) AS \(quotedName)"
    }
}

/// SQL text helpers for generated statements: identifiers are always quoted.
enum SQLIdentifier {
    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
