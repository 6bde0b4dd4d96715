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
            if relationGone(index.table) || new?.definition != index.definition || new?.parent != index.parent {
                goneIndexes.insert(key)
            }
        }
        var changed = true
        while changed {
            changed = false
            for (key, index) in source.indexes where !goneIndexes.contains(key) {
                if let parent = index.parent, goneIndexes.contains(parent) {
                    goneIndexes.insert(key)
                    changed = true
                }
            }
        }
    }

    /// A partition's index that `CREATE TABLE ... PARTITION OF` makes by itself: the partition is new and
    /// the index it is attached to already exists then (kept from the source, or itself made so). Its
    /// name is the server's choice; the proof checks it is the target's.
    func clonedWithPartition(_ key: String) -> Bool {
        var current = key
        var seen: Set<String> = []
        while let index = target.indexes[current], let parent = index.parent, seen.insert(current).inserted {
            guard createdTables.contains(index.table), target.tables[index.table]?.isPartition == true else {
                return false
            }
            if source.indexes[parent] != nil && !goneIndexes.contains(parent) { return true }
            current = parent
        }
        return false
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
        }
    }
}
