import BackendCore
import PostgresClient

/// The tables of one PostgreSQL schema as `from_db` needs them: columns and their types, keys, unique
/// constraints, foreign keys, enums, the leading columns of indexes and comments.
///
/// Read with six catalog queries inside a `READ ONLY` transaction that is rolled back, so the database
/// cannot change and a large schema costs no more round trips than a small one.
struct DatabaseCatalog: Equatable {
    struct Column: Equatable {
        var name: String
        /// `format_type`: `character varying(200)`, `numeric(12,2)`, `integer[]`.
        var type: String
        /// `pg_type.typname` of the column's type (`_int4` for `integer[]`).
        var typeName: String
        /// The element type's name for arrays, else nil.
        var elementTypeName: String?
        /// Enum labels when the column (or its array element) is an enum.
        var enumLabels: [String]?
        var notNull: Bool
        var defaultExpression: String?
        /// `a` (GENERATED ALWAYS AS IDENTITY), `d` (BY DEFAULT) or nil.
        var identity: String?
        var isGenerated: Bool
        var comment: String?
        /// `atttypmod`-derived length of `varchar(n)` / `char(n)`.
        var maxLength: Int?

        /// The database fills it when it is omitted.
        var hasDefault: Bool { defaultExpression != nil || identity != nil || isGenerated }
        /// Clients never write it: generated columns and identities that are GENERATED ALWAYS.
        var isReadOnly: Bool { isGenerated || identity == "a" }
    }

    struct ForeignKey: Equatable {
        var name: String
        var columns: [String]
        var referencedSchema: String
        var referencedTable: String
        var referencedColumns: [String]
    }

    struct Table: Equatable {
        var name: String
        var comment: String?
        var columns: [Column]
        var primaryKey: [String]
        var uniqueConstraints: [[String]]
        var foreignKeys: [ForeignKey]
        /// The first column of each index on plain columns (expression indexes have none).
        var indexLeadingColumns: [String]

        func column(_ name: String) -> Column? { columns.first { $0.name == name } }

        /// The columns rows are addressed by: the primary key, else the first unique constraint whose
        /// columns are all NOT NULL; empty when there is neither.
        var key: [String] {
            if !primaryKey.isEmpty { return primaryKey }
            return uniqueConstraints.first { columns in
                columns.allSatisfy { column($0)?.notNull == true }
            } ?? []
        }
    }

    var schema: String
    var tables: [Table]
    var queryCount: Int

    static let schemaQuery = "SELECT n.oid::text FROM pg_namespace n WHERE n.nspname = $1"

    static let schemasQuery = """
        SELECT n.nspname FROM pg_namespace n
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
          AND EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p'))
        ORDER BY n.nspname
        """

    static let tablesQuery = """
        SELECT c.oid::text, c.relname, obj_description(c.oid, 'pg_class')
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        ORDER BY c.relname
        """

    static let columnsQuery = """
        SELECT a.attrelid::text, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), t.typname,
               CASE WHEN t.typcategory = 'A' THEN et.typname END,
               coalesce(nullif(t.typtype, 'b'), et.typtype) = 'e' AS is_enum,
               CASE WHEN t.typcategory = 'A' THEN et.oid ELSE t.oid END::text,
               a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid), nullif(a.attidentity, ''), a.attgenerated <> '',
               col_description(a.attrelid, a.attnum),
               CASE WHEN a.atttypmod > 4 AND coalesce(et.typname, t.typname) IN ('varchar', 'bpchar')
                    THEN a.atttypmod - 4 END
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
        LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0
          AND NOT a.attisdropped
        ORDER BY a.attrelid, a.attnum
        """

    /// Key, unique and foreign-key constraints with their columns in constraint order.
    static let constraintsQuery = """
        SELECT k.conrelid::text, k.conname, k.contype,
               (SELECT string_agg(a.attname, E'\\x1f' ORDER BY u.ord) FROM unnest(k.conkey) WITH ORDINALITY u(num, ord)
                JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.num),
               rn.nspname, rc.relname,
               (SELECT string_agg(a.attname, E'\\x1f' ORDER BY u.ord) FROM unnest(k.confkey) WITH ORDINALITY u(num, ord)
                JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.num)
        FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_class rc ON rc.oid = k.confrelid
        LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
        WHERE n.nspname = $1 AND k.contype IN ('p', 'u', 'f')
        ORDER BY k.conrelid, k.contype, k.conname
        """

    static let indexesQuery = """
        SELECT i.indrelid::text, a.attname
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE n.nspname = $1 AND i.indisvalid AND i.indpred IS NULL
        ORDER BY i.indrelid, ic.relname
        """

    static let enumsQuery = """
        SELECT e.enumtypid::text, e.enumlabel FROM pg_enum e ORDER BY e.enumtypid, e.enumsortorder
        """

    /// Reads `schema` inside a read-only transaction (rolled back) with a statement timeout.
    static func load(
        from connection: PostgresConnection, schema: String, timeoutMilliseconds: Int = 30_000
    ) throws(BackendError) -> DatabaseCatalog {
        try connection.transaction(readOnly: true, rollback: true) { () throws(BackendError) in
            try connection.query("SET LOCAL statement_timeout = \(timeoutMilliseconds)")
            guard try !connection.query(schemaQuery, [schema]).rows.isEmpty else {
                let known = try connection.query(schemasQuery).rows.compactMap { $0.first ?? nil }
                throw BackendError(
                    .notFound,
                    "schema '\(schema)' does not exist in \(connection.displayName); schemas with tables: "
                        + (known.isEmpty ? "none" : known.map { "'\($0)'" }.joined(separator: ", "))
                        + ". Give one as db_schema.")
            }
            return try read(connection, schema: schema)
        }
    }

    private static func read(_ connection: PostgresConnection, schema: String) throws(BackendError) -> DatabaseCatalog {
        let tableRows = try connection.query(tablesQuery, [schema]).rows
        var enums: [String: [String]] = [:]
        for row in try connection.query(enumsQuery).rows { enums[row[0]!, default: []].append(row[1]!) }
        var columns: [String: [Column]] = [:]
        for row in try connection.query(columnsQuery, [schema]).rows {
            columns[row[0]!, default: []].append(
                Column(
                    name: row[2]!, type: row[3]!, typeName: row[4]!, elementTypeName: row[5],
                    enumLabels: row[6] == "t" ? enums[row[7]!] ?? [] : nil, notNull: row[8] == "t",
                    defaultExpression: row[9], identity: row[10], isGenerated: row[11] == "t", comment: row[12],
                    maxLength: row[13].flatMap { Int($0) }))
        }
        var primaryKeys: [String: [String]] = [:]
        var uniques: [String: [[String]]] = [:]
        var foreignKeys: [String: [ForeignKey]] = [:]
        for row in try connection.query(constraintsQuery, [schema]).rows {
            let table = row[0]!
            let names = (row[3] ?? "").split(separator: "\u{1f}").map(String.init)
            switch row[2] {
            case "p": primaryKeys[table] = names
            case "u": uniques[table, default: []].append(names)
            default:
                foreignKeys[table, default: []].append(
                    ForeignKey(
                        name: row[1]!, columns: names, referencedSchema: row[4] ?? "", referencedTable: row[5] ?? "",
                        referencedColumns: (row[6] ?? "").split(separator: "\u{1f}").map(String.init)))
            }
        }
        var leading: [String: [String]] = [:]
        for row in try connection.query(indexesQuery, [schema]).rows where leading[row[0]!]?.contains(row[1]!) != true {
            leading[row[0]!, default: []].append(row[1]!)
        }
        let tables = tableRows.map { row in
            let oid = row[0]!
            return Table(
                name: row[1]!, comment: row[2], columns: columns[oid] ?? [], primaryKey: primaryKeys[oid] ?? [],
                uniqueConstraints: uniques[oid] ?? [], foreignKeys: foreignKeys[oid] ?? [],
                indexLeadingColumns: leading[oid] ?? [])
        }
        return DatabaseCatalog(schema: schema, tables: tables, queryCount: 6)
    }
}
