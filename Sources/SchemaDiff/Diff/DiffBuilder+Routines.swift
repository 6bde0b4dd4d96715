import Foundation

// Views, functions, triggers and policies.
extension DiffBuilder {
    mutating func dropPolicies() {
        for (key, policy) in source.policies.sorted(by: { $0.key < $1.key }) where !relationGone(policy.table) {
            if target.policies[key]?.rule == policy.rule && !relationCreated(policy.table)
                && !rebuiltPolicies.contains(key)
            {
                continue
            }
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

    /// A SQL-standard body pins what it calls (`pg_depend`): a routine whose old body calls one that is
    /// dropped is replaced before the drop when its new body no longer calls it and calls only routines
    /// that already exist; otherwise it is dropped (and created again) with it.
    mutating func pinCallers() {
        var grew = true
        while grew {
            grew = false
            for (key, function) in source.functions
            where !droppedFunctions.contains(key) && !replacedEarly.contains(key) {
                guard (function.dependsOnFunctions ?? []).contains(where: droppedFunctions.contains) else { continue }
                if let new = target.functions[key], new.definition != function.definition,
                    new.dependsOnRelations.allSatisfy(tableKept),
                    (new.dependsOnFunctions ?? []).allSatisfy({
                        source.functions[$0] != nil && !droppedFunctions.contains($0)
                    })
                {
                    replacedEarly.insert(key)
                } else {
                    droppedFunctions.insert(key)
                }
                grew = true
            }
        }
        replacedEarly.subtract(droppedFunctions)
    }

    /// Routines that read a table (or call one that does) go before the tables, the others after the
    /// tables and columns, whose checks and defaults may call them.
    mutating func dropFunctions(needingTables: Bool) {
        if needingTables {
            for key in Self.functionOrder(replacedEarly, target.functions) {
                add(SQLText.trimmed(target.functions[key]!.definition))
            }
        }
        let early = Self.needingTables(source.functions)
        // A domain check pins the routines it calls: those the target drops go after the domains.
        let calledByDomains = Set(source.domains.values.flatMap { $0.dependsOnFunctions ?? [] })
        lateDroppedFunctions = droppedFunctions.filter { target.functions[$0] == nil && calledByDomains.contains($0) }
        for key in Self.functionOrder(droppedFunctions.subtracting(lateDroppedFunctions), source.functions).reversed()
        where early.contains(key) == needingTables {
            let function = source.functions[key]!
            add("DROP \(function.kind == "p" ? "PROCEDURE" : "FUNCTION") \(key)")
        }
    }

    /// Routines are created in the order of what their SQL-standard bodies call (which `pg_depend`
    /// records); string bodies (plpgsql, `AS $$...$$`) are neither recorded nor checked, since the
    /// header sets `check_function_bodies = false`, so their order does not matter. A routine that
    /// reads a table, or calls one that does, comes after the tables.
    mutating func createFunctions(needingTables: Bool) {
        let late = Self.needingTables(target.functions)
        for key in Self.functionOrder(Set(target.functions.keys), target.functions)
        where late.contains(key) == needingTables && !earlyFunctions.contains(key) {
            let new = target.functions[key]!
            if let old = source.functions[key], old.definition == new.definition || replacedEarly.contains(key),
                !droppedFunctions.contains(key)
            {
                continue
            }
            add(SQLText.trimmed(new.definition))
        }
    }

    mutating func createViews() {
        for key in Self.topologicalOrder(createdViews, target.views) {
            let view = target.views[key]!
            let kind = view.kind == "m" ? "MATERIALIZED VIEW" : "VIEW"
            let options = view.options.map { " WITH (\(Self.storageParameters($0)))" } ?? ""
            add("CREATE \(kind) \(key)\(options) AS\n\(SQLText.trimmed(view.definition))")
        }
        // A kept view whose options alone change (security_barrier, check_option, a materialised view's
        // storage parameters) is altered in place, as tables are: all reset, then set in the target's order.
        for (key, view) in target.views.sorted(by: { $0.key < $1.key })
        where !createdViews.contains(key) && source.views[key].map({ $0.options != view.options }) == true {
            let kind = view.kind == "m" ? "MATERIALIZED VIEW" : "VIEW"
            changeOptions("\(kind) \(key)", old: source.views[key]?.options, new: view.options)
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
            if source.policies[key]?.rule == policy.rule && !relationCreated(policy.table)
                && !rebuiltPolicies.contains(key)
            {
                continue
            }
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
