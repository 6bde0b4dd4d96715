import Foundation

// Privileges and comments.
extension DiffBuilder {
    /// `GRANT`/`REVOKE` from `old` to `new` (entries as `role PRIVILEGE [WITH GRANT OPTION]`) on `kind object`.
    mutating func grant(_ kind: String, _ object: String, old: [String], new: [String]) {
        func parts(_ entry: String) -> (String, String) {
            let words = entry.split(separator: " ").map(String.init)
            return (words.first ?? "PUBLIC", words.count > 1 ? words[1] : "SELECT")
        }
        for entry in old where !new.contains(entry) {
            let (role, privilege) = parts(entry)
            add("REVOKE \(privilege) ON \(kind) \(object) FROM \(role)")
        }
        for entry in new where !old.contains(entry) {
            let (role, privilege) = parts(entry)
            let option = entry.hasSuffix("WITH GRANT OPTION") ? " WITH GRANT OPTION" : ""
            add("GRANT \(privilege) ON \(kind) \(object) TO \(role)\(option)")
        }
    }

    /// What PostgreSQL grants a new function or procedure beyond its owner.
    static let defaultRoutinePrivileges = ["PUBLIC EXECUTE"]

    mutating func changePrivileges() {
        for (key, schema) in target.schemas.sorted(by: { $0.key < $1.key }) {
            grant("SCHEMA", key, old: source.schemas[key]?.privileges ?? [], new: schema.privileges)
        }
        for (key, sequence) in target.sequences.sorted(by: { $0.key < $1.key }) {
            grant("SEQUENCE", key, old: source.sequences[key]?.privileges ?? [], new: sequence.privileges)
        }
        for (key, table) in target.tables.sorted(by: { $0.key < $1.key }) {
            let old = createdTables.contains(key) ? [] : source.tables[key]?.privileges ?? []
            grant("TABLE", key, old: old, new: table.privileges)
        }
        for (key, view) in target.views.sorted(by: { $0.key < $1.key }) {
            let old = createdViews.contains(key) ? [] : source.views[key]?.privileges ?? []
            grant("TABLE", key, old: old, new: view.privileges)
        }
        for (key, function) in target.functions.sorted(by: { $0.key < $1.key }) {
            let existing = droppedFunctions.contains(key) ? nil : source.functions[key]?.privileges
            grant(
                function.kind == "p" ? "PROCEDURE" : "FUNCTION", key,
                old: existing ?? Self.defaultRoutinePrivileges, new: function.privileges)
        }
    }

    mutating func comment(_ kind: String, _ object: String, old: String?, new: String?, transactional: Bool = true) {
        guard old != new else { return }
        add("COMMENT ON \(kind) \(object) IS \(new.map(SQLText.literal) ?? "NULL")", transactional: transactional)
    }

    mutating func changeComments() {
        for (key, schema) in target.schemas.sorted(by: { $0.key < $1.key }) {
            comment("SCHEMA", key, old: source.schemas[key]?.comment, new: schema.comment)
        }
        for (key, item) in target.enums.sorted(by: { $0.key < $1.key }) {
            comment("TYPE", key, old: swappedEnums.contains(key) ? nil : source.enums[key]?.comment, new: item.comment)
        }
        for (key, item) in target.domains.sorted(by: { $0.key < $1.key }) {
            let old = recreatedDomains.contains(key) ? nil : source.domains[key]?.comment
            comment("DOMAIN", key, old: old, new: item.comment)
        }
        for (key, item) in target.sequences.sorted(by: { $0.key < $1.key }) {
            comment("SEQUENCE", key, old: source.sequences[key]?.comment, new: item.comment)
        }
        for (key, table) in target.tables.sorted(by: { $0.key < $1.key }) {
            let old = createdTables.contains(key) ? nil : source.tables[key]
            comment("TABLE", key, old: old?.comment, new: table.comment)
            for column in table.orderedColumns {
                let previous = old?.columns[column.name]
                let recreated = previous.map { Self.needsRecreate($0, column) } ?? false
                comment(
                    "COLUMN", "\(key).\(SQLText.ident(column.name))", old: recreated ? nil : previous?.comment,
                    new: column.comment)
            }
        }
        for (key, view) in target.views.sorted(by: { $0.key < $1.key }) {
            let old = createdViews.contains(key) ? nil : source.views[key]?.comment
            comment(view.kind == "m" ? "MATERIALIZED VIEW" : "VIEW", key, old: old, new: view.comment)
        }
        for (key, function) in target.functions.sorted(by: { $0.key < $1.key }) {
            let old = droppedFunctions.contains(key) ? nil : source.functions[key]?.comment
            comment(function.kind == "p" ? "PROCEDURE" : "FUNCTION", key, old: old, new: function.comment)
        }
        for (key, index) in target.indexes.sorted(by: { $0.key < $1.key }) {
            let old = source.indexes[key]
            let fresh =
                old?.definition != index.definition || relationCreated(index.table) || rebuiltIndexes.contains(key)
            // An index built concurrently exists only after the transaction: its comment follows the build.
            let name = SQLText.split(key).last ?? key
            let concurrent = statements.contains {
                !$0.transactional && $0.sql.hasPrefix("CREATE") && $0.sql.contains(" INDEX CONCURRENTLY \(name) ON ")
            }
            comment("INDEX", key, old: fresh ? nil : old?.comment, new: index.comment, transactional: !concurrent)
        }
        for (key, constraint) in target.constraints.sorted(by: { $0.key < $1.key }) {
            let old = source.constraints[key]
            let fresh =
                old?.definition != constraint.definition || createdTables.contains(constraint.table)
                || rebuiltConstraints.contains(key)
            comment(
                "CONSTRAINT", "\(constraint.name) ON \(constraint.table)", old: fresh ? nil : old?.comment,
                new: constraint.comment)
        }
        for (key, trigger) in target.triggers.sorted(by: { $0.key < $1.key }) {
            let old = source.triggers[key]
            let fresh = old?.definition != trigger.definition || relationCreated(trigger.table)
            comment(
                "TRIGGER", "\(trigger.name) ON \(trigger.table)", old: fresh ? nil : old?.comment, new: trigger.comment)
        }
        for (key, policy) in target.policies.sorted(by: { $0.key < $1.key }) {
            let old = source.policies[key]
            let fresh = old?.rule != policy.rule || relationCreated(policy.table) || rebuiltPolicies.contains(key)
            comment(
                "POLICY", "\(policy.name) ON \(policy.table)", old: fresh ? nil : old?.comment, new: policy.comment)
        }
    }
}
