import Foundation

// Partitions leaving their parent: what they keep of it.
extension DiffBuilder {
    /// The table is detached from its parent in this plan (and kept).
    func partitionLeaves(_ key: String) -> Bool {
        guard tableKept(key), let old = source.tables[key], old.isPartition, let parent = old.parents.first,
            !goneTables.contains(parent), let new = target.tables[key]
        else { return false }
        return !(new.isPartition && new.parents == old.parents && new.partitionBound == old.partitionBound)
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
        guard plansDown else { return }
        for (index, object) in source.indexes.sorted(by: { $0.key < $1.key })
        where object.table == key && object.parent != nil && goneIndexes.contains(index) {
            if let parent = object.parent, goneIndexes.contains(parent) { continue }
            add("DROP INDEX IF EXISTS \(index)")
        }
    }
}
