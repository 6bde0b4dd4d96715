import Foundation

// `CLUSTER ON`: which index a bare `CLUSTER t` orders the table by. A catalog mark, no rewrite; it goes
// with its index, so an index dropped or built again in the plan is marked again after its build.
extension DiffBuilder {
    mutating func changeClustering() {
        for (key, table) in target.tables.sorted(by: { $0.key < $1.key }) where table.kind == "r" {
            let old = tableKept(key) ? source.tables[key]?.clusteredOn : nil
            let current = old.flatMap { indexSurvives(key, $0) ? $0 : nil }
            guard table.clusteredOn != current else { continue }
            guard let index = table.clusteredOn else {
                add("ALTER TABLE \(key) SET WITHOUT CLUSTER")
                continue
            }
            // After a concurrent build of the index, outside the transaction.
            let afterBuild = statements.contains {
                !$0.transactional && $0.sql.hasPrefix("CREATE") && $0.sql.contains(" INDEX CONCURRENTLY \(index) ON ")
            }
            add("ALTER TABLE \(key) CLUSTER ON \(index)", transactional: !afterBuild)
        }
    }

    /// Whether the index `name` (as `quote_ident` prints it) of the kept table `table` is neither dropped
    /// nor built again by the plan: a plain index with the same definition, or a key constraint's index.
    func indexSurvives(_ table: String, _ name: String) -> Bool {
        let schema = SQLText.split(table).first.map(FunctionMove.bare) ?? "public"
        let key = "\(schema).\(name)"
        if let old = source.indexes[key] {
            return target.indexes[key]?.definition == old.definition && !rebuiltIndexes.contains(key)
                && !keyIndexes.values.contains(key)
        }
        if let constraint = source.constraints["\(table).\(name)"] {
            return !constraintChanged("\(table).\(name)", constraint)
        }
        return false
    }
}
