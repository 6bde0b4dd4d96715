import Foundation

// Partitioned indexes: `CREATE INDEX ... ON ONLY parent` (a catalog entry), each partition's index built
// on its own (concurrently on an existing partition, after the transaction), then `ALTER INDEX parent
// ATTACH PARTITION child`, deepest first; the parent becomes valid once every partition's is attached.
extension DiffBuilder {
    /// Source indexes this plan drops or rebuilds: gone, changed, moved to another parent, on a relation
    /// that goes, or under a partitioned index that goes (`DROP INDEX` takes the partitions' along).
    mutating func findGoneIndexes() {
        let kept = Set(keyIndexes.values)
        for (key, index) in source.indexes where !kept.contains(key) {
            let new = target.indexes[key]
            // A detached partition keeps its indexes, no longer attached; `ATTACH PARTITION` attaches a
            // partition's index that matches its parent's: the same index when the target has it so.
            let detachedAlike = new?.parent == nil && partitionLeaves(index.table)
            let attachedAlike =
                index.parent == nil && new?.parent != nil && (partitionJoins(index.table) || attachesInPlace(key))
            if relationGone(index.table) || new?.definition != index.definition || rebuiltIndexes.contains(key)
                || (new?.parent != index.parent && !detachedAlike && !attachedAlike)
            {
                goneIndexes.insert(key)
            }
            // No ALTER detaches an index from its partitioned index: that one is built again without it.
            if let parent = index.parent, let new, new.parent == nil, !partitionLeaves(index.table),
                !relationGone(index.table)
            {
                goneIndexes.insert(parent)
            }
        }
        var changed = true
        while changed {
            changed = false
            for (key, index) in source.indexes where !goneIndexes.contains(key) {
                // A partition detached from a table that goes keeps its index (see `afterDetaching`).
                if let parent = index.parent, goneIndexes.contains(parent),
                    !(indexGoesWithItsTable(parent) && partitionLeaves(index.table))
                {
                    goneIndexes.insert(key)
                    changed = true
                }
            }
        }
    }

    /// A partition's index that `CREATE TABLE ... PARTITION OF` or `ATTACH PARTITION` makes by itself: the
    /// partition joins its parent in this plan and the index it is attached to already exists then (kept
    /// from the source, or itself made so). Its name is the server's choice; the proof checks it is the
    /// target's.
    func clonedWithPartition(_ key: String) -> Bool {
        var current = key
        var seen: Set<String> = []
        while let index = target.indexes[current], let parent = index.parent, seen.insert(current).inserted {
            guard partitionJoins(index.table) else {
                return false
            }
            if source.indexes[parent] != nil && !goneIndexes.contains(parent) { return true }
            current = parent
        }
        return false
    }

    /// A kept partition's index, kept as it is, that the target attaches to a partitioned index the source
    /// already has as it is: `ALTER INDEX ... ATTACH PARTITION`, nothing rebuilt.
    func attachesInPlace(_ key: String) -> Bool {
        guard let old = source.indexes[key], old.parent == nil, let new = target.indexes[key],
            new.definition == old.definition, let parent = new.parent, let oldParent = source.indexes[parent],
            target.indexes[parent]?.definition == oldParent.definition, tableKept(old.table),
            tableKept(oldParent.table), !partitionJoins(old.table)
        else { return false }
        return true
    }

    /// An index of a table being attached that the target keeps apart while the parent's index matches it:
    /// `ATTACH PARTITION` would attach it (instead of making the clone the target has), so it is dropped
    /// before the attach and built again after, in the transaction (see `rebuiltIndexes`).
    mutating func findIndexesInTheWay() {
        for (key, index) in source.indexes where index.parent == nil && target.indexes[key]?.parent == nil {
            guard tableKept(index.table), partitionJoins(index.table), target.indexes[key] != nil,
                let parentTable = target.tables[index.table]?.parents.first
            else { continue }
            let shape = Self.indexShape(index.definition)
            let inTheWay = source.indexes.contains { parentKey, parent in
                parent.table == parentTable && target.indexes[parentKey]?.definition == parent.definition
                    && !relationGone(parentTable) && Self.indexShape(parent.definition) == shape
            }
            if inTheWay { rebuiltIndexes.insert(key) }
        }
    }

    /// An index definition without its name and table: `UNIQUE|USING btree (a, b) WHERE ...`.
    static func indexShape(_ definition: String) -> String? {
        guard let using = definition.range(of: " USING ") else { return nil }
        return (definition.hasPrefix("CREATE UNIQUE INDEX ") ? "UNIQUE|" : "|") + definition[using.lowerBound...]
    }

    /// The table becomes a partition in this plan: created as one, or attached.
    func partitionJoins(_ key: String) -> Bool {
        guard let new = target.tables[key], new.isPartition else { return false }
        if createdTables.contains(key) { return true }
        guard tableKept(key), let old = source.tables[key] else { return false }
        return !(old.isPartition && old.parents == new.parents && old.partitionBound == new.partitionBound)
            || parentGoes(key)
    }

    /// How many partitioned indexes lie above this one.
    func indexDepth(_ key: String) -> Int {
        var depth = 0
        var current = key
        var seen: Set<String> = [key]
        while let parent = target.indexes[current]?.parent, seen.insert(parent).inserted {
            depth += 1
            current = parent
        }
        return depth
    }

    /// `ALTER INDEX ... ATTACH PARTITION` for the partitions' indexes built in this plan, deepest first;
    /// after the concurrent builds (outside the transaction) when there are any.
    mutating func attachPartitionIndexes(_ children: [String], concurrently: Bool) {
        let ordered = children.sorted { (indexDepth($0), $1) > (indexDepth($1), $0) }
        for key in ordered {
            guard let parent = target.indexes[key]?.parent else { continue }
            add("ALTER INDEX \(parent) ATTACH PARTITION \(key)", transactional: !concurrently)
            if concurrently { lateIndexes.insert(parent) }
        }
    }
}
