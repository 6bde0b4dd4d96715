/// One problem the analysis found: where, how bad, the numbers behind it, and the SQL to fix and undo.
public struct Finding: Codable, Sendable, Equatable {
    public enum Severity: String, Codable, Sendable, Comparable, CaseIterable {
        case info, warning, critical

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var check: String
    public var severity: Severity
    /// The object concerned, schema-qualified (`public.orders`, `public.orders.customer_id`).
    public var object: String
    public var message: String
    /// Numbers that justify the finding (`rows`, `scans`, `bytes`, `percent`, ...).
    public var evidence: [String: Double]
    public var fixSQL: String?
    public var undoSQL: String?

    public init(
        check: String, severity: Severity, object: String, message: String, evidence: [String: Double] = [:],
        fixSQL: String? = nil, undoSQL: String? = nil
    ) {
        self.check = check
        self.severity = severity
        self.object = object
        self.message = message
        self.evidence = evidence
        self.fixSQL = fixSQL
        self.undoSQL = undoSQL
    }

    enum CodingKeys: String, CodingKey {
        case check, severity, object, message, evidence, fixSQL = "fix_sql", undoSQL = "undo_sql"
    }
}

/// A check: an id, what it looks for, and a pure function from the catalog snapshot to findings.
public struct SchemaCheck: Sendable {
    public let id: String
    public let summary: String
    public let run: @Sendable (CatalogSnapshot) -> [Finding]

    public init(id: String, summary: String, run: @escaping @Sendable (CatalogSnapshot) -> [Finding]) {
        self.id = id
        self.summary = summary
        self.run = run
    }
}
