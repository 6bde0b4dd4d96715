/// Every check the analysis runs, in report order. Each has fixtures under
/// `Tests/SchemaAnalysisTests/Fixtures/<id>.sql` that plant its defect; `clean.sql` must stay silent.
public enum SchemaChecks {
    public static let all: [SchemaCheck] = KeyChecks.all + IndexChecks.all + TypeChecks.all + MaintenanceChecks.all
}

extension CatalogSnapshot {
    /// `schema.table.column` for messages and `object` fields.
    func columnPath(_ tableOid: String, _ number: Int) -> String {
        guard let table = table(tableOid) else { return "?" }
        return "\(table.qualifiedName).\(quoteIdentifier(column(tableOid, number)?.name ?? "?"))"
    }

    func columnNames(_ tableOid: String, _ numbers: [Int]) -> [String] {
        numbers.map { column(tableOid, $0).map { quoteIdentifier($0.name) } ?? "?" }
    }
}
