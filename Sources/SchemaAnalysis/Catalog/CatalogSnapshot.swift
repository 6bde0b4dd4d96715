import BackendCore
import PostgresClient

/// Everything the checks read, fetched with a fixed number of catalog queries whatever the schema's
/// size (no query per table). User schemas only: system schemas and extension members are left out.
public struct CatalogSnapshot: Sendable {
    public struct Table: Sendable {
        public let oid: String
        public let schema: String
        public let name: String
        public let liveRows: Double
        public let deadRows: Double
        public let estimatedRows: Double
        public let bytes: Double
        public let sequentialScans: Double
        public let indexScans: Double
        public let inserts: Double
        public let updates: Double
        public let deletes: Double
        public let everVacuumed: Bool
        public let everAnalyzed: Bool
        public let isPartition: Bool
        /// Rows inserted since the last vacuum (autovacuum's insert trigger).
        public let insertsSinceVacuum: Double
        /// Rows changed since the last analyze (autovacuum's analyze trigger).
        public let changesSinceAnalyze: Double
        /// Storage parameters (`WITH (autovacuum_enabled = false)`).
        public let options: [String: String]
        public var qualifiedName: String { "\(quoteIdentifier(schema)).\(quoteIdentifier(name))" }
    }

    public struct Column: Sendable {
        public let tableOid: String
        public let number: Int
        public let name: String
        /// As `format_type` prints it: `character varying(40)`, `timestamp without time zone`.
        public let type: String
        public let typeName: String
        public let notNull: Bool
        public let defaultExpression: String?
        public let isIdentity: Bool
        public let isGenerated: Bool
        /// `pg_stats.n_distinct` when analysed (negative: a fraction of the rows).
        public let distinctValues: Double?
    }

    public struct Index: Sendable {
        public let oid: String
        public let tableOid: String
        public let schema: String
        public let name: String
        /// Column numbers in order; 0 stands for an expression.
        public let columns: [Int]
        /// Number of key columns (the rest are INCLUDE columns).
        public let keyColumnCount: Int
        public let isUnique: Bool
        public let isPrimary: Bool
        public let isValid: Bool
        public let nullsNotDistinct: Bool
        public let predicate: String?
        public let expressions: String?
        public let method: String
        public let bytes: Double
        public let scans: Double
        public let definition: String
        public let backsConstraint: Bool
        public var qualifiedName: String { "\(quoteIdentifier(schema)).\(quoteIdentifier(name))" }
        public var keyColumns: [Int] { Array(columns.prefix(keyColumnCount)) }
    }

    public struct Constraint: Sendable {
        public let name: String
        /// p, u, f, c, x
        public let kind: String
        public let tableOid: String
        public let referencedTableOid: String?
        public let columns: [Int]
        public let referencedColumns: [Int]
        /// a no action, r restrict, c cascade, n set null, d set default
        public let onDelete: String?
        public let isValidated: Bool
    }

    public struct Sequence: Sendable {
        public let schema: String
        public let name: String
        public let dataType: String
        public let lastValue: Double?
        public let maxValue: Double
        /// The column that owns the sequence (serial), if any: table oid and column number.
        public let ownerTableOid: String?
        public let ownerColumn: Int?
        public var qualifiedName: String { "\(quoteIdentifier(schema)).\(quoteIdentifier(name))" }
    }

    public var serverVersion: Int
    public var tables: [Table]
    public var columns: [Column]
    public var indexes: [Index]
    public var constraints: [Constraint]
    public var sequences: [Sequence]
    public var extensions: [String]
    public var cacheHits: Double
    public var cacheReads: Double
    public var statsReset: String?
    public var autovacuum: Autovacuum
    /// How many catalog queries built this snapshot (constant by design).
    public var queryCount: Int

    public func table(_ oid: String) -> Table? { tablesByOid[oid] }
    public func columns(of tableOid: String) -> [Column] { columnsByTable[tableOid] ?? [] }
    public func column(_ tableOid: String, _ number: Int) -> Column? {
        columns(of: tableOid).first { $0.number == number }
    }
    public func indexes(of tableOid: String) -> [Index] { indexesByTable[tableOid] ?? [] }

    private var tablesByOid: [String: Table] = [:]
    private var columnsByTable: [String: [Column]] = [:]
    private var indexesByTable: [String: [Index]] = [:]

    init(
        serverVersion: Int, tables: [Table], columns: [Column], indexes: [Index], constraints: [Constraint],
        sequences: [Sequence], extensions: [String], cacheHits: Double, cacheReads: Double, statsReset: String?,
        autovacuum: Autovacuum, queryCount: Int
    ) {
        self.serverVersion = serverVersion
        self.tables = tables
        self.columns = columns
        self.indexes = indexes
        self.constraints = constraints
        self.sequences = sequences
        self.extensions = extensions
        self.cacheHits = cacheHits
        self.cacheReads = cacheReads
        self.statsReset = statsReset
        self.autovacuum = autovacuum
        self.queryCount = queryCount
        tablesByOid = Dictionary(tables.map { ($0.oid, $0) }, uniquingKeysWith: { first, _ in first })
        columnsByTable = Dictionary(grouping: columns, by: \.tableOid)
        indexesByTable = Dictionary(grouping: indexes, by: \.tableOid)
    }
}

/// Quotes an identifier when it needs it, as `quote_ident` does.
public func quoteIdentifier(_ name: String) -> String {
    let plain =
        name.first.map { $0 == "_" || ($0.isLetter && $0.isLowercase && $0.isASCII) } ?? false
        && name.allSatisfy { ($0.isLetter && $0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "_" }
    return plain && !reservedWords.contains(name)
        ? name : "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

private let reservedWords: Set<String> = [
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast", "check",
    "collate", "column", "constraint", "create", "current_date", "current_role", "current_time", "current_timestamp",
    "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for",
    "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into", "lateral", "leading",
    "limit", "localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or", "order", "placing", "primary",
    "references", "returning", "select", "session_user", "some", "symmetric", "table", "then", "to", "trailing",
    "true", "union", "unique", "user", "using", "variadic", "when", "where", "window", "with", "order", "user",
]
