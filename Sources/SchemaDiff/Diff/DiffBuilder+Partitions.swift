import Foundation

// Partitions leaving their parent: what they keep of it.
extension DiffBuilder {
    /// The table is detached from its parent in this plan (and kept).
    func partitionLeaves(_ key: String) -> Bool {
        guard tableKept(key), let old = source.tables[key], old.isPartition, let new = target.tables[key]
        else { return false }
        return !(new.isPartition && new.parents == old.parents && new.partitionBound == old.partitionBound)
            || parentGoes(key)
    }

    /// After `DETACH PARTITION`: the constraints cloned from the parent stay on the table as its own. Those
    /// the target has there are adopted (not added again); the others are dropped. In a down, the indexes
    /// that were attached to the parent's are dropped here too (the concurrent down file runs first,
    /// while they still cannot be dropped).
    mutating func afterDetaching(_ key: String) {
        for name in source.tables[key]?.clonedConstraints ?? [] {
            if target.constraints["\(key).\(name)"] != nil {
                adoptedConstraints.insert("\(key).\(name)")
            } else {
                // IF EXISTS: a constraint of the parent dropped earlier in the plan took its clones along.
                add("ALTER TABLE \(key) DROP CONSTRAINT IF EXISTS \(name)")
            }
        }
        for (index, object) in source.indexes.sorted(by: { $0.key < $1.key })
        where object.table == key && object.parent != nil && goneIndexes.contains(index) {
            // Under an index of a table that goes: that index is still there (the table goes later).
            if indexGoesWithItsTable(object.parent) {
                add("DROP INDEX IF EXISTS \(index)")
                continue
            }
            guard plansDown else { continue }
            if let parent = object.parent, goneIndexes.contains(parent) { continue }
            add("DROP INDEX IF EXISTS \(index)")
        }
    }

    /// The partitioned index is on a table the plan drops (and may make again): not dropped on its own.
    func indexGoesWithItsTable(_ index: String?) -> Bool {
        guard let index, let table = source.indexes[index]?.table else { return false }
        return relationGone(table)
    }
}

extension DiffBuilder {
    /// A partition's own NOT NULL: a key added on the partition alone sets it, and dropping that key leaves
    /// it. Runs after every table's column changes, since `SET`/`DROP NOT NULL` on a parent recurses into
    /// its partitions (created ones included); only what that leaves different is changed here.
    mutating func alterPartitionColumns() {
        for (key, new) in target.tables.sorted(by: { $0.key < $1.key }) where new.isPartition {
            let created = createdTables.contains(key)
            guard created || (tableKept(key) && !partitionJoins(key)), let parentKey = new.parents.first,
                let parent = target.tables[parentKey]
            else { continue }
            for column in new.orderedColumns {
                guard let parentColumn = parent.columns[column.name] else { continue }
                var current = parentColumn.notNull
                if !created {
                    guard let before = source.tables[key]?.columns[column.name] else { continue }
                    let parentBefore = source.tables[parentKey]?.columns[column.name]?.notNull
                    if parentBefore == parentColumn.notNull || !tableKept(parentKey) { current = before.notNull }
                }
                guard current != column.notNull else { continue }
                if !column.notNull {
                    add("ALTER TABLE \(key) ALTER COLUMN \(SQLText.ident(column.name)) DROP NOT NULL")
                } else if !primaryKeyAdded(on: key, covering: column.name) {
                    if created {
                        add("ALTER TABLE \(key) ALTER COLUMN \(SQLText.ident(column.name)) SET NOT NULL")
                    } else {
                        setNotNull(key, column.name)
                    }
                }
            }
        }
    }

    /// A primary key the plan adds (or changes) on the table names the column: it sets NOT NULL itself.
    func primaryKeyAdded(on table: String, covering column: String) -> Bool {
        target.constraints.contains { key, constraint in
            constraint.table == table && constraint.type == "p" && source.constraints[key] != constraint
                && Self.mentions(constraint.definition, column: column)
        }
    }
}
