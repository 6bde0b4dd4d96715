/// Column types that a better type serves.
enum TypeChecks {
    static let all: [SchemaCheck] = [timestampWithoutTimeZone]

    static let timestampWithoutTimeZone = SchemaCheck(
        id: "timestamp_without_time_zone",
        summary: "timestamp without time zone stores wall-clock time with no zone: ambiguous across zones and DST."
    ) { catalog in
        catalog.columns.filter { $0.typeName == "timestamp" }.map { column in
            let path = catalog.columnPath(column.tableOid, column.number)
            let table = catalog.table(column.tableOid)?.qualifiedName ?? "?"
            let name = quoteIdentifier(column.name)
            return Finding(
                check: "timestamp_without_time_zone", severity: .warning, object: path,
                message: "\(path) is timestamp without time zone; store instants as timestamptz.",
                evidence: ["rows": catalog.table(column.tableOid)?.estimatedRows ?? 0],
                fixSQL: "ALTER TABLE \(table) ALTER COLUMN \(name) TYPE timestamptz USING \(name) AT TIME ZONE 'UTC';",
                undoSQL: "ALTER TABLE \(table) ALTER COLUMN \(name) TYPE timestamp USING \(name) AT TIME ZONE 'UTC';")
        }
    }
}
