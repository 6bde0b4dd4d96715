import Foundation

/// The ordered statements from `source` to `target` (see `SchemaDiffer` for the order).
struct DiffBuilder {
    let source: SchemaModel
    let target: SchemaModel
    let concurrentIndexes: Bool
    private(set) var statements: [MigrationStatement] = []

    /// Relations of the source that disappear (dropped or recreated tables, dropped or recreated views).
    private var goneTables: Set<String> = []
    private var createdTables: Set<String> = []
    private var goneViews: Set<String> = []
    private var createdViews: Set<String> = []
    private var droppedFunctions: Set<String> = []
    /// `"schema"."table"|column` of columns dropped or retyped.
    private var changedColumns: Set<String> = []
    private var swappedEnums: Set<String> = []
    /// Domains dropped and created again because their base type or collation changes.
    private var recreatedDomains: Set<String> = []
    /// Foreign keys dropped and re-added because the key they reference changes.
    private var rebuiltForeignKeys: Set<String> = []

    init(source: SchemaModel, target: SchemaModel, concurrentIndexes: Bool) {
        self.source = source
        self.target = target
        self.concurrentIndexes = concurrentIndexes
    }

    private mutating func add(
        _ sql: String, _ hazards: [Hazard] = [], destructive: Bool = false, transactional: Bool = true
    ) {
        statements.append(
            MigrationStatement(sql, hazards: hazards, destructive: destructive, transactional: transactional))
    }

    // MARK: - Planning the sets

    private mutating func classify() {
        for (key, old) in source.tables {
            if let new = target.tables[key] {
                if old.kind != new.kind || old.partitionKey != new.partitionKey {
                    goneTables.insert(key)
                    createdTables.insert(key)
                }
            } else {
                goneTables.insert(key)
            }
        }
        for key in target.tables.keys where source.tables[key] == nil { createdTables.insert(key) }
        for (key, old) in source.tables where !goneTables.contains(key) {
            let new = target.tables[key]!
            for (name, column) in old.columns {
                guard let column2 = new.columns[name] else {
                    changedColumns.insert("\(key)|\(name)")
                    continue
                }
                if column.type != column2.type || column.collation != column2.collation
                    || Self.needsRecreate(column, column2) || (column.isLocal == true && column2.isLocal == false)
                {
                    changedColumns.insert("\(key)|\(name)")
                }
            }
        }
        for (key, old) in source.enums {
            guard let new = target.enums[key] else { continue }
            if !EnumChange.isAppendOnly(old.labels, new.labels) {
                swappedEnums.insert(key)
                for (tableKey, table) in source.tables where !goneTables.contains(tableKey) {
                    for column in table.columns.values where Self.uses(column.type, key) {
                        changedColumns.insert("\(tableKey)|\(column.name)")
                    }
                }
            }
        }
        for (key, old) in source.domains {
            if let new = target.domains[key], new.baseType != old.baseType || new.collation != old.collation {
                recreatedDomains.insert(key)
            }
        }
        for (key, old) in source.functions {
            guard let new = target.functions[key] else {
                droppedFunctions.insert(key)
                continue
            }
            if old.definition != new.definition && (old.result != new.result || old.kind != new.kind) {
                droppedFunctions.insert(key)
            }
        }
        // Views: dropped when they change, or when anything they read goes away or changes type.
        for (key, old) in source.views {
            if let new = target.views[key], new.kind == old.kind, new.definition == old.definition { continue }
            goneViews.insert(key)
        }
        var changed = true
        while changed {
            changed = false
            for (key, view) in source.views where !goneViews.contains(key) {
                let affected =
                    view.dependsOnRelations.contains { goneTables.contains($0) || goneViews.contains($0) }
                    || view.dependsOnColumns.contains { changedColumns.contains($0) }
                    || view.dependsOnFunctions.contains { droppedFunctions.contains($0) }
                    || view.dependsOnTypes.contains {
                        swappedEnums.contains($0) || recreatedDomains.contains($0)
                            || (target.enums[$0] == nil && target.domains[$0] == nil)
                    }
                if affected {
                    goneViews.insert(key)
                    changed = true
                }
            }
        }
        for key in target.views.keys where source.views[key] == nil || goneViews.contains(key) {
            createdViews.insert(key)
        }
        // A primary or unique key that is dropped takes the foreign keys that reference its table along.
        var rekeyedTables: Set<String> = []
        for (key, constraint) in source.constraints where ["p", "u"].contains(constraint.type) {
            if target.constraints[key] != constraint && !goneTables.contains(constraint.table) {
                rekeyedTables.insert(constraint.table)
            }
        }
        for (key, constraint) in source.constraints where constraint.type == "f" {
            if let references = constraint.references, rekeyedTables.contains(references),
                target.constraints[key] != nil, !goneTables.contains(constraint.table)
            {
                rebuiltForeignKeys.insert(key)
            }
        }
    }

    static func needsRecreate(_ old: ColumnObject, _ new: ColumnObject) -> Bool {
        new.generated == "s" && (old.generated != "s" || old.defaultExpression != new.defaultExpression)
    }

    /// Whether a column type (as `format_type` prints it) is the enum `key` or an array of it.
    static func uses(_ type: String, _ key: String) -> Bool {
        let base = type.hasSuffix("[]") ? String(type.dropLast(2)) : type
        if base == key { return true }
        let parts = SQLText.split(key)
        return parts.count == 2 && parts[0] == "public" && SQLText.split(base) == [parts[1]]
    }

    private func tableKept(_ key: String) -> Bool {
        source.tables[key] != nil && !goneTables.contains(key) && target.tables[key] != nil
    }
    private func relationGone(_ key: String) -> Bool { goneTables.contains(key) || goneViews.contains(key) }
    private func relationCreated(_ key: String) -> Bool {
        createdTables.contains(key) || createdViews.contains(key)
    }

    // MARK: - Building

    mutating func build() {
        classify()
        dropPolicies()
        dropTriggers()
        dropViews()
        dropFunctions()
        dropConstraints()
        dropIndexes()
        detachTables()
        releaseSequences()
        dropTables()
        dropColumns()
        createSchemasAndExtensions()
        createCollations()
        changeEnums()
        changeDomains()
        createSequences()
        createFunctions(needingTables: false)
        createTables()
        alterTables()
        attachTables()
        ownSequences()
        dropLeftovers()
        createConstraints()
        createIndexes(onViews: false)
        createFunctions(needingTables: true)
        createViews()
        createIndexes(onViews: true)
        createTriggers()
        createPolicies()
        changePrivileges()
        changeComments()
    }

    // MARK: Drops

    private mutating func dropPolicies() {
        for (key, policy) in source.policies.sorted(by: { $0.key < $1.key }) where !relationGone(policy.table) {
            if target.policies[key] == policy && !relationCreated(policy.table) { continue }
            add("DROP POLICY \(policy.name) ON \(policy.table)")
        }
    }

    private mutating func dropTriggers() {
        for (key, trigger) in source.triggers.sorted(by: { $0.key < $1.key }) where !relationGone(trigger.table) {
            if let new = target.triggers[key], new.definition == trigger.definition { continue }
            add("DROP TRIGGER \(trigger.name) ON \(trigger.table)")
        }
    }

    private mutating func dropViews() {
        for key in Self.topologicalOrder(goneViews, source.views).reversed() {
            let view = source.views[key]!
            add(view.kind == "m" ? "DROP MATERIALIZED VIEW \(key)" : "DROP VIEW \(key)")
        }
    }

    private mutating func dropFunctions() {
        for key in droppedFunctions.sorted() {
            let function = source.functions[key]!
            add("DROP \(function.kind == "p" ? "PROCEDURE" : "FUNCTION") \(key)")
        }
    }

    private func constraintChanged(_ key: String, _ constraint: ConstraintObject) -> Bool {
        guard let new = target.constraints[key] else { return true }
        return new.definition != constraint.definition || new.type != constraint.type
            || rebuiltForeignKeys.contains(key) || createdTables.contains(constraint.table)
    }

    private mutating func dropConstraints() {
        let sorted = source.constraints.sorted { $0.key < $1.key }
        // Foreign keys go first, also on tables about to be dropped (another dropped table may be referenced).
        for (key, constraint) in sorted where constraint.type == "f" && constraintChanged(key, constraint) {
            add("ALTER TABLE \(constraint.table) DROP CONSTRAINT \(constraint.name)")
        }
        for (key, constraint) in sorted where constraint.type != "f" && !goneTables.contains(constraint.table) {
            guard constraintChanged(key, constraint) else { continue }
            add("ALTER TABLE \(constraint.table) DROP CONSTRAINT \(constraint.name)")
        }
    }

    private mutating func dropIndexes() {
        for (key, index) in source.indexes.sorted(by: { $0.key < $1.key }) where !relationGone(index.table) {
            if let new = target.indexes[key], new.definition == index.definition { continue }
            if concurrentIndexes && index.tableKind != "p" {
                add("DROP INDEX CONCURRENTLY IF EXISTS \(key)", transactional: false)
            } else {
                add("DROP INDEX IF EXISTS \(key)")
            }
        }
    }

    private mutating func detachTables() {
        for (key, old) in source.tables.sorted(by: { $0.key < $1.key }) where tableKept(key) {
            let new = target.tables[key]!
            if old.isPartition, let parent = old.parents.first,
                !(new.isPartition && new.parents == old.parents && new.partitionBound == old.partitionBound),
                !goneTables.contains(parent)
            {
                add("ALTER TABLE \(parent) DETACH PARTITION \(key)")
            } else if !old.isPartition && !new.isPartition {
                for parent in old.parents where !new.parents.contains(parent) && !goneTables.contains(parent) {
                    add("ALTER TABLE \(key) NO INHERIT \(parent)")
                }
            }
        }
    }

    /// `OWNED BY NONE` before a column that owns a sequence the target keeps is dropped or changes.
    private mutating func releaseSequences() {
        for (key, old) in source.sequences.sorted(by: { $0.key < $1.key }) {
            guard let owner = old.ownedBy, let new = target.sequences[key], new.ownedBy != owner else { continue }
            add("ALTER SEQUENCE \(key) OWNED BY NONE")
        }
    }

    private static func depth(_ key: String, _ tables: [String: TableObject]) -> Int {
        var depth = 0
        var current = key
        var seen: Set<String> = [key]
        while let parent = tables[current]?.parents.first, seen.insert(parent).inserted {
            depth += 1
            current = parent
        }
        return depth
    }

    private mutating func dropTables() {
        let ordered = goneTables.sorted {
            (Self.depth($0, source.tables), $0) > (Self.depth($1, source.tables), $1)
        }
        for key in ordered {
            // A partition or child goes with its parent only when the parent drop cascades; drop it first.
            add("DROP TABLE \(key)", [.dataLoss], destructive: true)
        }
    }

    private mutating func dropColumns() {
        for (key, old) in source.tables.sorted(by: { $0.key < $1.key }) where tableKept(key) {
            let new = target.tables[key]!
            if old.isPartition || new.isPartition { continue }
            for column in old.orderedColumns where column.isLocal == true {
                let column2 = new.columns[column.name]
                if column2 == nil || column2?.isLocal == false || Self.needsRecreate(column, column2!) {
                    add(
                        "ALTER TABLE \(key) DROP COLUMN \(SQLText.ident(column.name))", [.dataLoss, .longLock],
                        destructive: true)
                }
            }
        }
    }

    // MARK: Creates and changes

    private mutating func createSchemasAndExtensions() {
        for key in target.schemas.keys.sorted() where source.schemas[key] == nil {
            add("CREATE SCHEMA \(key)")
        }
        for (name, new) in target.extensions.sorted(by: { $0.key < $1.key }) {
            guard let old = source.extensions[name] else {
                add(
                    "CREATE EXTENSION IF NOT EXISTS \(SQLText.ident(name)) WITH SCHEMA \(new.schema) VERSION \(SQLText.literal(new.version))"
                )
                continue
            }
            if old.schema != new.schema { add("ALTER EXTENSION \(SQLText.ident(name)) SET SCHEMA \(new.schema)") }
            if old.version != new.version {
                if Self.versionLess(new.version, old.version) {
                    add("DROP EXTENSION \(SQLText.ident(name))")
                    add(
                        "CREATE EXTENSION \(SQLText.ident(name)) WITH SCHEMA \(new.schema) VERSION \(SQLText.literal(new.version))"
                    )
                } else {
                    add("ALTER EXTENSION \(SQLText.ident(name)) UPDATE TO \(SQLText.literal(new.version))")
                }
            }
        }
    }

    static func versionLess(_ left: String, _ right: String) -> Bool {
        let l = left.split(separator: ".").map { Int($0) ?? 0 }
        let r = right.split(separator: ".").map { Int($0) ?? 0 }
        return l.lexicographicallyPrecedes(r)
    }

    private func collationSQL(_ collation: CollationObject) -> String {
        var options: [String] = []
        switch collation.provider {
        case "i":
            options.append("provider = icu")
            options.append("locale = \(SQLText.literal(collation.icuLocale ?? collation.collate ?? ""))")
        default:
            options.append("provider = libc")
            options.append("lc_collate = \(SQLText.literal(collation.collate ?? ""))")
            options.append("lc_ctype = \(SQLText.literal(collation.ctype ?? ""))")
        }
        if !collation.deterministic { options.append("deterministic = false") }
        return "CREATE COLLATION \(collation.name) (\(options.joined(separator: ", ")))"
    }

    private mutating func createCollations() {
        for (key, new) in target.collations.sorted(by: { $0.key < $1.key }) where source.collations[key] != new {
            if source.collations[key] != nil { add("DROP COLLATION \(key)") }
            add(collationSQL(new))
        }
    }

    private mutating func changeEnums() {
        for (key, new) in target.enums.sorted(by: { $0.key < $1.key }) {
            let labels = new.labels.map(SQLText.literal).joined(separator: ", ")
            guard let old = source.enums[key] else {
                add("CREATE TYPE \(key) AS ENUM (\(labels))")
                continue
            }
            if old.labels == new.labels { continue }
            if !swappedEnums.contains(key) {
                var current = old.labels
                for (index, label) in new.labels.enumerated() where !current.contains(label) {
                    if index == 0 {
                        add(
                            "ALTER TYPE \(key) ADD VALUE \(SQLText.literal(label)) BEFORE \(SQLText.literal(current[0]))"
                        )
                        current.insert(label, at: 0)
                    } else {
                        let previous = new.labels[index - 1]
                        add("ALTER TYPE \(key) ADD VALUE \(SQLText.literal(label)) AFTER \(SQLText.literal(previous))")
                        current.insert(label, at: (current.firstIndex(of: previous) ?? current.count - 1) + 1)
                    }
                }
                continue
            }
            // The swap: rename the old type, create the new one, convert every column, drop the old one.
            let oldName = SQLText.baseName(key) + "__old_version_to_be_dropped"
            add("ALTER TYPE \(key) RENAME TO \(SQLText.ident(oldName))")
            add("CREATE TYPE \(key) AS ENUM (\(labels))")
            for (tableKey, table) in source.tables.sorted(by: { $0.key < $1.key }) where !goneTables.contains(tableKey)
            {
                for column in table.orderedColumns where Self.uses(column.type, key) {
                    guard let column2 = target.tables[tableKey]?.columns[column.name], column2.type == column.type,
                        column.isLocal != false
                    else { continue }
                    let name = SQLText.ident(column.name)
                    let array = column.type.hasSuffix("[]") ? "[]" : ""
                    if column.defaultExpression != nil {
                        add("ALTER TABLE \(tableKey) ALTER COLUMN \(name) DROP DEFAULT")
                    }
                    add(
                        "ALTER TABLE \(tableKey) ALTER COLUMN \(name) TYPE \(key)\(array) USING \(name)::text\(array)::\(key)\(array)",
                        [.tableRewrite, .longLock], destructive: true)
                    if let expression = column2.defaultExpression, column2.generated.isEmpty, column2.identity.isEmpty {
                        add("ALTER TABLE \(tableKey) ALTER COLUMN \(name) SET DEFAULT \(expression)")
                    }
                }
            }
            add("DROP TYPE \(SQLText.renamed(key, to: oldName))")
        }
    }

    /// Keys in an order where each domain comes after the domain it is based on.
    static func domainOrder(_ keys: Set<String>, _ domains: [String: DomainObject]) -> [String] {
        var order: [String] = []
        var visited: Set<String> = []
        func visit(_ key: String) {
            guard keys.contains(key), visited.insert(key).inserted else { return }
            if let base = domains[key]?.baseType {
                for other in keys.sorted() where other != key && uses(base, other) { visit(other) }
            }
            order.append(key)
        }
        for key in keys.sorted() { visit(key) }
        return order
    }

    /// Domains: created (constraints `NOT VALID` ones added afterwards), recreated when the base type or
    /// collation changes, otherwise altered in place; checks on an existing domain are added `NOT VALID`
    /// then validated. Dropped among the leftovers, after the tables that used them.
    private mutating func changeDomains() {
        for key in Self.domainOrder(Set(target.domains.keys), target.domains) {
            let new = target.domains[key]!
            let constraints = new.constraints.sorted { $0.key < $1.key }
            guard let old = source.domains[key], !recreatedDomains.contains(key) else {
                if recreatedDomains.contains(key) { add("DROP DOMAIN \(key)", [.dataLoss], destructive: true) }
                var sql = "CREATE DOMAIN \(key) AS \(new.baseType)"
                if let collation = new.collation { sql += " COLLATE \(collation)" }
                if let expression = new.defaultExpression { sql += " DEFAULT \(expression)" }
                if new.notNull { sql += " NOT NULL" }
                for (name, definition) in constraints where !definition.hasSuffix("NOT VALID") {
                    sql += " CONSTRAINT \(name) \(definition)"
                }
                add(sql)
                for (name, definition) in constraints where definition.hasSuffix("NOT VALID") {
                    add("ALTER DOMAIN \(key) ADD CONSTRAINT \(name) \(definition)")
                }
                continue
            }
            if old.defaultExpression != new.defaultExpression {
                add("ALTER DOMAIN \(key) " + (new.defaultExpression.map { "SET DEFAULT \($0)" } ?? "DROP DEFAULT"))
            }
            for (name, definition) in old.constraints.sorted(by: { $0.key < $1.key })
            where new.constraints[name] != definition {
                add("ALTER DOMAIN \(key) DROP CONSTRAINT \(name)")
            }
            if old.notNull != new.notNull {
                // Setting NOT NULL scans every column of the domain's type.
                add("ALTER DOMAIN \(key) \(new.notNull ? "SET" : "DROP") NOT NULL", new.notNull ? [.longLock] : [])
            }
            for (name, definition) in constraints where old.constraints[name] != definition {
                if definition.hasSuffix("NOT VALID") {
                    add("ALTER DOMAIN \(key) ADD CONSTRAINT \(name) \(definition)")
                } else {
                    add("ALTER DOMAIN \(key) ADD CONSTRAINT \(name) \(definition) NOT VALID")
                    add("ALTER DOMAIN \(key) VALIDATE CONSTRAINT \(name)")
                }
            }
        }
    }

    private func sequenceOptions(_ sequence: SequenceObject) -> String {
        "AS \(sequence.type) INCREMENT BY \(sequence.increment) MINVALUE \(sequence.minValue) "
            + "MAXVALUE \(sequence.maxValue) START WITH \(sequence.start) CACHE \(sequence.cache) "
            + (sequence.cycle ? "CYCLE" : "NO CYCLE")
    }

    private mutating func createSequences() {
        for (key, new) in target.sequences.sorted(by: { $0.key < $1.key }) {
            guard let old = source.sequences[key] else {
                add("CREATE SEQUENCE \(key) \(sequenceOptions(new))")
                continue
            }
            var changed = old
            changed.ownedBy = new.ownedBy
            changed.comment = new.comment
            if changed != new { add("ALTER SEQUENCE \(key) \(sequenceOptions(new))") }
        }
    }

    private mutating func createFunctions(needingTables: Bool) {
        for (key, new) in target.functions.sorted(by: { $0.key < $1.key })
        where new.dependsOnRelations.isEmpty != needingTables {
            if let old = source.functions[key], old.definition == new.definition, !droppedFunctions.contains(key) {
                continue
            }
            add(SQLText.trimmed(new.definition))
        }
    }

    static func columnDefinition(_ column: ColumnObject) -> String {
        var sql = "\(SQLText.ident(column.name)) \(column.type)"
        if let collation = column.collation { sql += " COLLATE \(collation)" }
        if column.generated == "s", let expression = column.defaultExpression {
            sql += " GENERATED ALWAYS AS (\(expression)) STORED"
        } else if !column.identity.isEmpty {
            sql += column.identity == "a" ? " GENERATED ALWAYS AS IDENTITY" : " GENERATED BY DEFAULT AS IDENTITY"
        } else if let expression = column.defaultExpression {
            sql += " DEFAULT \(expression)"
        }
        if column.notNull && column.identity.isEmpty { sql += " NOT NULL" }
        return sql
    }

    private mutating func createTables() {
        let ordered = createdTables.sorted {
            (Self.depth($0, target.tables), $0) < (Self.depth($1, target.tables), $1)
        }
        for key in ordered {
            let table = target.tables[key]!
            if let bound = table.partitionBound, let parent = table.parents.first {
                var sql = "CREATE TABLE \(key) PARTITION OF \(parent) \(bound)"
                if let partitionKey = table.partitionKey { sql += " PARTITION BY \(partitionKey)" }
                add(sql)
                continue
            }
            let columns = table.orderedColumns.filter { $0.isLocal != false }.map(Self.columnDefinition)
            var sql = "CREATE \(table.persistence == "u" ? "UNLOGGED " : "")TABLE \(key) ("
            if !columns.isEmpty { sql += "\n    " + columns.joined(separator: ",\n    ") + "\n" }
            sql += ")"
            if !table.parents.isEmpty { sql += " INHERITS (\(table.parents.joined(separator: ", ")))" }
            if let partitionKey = table.partitionKey { sql += " PARTITION BY \(partitionKey)" }
            add(sql)
            if table.rowSecurity { add("ALTER TABLE \(key) ENABLE ROW LEVEL SECURITY") }
            if table.forceRowSecurity { add("ALTER TABLE \(key) FORCE ROW LEVEL SECURITY") }
        }
    }

    private mutating func setNotNull(_ table: String, _ column: String) {
        let name = SQLText.ident(String("\(SQLText.baseName(table))_\(column)_not_null".prefix(63)))
        let quoted = SQLText.ident(column)
        add("ALTER TABLE \(table) ADD CONSTRAINT \(name) CHECK (\(quoted) IS NOT NULL) NOT VALID")
        add("ALTER TABLE \(table) VALIDATE CONSTRAINT \(name)")
        add("ALTER TABLE \(table) ALTER COLUMN \(quoted) SET NOT NULL")
        add("ALTER TABLE \(table) DROP CONSTRAINT \(name)")
    }

    static func rewritingDefault(_ expression: String?) -> Bool {
        guard let expression else { return false }
        return ["nextval(", "random(", "gen_random_uuid(", "clock_timestamp(", "uuid_generate"].contains {
            expression.contains($0)
        }
    }

    private mutating func alterTables() {
        for (key, old) in source.tables.sorted(by: { $0.key < $1.key }) where tableKept(key) {
            let new = target.tables[key]!
            if old.persistence != new.persistence {
                add(
                    "ALTER TABLE \(key) SET \(new.persistence == "u" ? "UNLOGGED" : "LOGGED")",
                    [.tableRewrite, .longLock])
            }
            if !(old.isPartition || new.isPartition) {
                for column in old.orderedColumns {
                    guard let column2 = new.columns[column.name], column.isLocal == true || column2.isLocal == true,
                        !(column.isLocal == true && column2.isLocal == false), !Self.needsRecreate(column, column2)
                    else { continue }
                    if column.isLocal == false {
                        // Inherited in the source, declared here in the target: the parent drops it first.
                        let inherited = new.parents.contains { target.tables[$0]?.columns[column.name] != nil }
                        if !inherited { addColumn(key, column2) }
                        continue
                    }
                    alterColumn(key, column, column2)
                }
                for column in new.orderedColumns
                where old.columns[column.name] == nil || Self.needsRecreate(old.columns[column.name]!, column) {
                    if column.isLocal == false { continue }
                    addColumn(key, column)
                }
            }
            if old.rowSecurity != new.rowSecurity {
                add("ALTER TABLE \(key) \(new.rowSecurity ? "ENABLE" : "DISABLE") ROW LEVEL SECURITY")
            }
            if old.forceRowSecurity != new.forceRowSecurity {
                add("ALTER TABLE \(key) \(new.forceRowSecurity ? "" : "NO ")FORCE ROW LEVEL SECURITY")
            }
        }
    }

    private mutating func addColumn(_ table: String, _ column: ColumnObject) {
        var hazards: [Hazard] = []
        if column.generated == "s" || !column.identity.isEmpty || Self.rewritingDefault(column.defaultExpression) {
            hazards = [.tableRewrite, .longLock]
        }
        add("ALTER TABLE \(table) ADD COLUMN \(Self.columnDefinition(column))", hazards)
    }

    private mutating func alterColumn(_ table: String, _ old: ColumnObject, _ new: ColumnObject) {
        let prefix = "ALTER TABLE \(table) ALTER COLUMN \(SQLText.ident(old.name))"
        var currentDefault = old.generated == "s" || !old.identity.isEmpty ? nil : old.defaultExpression
        var currentIdentity = old.identity
        if !old.identity.isEmpty && new.identity.isEmpty {
            add("\(prefix) DROP IDENTITY")
            currentIdentity = ""
        }
        if old.generated == "s" && new.generated != "s" { add("\(prefix) DROP EXPRESSION") }
        let typeChanges = old.type != new.type || old.collation != new.collation
        let targetDefault = new.generated == "s" || !new.identity.isEmpty ? nil : new.defaultExpression
        if currentDefault != nil && (currentDefault != targetDefault || typeChanges) {
            add("\(prefix) DROP DEFAULT")
            currentDefault = nil
        }
        if typeChanges {
            let change = TypeChange(from: old.type, to: new.type)
            var hazards: [Hazard] = [.longLock]
            if change.rewrite || old.collation != new.collation { hazards.insert(.tableRewrite, at: 0) }
            if change.narrowing { hazards.append(.dataLoss) }
            let collate = new.collation.map { " COLLATE \($0)" } ?? ""
            // Enums convert to and from other types only through text.
            let viaText = (isEnum(old.type) || isEnum(new.type)) && new.type != "text" ? "::text" : ""
            add(
                "\(prefix) TYPE \(new.type)\(collate) USING \(SQLText.ident(old.name))\(viaText)::\(new.type)",
                hazards, destructive: change.narrowing)
        }
        if !old.notNull && new.notNull { setNotNull(table, old.name) }
        if old.notNull && !new.notNull { add("\(prefix) DROP NOT NULL") }
        if let targetDefault, currentDefault != targetDefault { add("\(prefix) SET DEFAULT \(targetDefault)") }
        if !new.identity.isEmpty && currentIdentity != new.identity {
            let kind = new.identity == "a" ? "ALWAYS" : "BY DEFAULT"
            if currentIdentity.isEmpty {
                add("\(prefix) ADD GENERATED \(kind) AS IDENTITY", [.longLock])
            } else {
                add("\(prefix) SET GENERATED \(kind)")
            }
        }
    }

    private func isEnum(_ type: String) -> Bool {
        source.enums.keys.contains { Self.uses(type, $0) } || target.enums.keys.contains { Self.uses(type, $0) }
    }

    private mutating func attachTables() {
        for (key, new) in target.tables.sorted(by: { $0.key < $1.key }) where tableKept(key) {
            let old = source.tables[key]!
            if new.isPartition, let parent = new.parents.first, let bound = new.partitionBound,
                !(old.isPartition && old.parents == new.parents && old.partitionBound == bound)
            {
                add("ALTER TABLE \(parent) ATTACH PARTITION \(key) \(bound)", [.longLock])
            } else if !old.isPartition && !new.isPartition {
                for parent in new.parents where !old.parents.contains(parent) {
                    add("ALTER TABLE \(key) INHERIT \(parent)")
                }
            }
        }
    }

    private mutating func ownSequences() {
        for (key, new) in target.sequences.sorted(by: { $0.key < $1.key }) {
            guard let owner = new.ownedBy, source.sequences[key]?.ownedBy != owner else { continue }
            add("ALTER SEQUENCE \(key) OWNED BY \(owner)")
        }
    }

    private mutating func dropLeftovers() {
        for (key, old) in source.sequences.sorted(by: { $0.key < $1.key }) where target.sequences[key] == nil {
            if let owner = old.ownedBy {
                let parts = SQLText.split(owner)
                let table = "\(SQLText.ident(parts[0])).\(SQLText.ident(parts[1]))"
                let tableKey = source.tables.keys.first { SQLText.split($0) == Array(parts.prefix(2)) } ?? table
                // Dropped with its table or column.
                if goneTables.contains(tableKey)
                    || changedColumns.contains("\(tableKey)|\(parts[2])")
                        && target.tables[tableKey]?.columns[parts[2]] == nil
                {
                    continue
                }
            }
            add("DROP SEQUENCE \(key)")
        }
        for key in Self.domainOrder(Set(source.domains.keys), source.domains).reversed()
        where target.domains[key] == nil {
            add("DROP DOMAIN \(key)", [.dataLoss], destructive: true)
        }
        for key in source.enums.keys.sorted() where target.enums[key] == nil { add("DROP TYPE \(key)") }
        for key in source.collations.keys.sorted() where target.collations[key] == nil {
            add("DROP COLLATION \(key)")
        }
        for key in source.extensions.keys.sorted() where target.extensions[key] == nil {
            add("DROP EXTENSION \(SQLText.ident(key))")
        }
        for key in source.schemas.keys.sorted() where target.schemas[key] == nil { add("DROP SCHEMA \(key)") }
    }

    private mutating func createConstraints() {
        let wanted = target.constraints.sorted { $0.key < $1.key }.filter { key, constraint in
            guard let old = source.constraints[key] else { return true }
            return old.definition != constraint.definition || old.type != constraint.type
                || rebuiltForeignKeys.contains(key) || createdTables.contains(constraint.table)
        }
        for pass in [["p", "u", "x"], ["c"], ["f"]] {
            for (_, constraint) in wanted where pass.contains(constraint.type) {
                let prefix = "ALTER TABLE \(constraint.table) ADD CONSTRAINT \(constraint.name)"
                let existing = !createdTables.contains(constraint.table)
                if existing && ["c", "f"].contains(constraint.type) && !constraint.definition.hasSuffix("NOT VALID") {
                    add("\(prefix) \(constraint.definition) NOT VALID")
                    add("ALTER TABLE \(constraint.table) VALIDATE CONSTRAINT \(constraint.name)")
                } else {
                    add(
                        "\(prefix) \(constraint.definition)",
                        existing && pass.count == 3 ? [.indexBuild, .longLock] : [])
                }
            }
        }
    }

    private mutating func createIndexes(onViews: Bool) {
        for (key, index) in target.indexes.sorted(by: { $0.key < $1.key }) where (index.tableKind == "m") == onViews {
            if let old = source.indexes[key], old.definition == index.definition, !relationCreated(index.table),
                !relationGone(index.table)
            {
                continue
            }
            let fresh = relationCreated(index.table)
            if concurrentIndexes && !fresh && index.tableKind != "p",
                let range = index.definition.range(of: " INDEX ")
            {
                var sql = index.definition
                sql.replaceSubrange(range, with: " INDEX CONCURRENTLY ")
                add(sql, [.indexBuild], transactional: false)
            } else {
                add(index.definition, fresh ? [] : [.indexBuild, .longLock])
            }
        }
    }

    private mutating func createViews() {
        for key in Self.topologicalOrder(createdViews, target.views) {
            let view = target.views[key]!
            let kind = view.kind == "m" ? "MATERIALIZED VIEW" : "VIEW"
            add("CREATE \(kind) \(key) AS\n\(SQLText.trimmed(view.definition))")
        }
    }

    /// Keys in an order where each view comes after the views of the set it reads.
    static func topologicalOrder(_ keys: Set<String>, _ views: [String: ViewObject]) -> [String] {
        var order: [String] = []
        var visited: Set<String> = []
        func visit(_ key: String) {
            guard keys.contains(key), visited.insert(key).inserted else { return }
            for dependency in views[key]?.dependsOnRelations ?? [] { visit(dependency) }
            order.append(key)
        }
        for key in keys.sorted() { visit(key) }
        return order
    }

    private mutating func createTriggers() {
        for (key, trigger) in target.triggers.sorted(by: { $0.key < $1.key }) {
            if let old = source.triggers[key], old.definition == trigger.definition, !relationCreated(trigger.table) {
                if old.enabled != trigger.enabled { enableTrigger(trigger) }
                continue
            }
            add(trigger.definition)
            if trigger.enabled != "O" { enableTrigger(trigger) }
        }
    }

    private mutating func enableTrigger(_ trigger: TriggerObject) {
        let verb =
            switch trigger.enabled {
            case "D": "DISABLE"
            case "R": "ENABLE REPLICA"
            case "A": "ENABLE ALWAYS"
            default: "ENABLE"
            }
        add("ALTER TABLE \(trigger.table) \(verb) TRIGGER \(trigger.name)")
    }

    private mutating func createPolicies() {
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

    /// `GRANT`/`REVOKE` from `old` to `new` (entries as `role PRIVILEGE [WITH GRANT OPTION]`) on `kind object`.
    private mutating func grant(_ kind: String, _ object: String, old: [String], new: [String]) {
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

    private mutating func changePrivileges() {
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

    private mutating func comment(_ kind: String, _ object: String, old: String?, new: String?) {
        guard old != new else { return }
        add("COMMENT ON \(kind) \(object) IS \(new.map(SQLText.literal) ?? "NULL")")
    }

    private mutating func changeComments() {
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
            let fresh = old?.definition != index.definition || relationCreated(index.table)
            comment("INDEX", key, old: fresh ? nil : old?.comment, new: index.comment)
        }
        for (key, constraint) in target.constraints.sorted(by: { $0.key < $1.key }) {
            let old = source.constraints[key]
            let fresh = old?.definition != constraint.definition || createdTables.contains(constraint.table)
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
    }
}
