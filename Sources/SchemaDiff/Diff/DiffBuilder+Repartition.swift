import Foundation

// An ordinary table turned into a partitioned one (PostgreSQL cannot ALTER it so), and back.
extension DiffBuilder {
    /// The table is ordinary in the source and partitioned in the target, with no parent and no children
    /// of its own, and each of its columns is the target's too: its rows can be moved into the new table.
    static func partitionsInPlace(_ key: String, _ source: SchemaModel, _ target: SchemaModel) -> Bool {
        guard let old = source.tables[key], let new = target.tables[key], old.kind == "r", new.kind == "p",
            old.parents.isEmpty, !new.isPartition,
            !source.tables.values.contains(where: { $0.parents.contains(key) })
        else { return false }
        // A sequence it owns (serial) would go with the old table, an identity would start again.
        let owns = source.sequences.values.contains {
            $0.ownedBy.map { Array(SQLText.split($0).prefix(2)) } == SQLText.split(key)
        }
        return !owns
            && old.columns.values.allSatisfy { column in
                guard let column2 = new.columns[column.name] else { return false }
                return column2.type == column.type && column2.generated != "s" && column.generated != "s"
                    && column.identity.isEmpty && column2.identity.isEmpty
            }
    }

    /// The table is partitioned in the source and ordinary in the target, and every partition of it is
    /// kept: they are detached first, and the partitioned table itself holds no rows.
    static func unpartitionsInPlace(_ key: String, _ source: SchemaModel, _ target: SchemaModel) -> Bool {
        guard let old = source.tables[key], let new = target.tables[key], old.kind == "p", new.kind == "r",
            !old.isPartition, new.parents.isEmpty
        else { return false }
        return source.tables.filter { $0.value.parents.first == key && $0.value.isPartition }.keys.allSatisfy {
            target.tables[$0] != nil
        }
    }

    /// Where the old table waits, renamed, until its rows are in the new one.
    /// The table is detached from a parent that goes (and is dropped, or made again) in this plan.
    func parentGoes(_ key: String) -> Bool {
        guard let old = source.tables[key], old.isPartition, let parent = old.parents.first else { return false }
        return goneTables.contains(parent)
    }

    static func unpartitionedName(_ key: String) -> String {
        SQLText.ident(String((SQLText.baseName(key) + "_unpartitioned").prefix(63)))
    }

    /// Instead of `DROP TABLE`: the old table steps aside (its constraints and indexes keep their names
    /// until it is dropped, before the new table's are made).
    mutating func setAsideForPartitioning(_ key: String) {
        add("ALTER TABLE \(key) RENAME TO \(Self.unpartitionedName(key))")
    }

    /// After the new partitioned table exists and its partitions are attached: the old table's rows go
    /// into it (each to its partition; a row no partition takes fails the statement, and with it the
    /// transaction), then the old table is dropped empty-handed.
    mutating func moveRowsIntoPartitions() {
        for key in partitionedInPlace.sorted() {
            guard let old = source.tables[key] else { continue }
            let columns = old.orderedColumns.map { SQLText.ident($0.name) }.joined(separator: ", ")
            let aside = "\(SQLText.schema(key)).\(Self.unpartitionedName(key))"
            add(
                "INSERT INTO \(key) (\(columns)) SELECT \(columns) FROM \(aside)",
                [.tableRewrite, .longLock, .rowsMayNotFit])
            add("DROP TABLE \(aside)")
        }
    }
}
