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
