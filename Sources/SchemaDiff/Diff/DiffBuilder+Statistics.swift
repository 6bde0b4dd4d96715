import Foundation

// Extended statistics: a changed definition is dropped and created again (there is no ALTER for it);
// the target (`SET STATISTICS`) and the comment are altered in place.
extension DiffBuilder {
    func statisticsRecreated(_ key: String, _ new: StatisticsObject) -> Bool {
        guard let old = source.statistics[key] else { return true }
        return old.definition != new.definition || old.table != new.table || rebuiltStatistics.contains(key)
            || relationCreated(new.table) || relationGone(new.table)
    }

    mutating func dropStatistics() {
        for (key, old) in source.statistics.sorted(by: { $0.key < $1.key }) where !relationGone(old.table) {
            if let new = target.statistics[key], !statisticsRecreated(key, new) { continue }
            add("DROP STATISTICS IF EXISTS \(key)")
        }
    }

    mutating func createStatistics() {
        for (key, new) in target.statistics.sorted(by: { $0.key < $1.key }) {
            let recreated = statisticsRecreated(key, new)
            let old = recreated ? nil : source.statistics[key]
            if recreated { add(SQLText.trimmed(new.definition)) }
            if old?.target != new.target { add("ALTER STATISTICS \(key) SET STATISTICS \(new.target ?? -1)") }
            comment("STATISTICS", key, old: old?.comment, new: new.comment)
        }
    }
}
