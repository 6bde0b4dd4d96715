import Foundation

// Generated columns whose expression changes. PostgreSQL 15 has no ALTER for a generation expression
// (`SET EXPRESSION` is 17), so the column is dropped and added again in the same transaction: the
// table is rewritten under an ACCESS EXCLUSIVE lock, but no value is lost (a stored generated column
// holds only what its expression computes), so this is not destructive. A regular column that becomes
// generated does lose its values, and waits for `allow_destructive`.
extension DiffBuilder {
    /// Whether dropping and adding `old` again as `new` loses values the expression cannot recompute.
    static func recreationLosesValues(_ old: ColumnObject, _ new: ColumnObject) -> Bool {
        needsRecreate(old, new) && old.generated != "s"
    }

    /// Indexes, constraints, extended statistics and policies of kept tables that name a column dropped and added
    /// again: the drop takes them along (or, for statistics on more columns, keeps them without it), so
    /// they are dropped first and created again after the column. Policies naming a column whose type
    /// changes too.
    mutating func findRebuiltDependents() {
        var recreated: [String: [String]] = [:]
        for (key, old) in source.tables where tableKept(key) {
            let new = target.tables[key]!
            for column in old.columns.values {
                if let column2 = new.columns[column.name], Self.needsRecreate(column, column2) {
                    recreated[key, default: []].append(column.name)
                }
            }
        }
        // A column whose type changes cannot be altered while a policy uses it (the server refuses).
        var retyped: [String: [String]] = [:]
        for entry in changedColumns {
            let parts = entry.split(separator: "|", maxSplits: 1).map(String.init)
            guard parts.count == 2, tableKept(parts[0]), let old = source.tables[parts[0]]?.columns[parts[1]],
                let new = target.tables[parts[0]]?.columns[parts[1]],
                old.type != new.type || old.collation != new.collation
            else { continue }
            retyped[parts[0], default: []].append(parts[1])
        }
        func names(_ table: String, _ definition: String, _ columns: [String: [String]]? = nil) -> Bool {
            (columns ?? recreated)[table]?.contains { Self.mentions(definition, column: $0) } ?? false
        }
        for (key, index) in source.indexes where names(index.table, index.definition) { rebuiltIndexes.insert(key) }
        for (key, constraint) in source.constraints where names(constraint.table, constraint.definition) {
            rebuiltConstraints.insert(key)
        }
        for (key, statistics) in source.statistics where names(statistics.table, statistics.definition) {
            rebuiltStatistics.insert(key)
        }
        for (key, policy) in source.policies
        where names(policy.table, (policy.using ?? "") + " " + (policy.withCheck ?? ""))
            || names(policy.table, (policy.using ?? "") + " " + (policy.withCheck ?? ""), retyped)
        {
            rebuiltPolicies.insert(key)
        }
    }

    /// Whether `definition` names `column` as an identifier (quoted, or bare as a whole word). A false
    /// match only rebuilds an object that did not need it.
    static func mentions(_ definition: String, column: String) -> Bool {
        if definition.contains(SQLText.ident(column)) { return true }
        guard column.wholeMatch(of: /[a-z_][a-z0-9_$]*/) != nil else { return false }
        let isPart = { (c: Character) in c.isLetter || c.isNumber || c == "_" || c == "$" || c == "\"" }
        var searchStart = definition.startIndex
        while let range = definition.range(of: column, range: searchStart..<definition.endIndex) {
            let before =
                range.lowerBound == definition.startIndex ? nil : definition[definition.index(before: range.lowerBound)]
            let after = range.upperBound == definition.endIndex ? nil : definition[range.upperBound]
            if !(before.map(isPart) ?? false) && !(after.map(isPart) ?? false) { return true }
            searchStart = range.upperBound
        }
        return false
    }
}
