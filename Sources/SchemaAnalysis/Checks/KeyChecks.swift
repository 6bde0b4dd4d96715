/// Primary keys, foreign keys and the indexes that serve them.
enum KeyChecks {
    static let all: [SchemaCheck] = [
        foreignKeyWithoutIndex, tableWithoutPrimaryKey, foreignKeyTypeMismatch, missingOnDeleteIntent,
        foreignKeyLikeColumnWithoutConstraint, unvalidatedConstraint, duplicateForeignKey,
    ]

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
            let indexName = quoteIdentifier(String(name.prefix(63)))
            let index = "\(quoteIdentifier(table.schema)).\(indexName)"
            return Finding(
                check: "fk_without_index", severity: table.estimatedRows > 10_000 ? .critical : .warning,
                object: "\(table.qualifiedName).\(quoteIdentifier(key.name))",
                message:
                    "Foreign key \(key.name) on \(table.qualifiedName)(\(columns.joined(separator: ", "))) has no index; deletes and updates of the parent, and joins, scan the table.",
                evidence: ["rows": table.estimatedRows, "sequential_scans": table.sequentialScans],
                fixSQL:
                    "CREATE INDEX CONCURRENTLY \(indexName) ON \(table.qualifiedName) (\(columns.joined(separator: ", ")));",
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

    static let foreignKeyTypeMismatch = SchemaCheck(
        id: "fk_type_mismatch",
        summary:
            "A foreign key column whose type differs from the referenced column's: joins cast, and the narrower side limits the wider."
    ) { catalog in
        catalog.constraints.filter { $0.kind == "f" }.compactMap { key in
            guard let table = catalog.table(key.tableOid), let parentOid = key.referencedTableOid,
                let parent = catalog.table(parentOid)
            else { return nil }
            let pairs = zip(key.columns, key.referencedColumns).compactMap {
                child, referenced -> (CatalogSnapshot.Column, CatalogSnapshot.Column)? in
                guard let column = catalog.column(key.tableOid, child),
                    let target = catalog.column(parentOid, referenced), column.type != target.type
                else { return nil }
                return (column, target)
            }
            guard !pairs.isEmpty else { return nil }
            let described = pairs.map { column, target in
                "\(quoteIdentifier(column.name)) is \(column.type) but \(parent.qualifiedName).\(quoteIdentifier(target.name)) is \(target.type)"
            }
            let fix = pairs.map { column, target in
                "ALTER COLUMN \(quoteIdentifier(column.name)) TYPE \(target.type)"
            }
            let undo = pairs.map { column, _ in "ALTER COLUMN \(quoteIdentifier(column.name)) TYPE \(column.type)" }
            return Finding(
                check: "fk_type_mismatch", severity: .warning,
                object: "\(table.qualifiedName).\(quoteIdentifier(key.name))",
                message:
                    "Foreign key \(key.name) on \(table.qualifiedName): \(described.joined(separator: "; ")). Every check of the key and every join casts one side, which can keep the planner off an index, and the narrower type caps the values the key can hold; give the column the referenced column's type.",
                evidence: ["rows": table.estimatedRows, "mismatched_columns": Double(pairs.count)],
                fixSQL: "ALTER TABLE \(table.qualifiedName) \(fix.joined(separator: ", "));",
                undoSQL: "ALTER TABLE \(table.qualifiedName) \(undo.joined(separator: ", "));")
        }
    }

    static let missingOnDeleteIntent = SchemaCheck(
        id: "missing_on_delete_intent",
        summary:
            "A foreign key left at the default ON DELETE NO ACTION to a large parent: say whether deleting a parent restricts, cascades or sets null."
    ) { catalog in
        catalog.constraints.filter { $0.kind == "f" && $0.onDelete == "a" }.compactMap { key in
            guard let table = catalog.table(key.tableOid), let parentOid = key.referencedTableOid,
                let parent = catalog.table(parentOid), parent.estimatedRows > 10_000
            else { return nil }
            let name = quoteIdentifier(key.name)
            let validate = "ALTER TABLE \(table.qualifiedName) VALIDATE CONSTRAINT \(name);"
            return Finding(
                check: "missing_on_delete_intent", severity: .info, object: "\(table.qualifiedName).\(name)",
                message:
                    "Foreign key \(key.name) on \(table.qualifiedName) references \(parent.qualifiedName) (\(Int(parent.estimatedRows)) rows) with the default ON DELETE NO ACTION, so nothing records what deleting a parent row should do to its children. State it: RESTRICT (shown), CASCADE or SET NULL. The sketch re-creates the key, dropping any ON UPDATE, MATCH or DEFERRABLE options it had.",
                evidence: ["rows": table.estimatedRows, "parent_rows": parent.estimatedRows],
                fixSQL:
                    "ALTER TABLE \(table.qualifiedName) DROP CONSTRAINT \(name), ADD CONSTRAINT \(name) \(foreignKeySQL(catalog, key, onDelete: "RESTRICT")) NOT VALID;\n\(validate)",
                undoSQL:
                    "ALTER TABLE \(table.qualifiedName) DROP CONSTRAINT \(name), ADD CONSTRAINT \(name) \(foreignKeySQL(catalog, key, onDelete: "NO ACTION")) NOT VALID;\n\(validate)"
            )
        }
    }

    static let foreignKeyLikeColumnWithoutConstraint = SchemaCheck(
        id: "fk_like_column_without_constraint",
        summary:
            "A column named <x>_id, next to a table named <x>, <x>s or <x>es, with no foreign key: nothing stops orphans."
    ) { catalog in
        let tablesByName = Dictionary(
            catalog.tables.map { ("\($0.schema).\($0.name)", $0) }, uniquingKeysWith: { first, _ in first })
        let primaryKeys = Dictionary(
            catalog.constraints.filter { $0.kind == "p" }.map { ($0.tableOid, $0.columns) },
            uniquingKeysWith: { first, _ in first })
        let referencing = Set(
            catalog.constraints.filter { $0.kind == "f" }.flatMap { key in key.columns.map { "\(key.tableOid).\($0)" } }
        )
        return catalog.columns.compactMap { column in
            guard ["int8", "int4", "uuid"].contains(column.typeName), column.name.hasSuffix("_id"),
                column.name.count > 3, !referencing.contains("\(column.tableOid).\(column.number)"),
                !(primaryKeys[column.tableOid] ?? []).contains(column.number),
                let table = catalog.table(column.tableOid), !table.isPartition
            else { return nil }
            let stem = String(column.name.dropLast(3))
            guard
                let parent = [stem, stem + "s", stem + "es"].lazy.compactMap({
                    tablesByName["\(table.schema).\($0)"]
                }).first,
                let parentKey = primaryKeys[parent.oid], parentKey.count == 1,
                let target = catalog.column(parent.oid, parentKey[0])
            else { return nil }
            let name = quoteIdentifier(column.name)
            let constraint = quoteIdentifier(String("\(table.name)_\(column.name)_fkey".prefix(63)))
            let indexed = catalog.indexes(of: column.tableOid).contains {
                $0.predicate == nil && $0.keyColumns.first == column.number
            }
            let indexName = quoteIdentifier(String("\(table.name)_\(column.name)_idx".prefix(63)))
            let index = "\(quoteIdentifier(table.schema)).\(indexName)"
            var fix = [
                "ALTER TABLE \(table.qualifiedName) ADD CONSTRAINT \(constraint) FOREIGN KEY (\(name)) REFERENCES \(parent.qualifiedName) (\(quoteIdentifier(target.name))) ON DELETE RESTRICT NOT VALID;",
                "ALTER TABLE \(table.qualifiedName) VALIDATE CONSTRAINT \(constraint);",
            ]
            var undo = ["ALTER TABLE \(table.qualifiedName) DROP CONSTRAINT \(constraint);"]
            if !indexed {
                fix.insert("CREATE INDEX CONCURRENTLY \(indexName) ON \(table.qualifiedName) (\(name));", at: 0)
                undo.append("DROP INDEX CONCURRENTLY \(index);")
            }
            return Finding(
                check: "fk_like_column_without_constraint", severity: .warning,
                object: catalog.columnPath(column.tableOid, column.number),
                message:
                    "\(catalog.columnPath(column.tableOid, column.number)) (\(column.type)) looks like a reference to \(parent.qualifiedName) but has no foreign key: rows can point at parents that do not exist, and deleting a parent leaves orphans. Add the key (validation fails if orphans already exist; find them first); if the column is not a reference, rename it.",
                evidence: ["rows": table.estimatedRows, "parent_rows": parent.estimatedRows],
                fixSQL: fix.joined(separator: "\n"),
                undoSQL: undo.joined(separator: "\n"))
        }
    }

    static let unvalidatedConstraint = SchemaCheck(
        id: "unvalidated_constraint",
        summary:
            "A check or foreign key constraint added NOT VALID and never validated: existing rows are unchecked and the planner cannot rely on it."
    ) { catalog in
        catalog.constraints.filter { ($0.kind == "c" || $0.kind == "f") && !$0.isValidated }.compactMap { key in
            guard let table = catalog.table(key.tableOid) else { return nil }
            let name = quoteIdentifier(key.name)
            let kind = key.kind == "f" ? "Foreign key" : "Check constraint"
            return Finding(
                check: "unvalidated_constraint", severity: .warning, object: "\(table.qualifiedName).\(name)",
                message:
                    "\(kind) \(key.name) on \(table.qualifiedName) is NOT VALID: new and updated rows are checked but the rows that were there when it was added never were, so they may break it, and the planner cannot use it to prove anything. VALIDATE CONSTRAINT scans the table under a SHARE UPDATE EXCLUSIVE lock, which does not block reads or writes; it fails if a row violates the constraint.",
                evidence: ["rows": table.estimatedRows],
                fixSQL: "ALTER TABLE \(table.qualifiedName) VALIDATE CONSTRAINT \(name);",
                undoSQL: key.kind == "f"
                    ? "ALTER TABLE \(table.qualifiedName) DROP CONSTRAINT \(name), ADD CONSTRAINT \(name) \(foreignKeySQL(catalog, key, onDelete: onDeleteSQL(key.onDelete))) NOT VALID;"
                    : "-- VALIDATE changes no data; to restore the NOT VALID flag, drop \(name) and re-add it with its definition and NOT VALID."
            )
        }
    }

    static let duplicateForeignKey = SchemaCheck(
        id: "duplicate_foreign_key",
        summary:
            "Two foreign keys with the same columns to the same referenced columns: every write is checked twice, and their actions can conflict."
    ) { catalog in
        let keys = catalog.constraints.filter { $0.kind == "f" && $0.referencedTableOid != nil }
        let groups = Dictionary(grouping: keys) { key in
            let pairs = zip(key.columns, key.referencedColumns).map { "\($0):\($1)" }.sorted()
            return "\(key.tableOid)>\(key.referencedTableOid!)|\(pairs.joined(separator: ","))"
        }
        return groups.values.filter { $0.count > 1 }.flatMap { group -> [Finding] in
            let sorted = group.sorted { $0.name < $1.name }
            let kept = sorted[0]
            return sorted.dropFirst().compactMap { duplicate in
                guard let table = catalog.table(duplicate.tableOid),
                    let parent = catalog.table(duplicate.referencedTableOid!)
                else { return nil }
                let name = quoteIdentifier(duplicate.name)
                let columns = catalog.columnNames(duplicate.tableOid, duplicate.columns).joined(separator: ", ")
                let conflict =
                    kept.onDelete == duplicate.onDelete
                    ? ""
                    : " They disagree on ON DELETE (\(kept.name): \(onDeleteSQL(kept.onDelete)), \(duplicate.name): \(onDeleteSQL(duplicate.onDelete)))): which applies depends on the order their triggers fire, so decide which you mean before dropping."
                return Finding(
                    check: "duplicate_foreign_key", severity: .warning,
                    object: "\(table.qualifiedName).\(name)",
                    message:
                        "Foreign key \(duplicate.name) on \(table.qualifiedName)(\(columns)) repeats \(kept.name): both reference the same columns of \(parent.qualifiedName), so every insert, update and parent delete is checked twice.\(conflict) Drop the duplicate.",
                    evidence: ["rows": table.estimatedRows, "parent_rows": parent.estimatedRows, "duplicates": 2],
                    fixSQL: "ALTER TABLE \(table.qualifiedName) DROP CONSTRAINT \(name);",
                    undoSQL:
                        "ALTER TABLE \(table.qualifiedName) ADD CONSTRAINT \(name) \(foreignKeySQL(catalog, duplicate, onDelete: onDeleteSQL(duplicate.onDelete))) NOT VALID;\nALTER TABLE \(table.qualifiedName) VALIDATE CONSTRAINT \(name);"
                )
            }
        }.sorted { $0.object < $1.object }
    }

    /// `FOREIGN KEY (a, b) REFERENCES parent (x, y) ON DELETE ...` for a foreign key in the snapshot.
    static func foreignKeySQL(
        _ catalog: CatalogSnapshot, _ key: CatalogSnapshot.Constraint, onDelete: String
    )
        -> String
    {
        let parentOid = key.referencedTableOid ?? ""
        let columns = catalog.columnNames(key.tableOid, key.columns).joined(separator: ", ")
        let referenced = catalog.columnNames(parentOid, key.referencedColumns).joined(separator: ", ")
        let parent = catalog.table(parentOid)?.qualifiedName ?? "?"
        return "FOREIGN KEY (\(columns)) REFERENCES \(parent) (\(referenced)) ON DELETE \(onDelete)"
    }

    static func onDeleteSQL(_ code: String?) -> String {
        switch code {
        case "r": "RESTRICT"
        case "c": "CASCADE"
        case "n": "SET NULL"
        case "d": "SET DEFAULT"
        default: "NO ACTION"
        }
    }
}
