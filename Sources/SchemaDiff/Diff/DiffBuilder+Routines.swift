import Foundation

// Views, functions, triggers and policies.
extension DiffBuilder {
    mutating func dropPolicies() {
        for (key, policy) in source.policies.sorted(by: { $0.key < $1.key }) where !relationGone(policy.table) {
            if target.policies[key] == policy && !relationCreated(policy.table) { continue }
            add("DROP POLICY \(policy.name) ON \(policy.table)")
        }
    }

    mutating func dropTriggers() {
        for (key, trigger) in source.triggers.sorted(by: { $0.key < $1.key }) where !relationGone(trigger.table) {
            if let new = target.triggers[key], new.definition == trigger.definition { continue }
            add("DROP TRIGGER \(trigger.name) ON \(trigger.table)")
        }
    }

    mutating func dropViews() {
        for key in Self.topologicalOrder(goneViews, source.views).reversed() {
            let view = source.views[key]!
            add(view.kind == "m" ? "DROP MATERIALIZED VIEW \(key)" : "DROP VIEW \(key)")
        }
    }

    mutating func dropFunctions() {
        for key in droppedFunctions.sorted() {
            let function = source.functions[key]!
            add("DROP \(function.kind == "p" ? "PROCEDURE" : "FUNCTION") \(key)")
        }
    }

    mutating func createFunctions(needingTables: Bool) {
        for (key, new) in target.functions.sorted(by: { $0.key < $1.key })
        where new.dependsOnRelations.isEmpty != needingTables {
            if let old = source.functions[key], old.definition == new.definition, !droppedFunctions.contains(key) {
                continue
            }
            add(SQLText.trimmed(new.definition))
        }
    }

    mutating func createViews() {
        for key in Self.topologicalOrder(createdViews, target.views) {
            let view = target.views[key]!
            let kind = view.kind == "m" ? "MATERIALIZED VIEW" : "VIEW"
            add("CREATE \(kind) \(key) AS\n\(SQLText.trimmed(view.definition))")
        }
    }

    mutating func createTriggers() {
        for (key, trigger) in target.triggers.sorted(by: { $0.key < $1.key }) {
            if let old = source.triggers[key], old.definition == trigger.definition, !relationCreated(trigger.table) {
                if old.enabled != trigger.enabled { enableTrigger(trigger) }
                continue
            }
            add(trigger.definition)
            if trigger.enabled != "O" { enableTrigger(trigger) }
        }
    }

    mutating func enableTrigger(_ trigger: TriggerObject) {
        let verb =
            switch trigger.enabled {
            case "D": "DISABLE"
            case "R": "ENABLE REPLICA"
            case "A": "ENABLE ALWAYS"
            default: "ENABLE"
            }
        add("ALTER TABLE \(trigger.table) \(verb) TRIGGER \(trigger.name)")
    }

    mutating func createPolicies() {
        for (key, policy) in target.policies.sorted(by: { $0.key < $1.key }) {
            if source.policies[key] == policy && !relationCreated(policy.table) { continue }
            let command =
                switch policy.command {
                case "r": "SELECT"
                case "a": "INSERT"
                case "w": "UPDATE"
                case "d": "DELETE"
                default: "ALL"
                }
            var sql =
                "CREATE POLICY \(policy.name) ON \(policy.table) AS \(policy.permissive ? "PERMISSIVE" : "RESTRICTIVE")"
            sql += " FOR \(command) TO \(policy.roles.joined(separator: ", "))"
            if let using = policy.using { sql += " USING (\(using))" }
            if let check = policy.withCheck { sql += " WITH CHECK (\(check))" }
            add(sql)
        }
    }
}
