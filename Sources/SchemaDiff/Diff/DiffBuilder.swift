import Foundation

/// The ordered statements from `source` to `target` (see `SchemaDiffer` for the order).
struct DiffBuilder {
    let source: SchemaModel
    let target: SchemaModel
    let concurrentIndexes: Bool
    private(set) var statements: [MigrationStatement] = []

    /// Relations of the source that disappear (dropped or recreated tables, dropped or recreated views).
    var goneTables: Set<String> = []
    var createdTables: Set<String> = []
    /// Ordinary tables made partitioned, their rows moved (`partitionsInPlace`), and partitioned tables
    /// made ordinary, their partitions kept (`unpartitionsInPlace`); both are also gone and created.
    var partitionedInPlace: Set<String> = []
    var unpartitionedInPlace: Set<String> = []
    var goneViews: Set<String> = []
    var createdViews: Set<String> = []
    var droppedFunctions: Set<String> = []
    /// `"schema"."table"|column` of columns dropped or retyped.
    var changedColumns: Set<String> = []
    var swappedEnums: Set<String> = []
    /// Domains dropped and created again because their base type or collation changes.
    var recreatedDomains: Set<String> = []
    /// Composite types dropped and created again (see `findRecreatedComposites`).
    var recreatedComposites: Set<String> = []
    /// Recreated composite types, and those going away that nest one: dropped before the creations.
    var droppedCompositesEarly: Set<String> = []
    /// Routines a domain's check calls, created just before that domain (see `createFunctionsCalled`).
    var earlyFunctions: Set<String> = []
    /// Routines a dropped domain check calls: dropped after the domains (see `dropFunctions`).
    var lateDroppedFunctions: Set<String> = []
    /// Foreign keys dropped and re-added because the key they reference changes.
    var rebuiltForeignKeys: Set<String> = []
    /// New primary and unique keys (`table.name`) built from a unique index of the source that matches
    /// them (`ADD CONSTRAINT ... USING INDEX`), to the index's key; that index is not dropped.
    var keyIndexes: [String: String] = [:]
    /// A down (see `SchemaDiffer.plansDown`): keys and partitions' indexes are built in the transaction.
    var plansDown = false
    /// Keys (`table.name`) added or changed through a concurrent unique index, and how (`ConcurrentKey`).
    var concurrentKeys: [String: ConcurrentKey] = [:]
    /// Source indexes dropped or rebuilt by the plan (see `findGoneIndexes`).
    var goneIndexes: Set<String> = []
    /// Constraints (`table.name`) a detached partition keeps from its parent that the target has as its own.
    var adoptedConstraints: Set<String> = []
    /// Foreign keys whose deferrability alone changes: `ALTER CONSTRAINT`, not dropped and added.
    var alteredForeignKeys: Set<String> = []
    /// Indexes, constraints and extended statistics dropped and created again in the transaction, with a
    /// column they name (see `findRebuiltDependents`) or around an attach (see `findIndexesInTheWay`).
    var rebuiltIndexes: Set<String> = []
    var rebuiltConstraints: Set<String> = []
    var rebuiltStatistics: Set<String> = []
    var rebuiltPolicies: Set<String> = []
    /// Changed routines replaced before the drops, since their old bodies call a dropped routine.
    var replacedEarly: Set<String> = []
    /// Routines that only change schema (the source is given with them moved already).
    var functionMoves: [FunctionMove] = []
    /// Target indexes usable only after the transaction going up (built concurrently, or partitioned ones
    /// whose partitions' indexes are attached there): foreign keys resting on them follow them there.
    var lateIndexes: Set<String> = []

    init(source: SchemaModel, target: SchemaModel, concurrentIndexes: Bool) {
        self.source = source
        self.target = target
        self.concurrentIndexes = concurrentIndexes
    }

    mutating func add(
        _ sql: String, _ hazards: [Hazard] = [], destructive: Bool = false, transactional: Bool = true
    ) {
        statements.append(
            MigrationStatement(sql, hazards: hazards, destructive: destructive, transactional: transactional))
    }

    // MARK: - Planning the sets

    mutating func classify() {
        for (key, old) in source.tables {
            if let new = target.tables[key] {
                if old.kind != new.kind || old.partitionKey != new.partitionKey {
                    goneTables.insert(key)
                    createdTables.insert(key)
                    if Self.partitionsInPlace(key, source, target) { partitionedInPlace.insert(key) }
                    if Self.unpartitionsInPlace(key, source, target) { unpartitionedInPlace.insert(key) }
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
            let added = new.labels.filter { !old.labels.contains($0) }
            if !EnumChange.isAppendOnly(old.labels, new.labels) || usesNewLabels(key, added) {
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
        findRecreatedComposites()
        let replacedTypes = recreatedDomains.union(recreatedComposites).union(swappedEnums)
        for (key, old) in source.functions {
            guard let new = target.functions[key] else {
                droppedFunctions.insert(key)
                continue
            }
            if old.definition != new.definition && (old.result != new.result || old.kind != new.kind) {
                droppedFunctions.insert(key)
            }
            // A routine whose signature uses a type that is dropped and created again goes and comes back.
            if (old.dependsOnTypes ?? []).contains(where: replacedTypes.contains) { droppedFunctions.insert(key) }
        }
        pinCallers()
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
                        replacedTypes.contains($0)
                            || (target.enums[$0] == nil && target.domains[$0] == nil && target.composites[$0] == nil)
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
        findKeyIndexes()
        for (key, constraint) in source.constraints where constraint.type == "f" {
            if let references = constraint.references, rekeyedTables.contains(references),
                target.constraints[key] != nil, !goneTables.contains(constraint.table)
            {
                rebuiltForeignKeys.insert(key)
            }
        }
        findRebuiltDependents()
        findIndexesInTheWay()
        findConcurrentKeys()
        findGoneIndexes()
        // A foreign key rests on a unique index of the table it references: one dropped or built again takes
        // the key along (dropped before it, added after it).
        for (key, constraint) in source.constraints where constraint.type == "f" {
            guard let index = constraint.usesIndex, goneIndexes.contains(index), target.constraints[key] != nil,
                !goneTables.contains(constraint.table)
            else { continue }
            rebuiltForeignKeys.insert(key)
            alteredForeignKeys.remove(key)
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

    func tableKept(_ key: String) -> Bool {
        source.tables[key] != nil && !goneTables.contains(key) && target.tables[key] != nil
    }
    func relationGone(_ key: String) -> Bool { goneTables.contains(key) || goneViews.contains(key) }
    func relationCreated(_ key: String) -> Bool {
        createdTables.contains(key) || createdViews.contains(key)
    }

    // MARK: - Building

    mutating func build() {
        classify()
        dropPolicies()
        dropTriggers()
        dropViews()
        dropConstraints()
        dropIndexes()
        dropStatistics()
        dropPublications()
        // After the constraints, indexes and statistics whose expressions may call them.
        dropFunctions(needingTables: true)
        detachTables()
        releaseSequences()
        dropTables()
        dropColumns()
        dropFunctions(needingTables: false)
        dropRecreatedComposites()
        createSchemasAndExtensions()
        moveFunctions()
        createCollations()
        changeEnums()
        changeDomains()
        changeComposites()
        createSequences()
        createFunctions(needingTables: false)
        createTables()
        alterTables()
        alterPartitionColumns()
        attachTables()
        moveRowsIntoPartitions()
        changeColumnSettings()
        ownSequences()
        dropLeftovers()
        createConstraints(foreignKeys: false)
        createIndexes(onViews: false)
        // After the indexes: a foreign key may rest on a unique index (not a constraint) of the table it references.
        createConstraints(foreignKeys: true)
        changeReplicaIdentity()
        changeClustering()
        createPublications()
        createFunctions(needingTables: true)
        createViews()
        createIndexes(onViews: true)
        createStatistics()
        createTriggers()
        createPolicies()
        changePrivileges()
        changeDefaultPrivileges()
        changeComments()
        changeCompositeGrantsAndComments()
    }
}
