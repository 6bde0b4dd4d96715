/// Primary keys, foreign keys and the indexes that serve them.
enum KeyChecks {
    static let all: [SchemaCheck] = [foreignKeyWithoutIndex, tableWithoutPrimaryKey]

    static let foreignKeyWithoutIndex = SchemaCheck(
        id: "fk_without_index",
        summary:
            "A foreign key whose columns are not the leading columns of any index: deletes on the parent scan the child."
    ) { catalog in
        catalog.constraints.filter { $0.kind == "f" }.compactMap { key in
            let covered = catalog.indexes(of: key.tableOid).contains { index in
                index.predicate == nil
                    && Array(index.keyColumns.prefix(key.columns.count)).sorted() == key.columns.sorted()
            }
            guard !covered, let table = catalog.table(key.tableOid) else { return nil }
            let columns = catalog.columnNames(key.tableOid, key.columns)
            let name = "\(table.name)_\(columns.joined(separator: "_"))_idx".replacingOccurrences(of: "\"", with: "")
            let index = "\(quoteIdentifier(table.schema)).\(quoteIdentifier(String(name.prefix(63))))"
            return Finding(
                check: "fk_without_index", severity: table.estimatedRows > 10_000 ? .critical : .warning,
                object: "\(table.qualifiedName).\(quoteIdentifier(key.name))",
                message:
                    "Foreign key \(key.name) on \(table.qualifiedName)(\(columns.joined(separator: ", "))) has no index; deletes and updates of the parent, and joins, scan the table.",
                evidence: ["rows": table.estimatedRows, "sequential_scans": table.sequentialScans],
                fixSQL:
                    "CREATE INDEX CONCURRENTLY \(index) ON \(table.qualifiedName) (\(columns.joined(separator: ", ")));",
                undoSQL: "DROP INDEX CONCURRENTLY \(index);")
        }
    }

    static let tableWithoutPrimaryKey = SchemaCheck(
        id: "table_without_primary_key",
        summary:
            "A table with no primary key: rows cannot be addressed reliably, logical replication cannot update them."
    ) { catalog in
        let keyed = Set(catalog.constraints.filter { $0.kind == "p" }.map(\.tableOid))
        return catalog.tables.filter { !keyed.contains($0.oid) && !$0.isPartition }.map { table in
            Finding(
                check: "table_without_primary_key", severity: .warning, object: table.qualifiedName,
                message: "\(table.qualifiedName) has no primary key.",
                evidence: ["rows": table.estimatedRows],
                fixSQL:
                    "ALTER TABLE \(table.qualifiedName) ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;",
                undoSQL: "ALTER TABLE \(table.qualifiedName) DROP COLUMN id;")
        }
    }
}
