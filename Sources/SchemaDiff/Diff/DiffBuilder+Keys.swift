import Foundation

// Constraints and indexes.
extension DiffBuilder {
    func constraintChanged(_ key: String, _ constraint: ConstraintObject) -> Bool {
        guard let new = target.constraints[key] else { return true }
        if alteredForeignKeys.contains(key) || concurrentKeys[key]?.swapsOld == true { return false }
        return new.definition != constraint.definition || new.type != constraint.type
            || rebuiltForeignKeys.contains(key) || createdTables.contains(constraint.table)
            || rebuiltConstraints.contains(key) || referencesGoneTable(constraint)
    }

    /// A foreign key to a table the plan drops and makes again: dropped before, added after.
    func referencesGoneTable(_ constraint: ConstraintObject) -> Bool {
        constraint.type == "f" && constraint.references.map { goneTables.contains($0) } == true
    }

    mutating func dropConstraints() {
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

    /// A key added to a kept table whose columns a unique btree index of the source (one the target no
    /// longer has as it is) covers exactly: the key takes that index over instead of building its own.
    mutating func findKeyIndexes() {
        var taken: Set<String> = []
        for (key, constraint) in target.constraints.sorted(by: { $0.key < $1.key })
        where ["p", "u"].contains(constraint.type) && source.constraints[key] == nil
            && source.tables[constraint.table]?.kind == "r" && !goneTables.contains(constraint.table)
        {
            let kind = constraint.type == "p" ? "PRIMARY KEY " : "UNIQUE "
            guard constraint.definition.hasPrefix(kind) else { continue }
            let columns = constraint.definition.dropFirst(kind.count)
            let candidate = source.indexes.sorted(by: { $0.key < $1.key }).first { indexKey, index in
                index.table == constraint.table && !taken.contains(indexKey)
                    && target.indexes[indexKey]?.definition != index.definition
                    && index.definition.hasPrefix("CREATE UNIQUE INDEX ")
                    && index.definition.hasSuffix(" ON \(index.table) USING btree \(columns)")
            }
            if let (indexKey, _) = candidate {
                keyIndexes[key] = indexKey
                taken.insert(indexKey)
            }
        }
    }

    /// A foreign key's referenced key or unique index exists only once the concurrent migration has built
    /// it (going up; coming down the concurrent file runs first).
    func referencedKeyBuiltLate(_ constraint: ConstraintObject) -> Bool {
        keyBuiltConcurrently(on: constraint.references ?? "")
            || (!plansDown && constraint.usesIndex.map(lateIndexes.contains) == true)
    }

    /// Coming down, the concurrent file runs before the transaction that drops the foreign keys: an index
    /// one of them rests on is dropped (and built again) in the transaction, after them.
    func indexHeldByForeignKey(_ key: String) -> Bool {
        plansDown && source.constraints.values.contains { $0.type == "f" && $0.usesIndex == key }
    }

    /// Whether an index names a column the transaction adds or changes, which the concurrent file, run
    /// first coming down, does not see yet.
    func namesColumnAddedHere(_ index: IndexObject) -> Bool {
        guard let old = source.tables[index.table], let new = target.tables[index.table] else { return false }
        return new.columns.keys.contains { name in
            (old.columns[name] == nil || changedColumns.contains("\(index.table)|\(name)"))
                && Self.mentions(index.definition, column: name)
        }
    }

    /// How a source index the plan drops goes, by itself: `CONCURRENTLY`, unless it is partitioned, rebuilt
    /// with its column (in the transaction that rewrites the table anyway) or held by a foreign key.
    func dropsConcurrentlyAlone(_ key: String, _ index: IndexObject) -> Bool {
        concurrentIndexes && index.tableKind != "p" && !rebuiltIndexes.contains(key) && !indexHeldByForeignKey(key)
    }

    /// And in the transaction when an index of the same name is built there (moved to another table, made
    /// partitioned): its name must be free by then.
    func dropsConcurrently(_ key: String, _ index: IndexObject) -> Bool {
        dropsConcurrentlyAlone(key, index) && (target.indexes[key].map { buildsConcurrently(key, $0) } ?? true)
    }

    /// Whether a target index the plan makes is built `CONCURRENTLY` (outside the transaction): on an
    /// existing ordinary table, when nothing the transaction does must come first.
    func buildsConcurrently(_ key: String, _ index: IndexObject) -> Bool {
        // A key dropped in this plan frees the index's name only inside the transaction (the
        // concurrent down file runs before the transactional one): build it there, after the drop.
        let name = SQLText.split(key).last.map { SQLText.ident($0) } ?? key
        let freedByKey = [name, SQLText.split(key).last ?? key].contains { keyName in
            source.constraints["\(index.table).\(keyName)"].map { ["p", "u"].contains($0.type) } ?? false
        }
        // Likewise an index of the same name dropped in the transaction, and coming down, one on a column
        // the transaction adds.
        let freedInTransaction =
            (plansDown && goneIndexes.contains(key)
                && source.indexes[key].map { !dropsConcurrentlyAlone(key, $0) } == true)
            || (plansDown && namesColumnAddedHere(index))
        return concurrentIndexes && !relationCreated(index.table) && !freedByKey && !freedInTransaction
            && index.tableKind != "p" && !index.definition.contains(" ON ONLY ")
            && !(plansDown && (index.parent != nil || goesWithItsParent(key))) && !rebuiltIndexes.contains(key)
            && index.definition.contains(" INDEX ")
    }

    mutating func dropIndexes() {
        for (key, index) in source.indexes.sorted(by: { $0.key < $1.key }) where !relationGone(index.table) {
            guard goneIndexes.contains(key) else { continue }
            // A partition's index goes with the partitioned index it is attached to, and one of a partition
            // being detached can go only after the detach (`afterDetaching`).
            if let parent = index.parent, goneIndexes.contains(parent) { continue }
            if index.parent != nil && plansDown && partitionLeaves(index.table) { continue }
            if dropsConcurrently(key, index) {
                add("DROP INDEX CONCURRENTLY IF EXISTS \(key)", transactional: false)
            } else {
                add("DROP INDEX IF EXISTS \(key)")
            }
        }
    }

    /// Primary, unique, exclusion and check constraints; or foreign keys, once the indexes exist.
    mutating func createConstraints(foreignKeys: Bool) {
        let wanted = target.constraints.sorted { $0.key < $1.key }.filter { key, constraint in
            if adoptedConstraints.contains(key) { return false }
            guard let old = source.constraints[key] else { return true }
            if alteredForeignKeys.contains(key) { return false }
            return old.definition != constraint.definition || old.type != constraint.type
                || rebuiltForeignKeys.contains(key) || createdTables.contains(constraint.table)
                || rebuiltConstraints.contains(key) || referencesGoneTable(old)
        }
        if !foreignKeys { for key in alteredForeignKeys.sorted() { alterForeignKeyDeferral(key) } }
        for pass in foreignKeys ? [["f"]] : [["p", "u", "x"], ["c"]] {
            for (key, constraint) in wanted where pass.contains(constraint.type) {
                let prefix = "ALTER TABLE \(constraint.table) ADD CONSTRAINT \(constraint.name)"
                let existing = !createdTables.contains(constraint.table)
                if let plan = concurrentKeys[key] {
                    addConcurrentKey(constraint, plan)
                } else if constraint.type == "f", target.tables[constraint.table]?.kind == "p" {
                    // A partitioned table takes no NOT VALID foreign key: checked as it is added.
                    add(
                        "\(prefix) \(constraint.definition)", existing ? [.longLock] : [],
                        transactional: !referencedKeyBuiltLate(constraint))
                } else if constraint.type == "f", referencedKeyBuiltLate(constraint) {
                    add("\(prefix) \(constraint.definition) NOT VALID", transactional: false)
                    add("ALTER TABLE \(constraint.table) VALIDATE CONSTRAINT \(constraint.name)", transactional: false)
                } else if let index = keyIndexes["\(constraint.table).\(constraint.name)"] {
                    let kind = constraint.type == "p" ? "PRIMARY KEY" : "UNIQUE"
                    add("\(prefix) \(kind) USING INDEX \(SQLText.ident(SQLText.split(index).last ?? index))")
                } else if existing && ["c", "f"].contains(constraint.type)
                    && !constraint.definition.hasSuffix("NOT VALID")
                {
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

    mutating func createIndexes(onViews: Bool) {
        var attached: [String] = []
        var builtConcurrently = false
        for (key, index) in target.indexes.sorted(by: { $0.key < $1.key }) where (index.tableKind == "m") == onViews {
            if let old = source.indexes[key], old.definition == index.definition, !relationCreated(index.table),
                !relationGone(index.table), !goneIndexes.contains(key)
            {
                // A partition's index kept as it is, under a partitioned index made in this plan (after the
                // partition was attached): attached to it by hand.
                if let parent = index.parent,
                    source.indexes[parent] == nil || goneIndexes.contains(parent) || attachesInPlace(key)
                {
                    attached.append(key)
                }
                continue
            }
            if index.parent != nil {
                if clonedWithPartition(key) { continue }
                attached.append(key)
            }
            let fresh = relationCreated(index.table)
            if index.definition.contains(" ON ONLY ") {
                // A partitioned index on its own: a catalog entry, valid once its partitions' are attached.
                add(index.definition)
                continue
            }
            if buildsConcurrently(key, index), let range = index.definition.range(of: " INDEX ") {
                var sql = index.definition
                sql.replaceSubrange(range, with: " INDEX CONCURRENTLY ")
                add(sql, [.indexBuild], transactional: false)
                lateIndexes.insert(key)
                builtConcurrently = builtConcurrently || index.parent != nil
            } else {
                add(index.definition, fresh ? [] : [.indexBuild, .longLock])
            }
        }
        attachPartitionIndexes(attached, concurrently: builtConcurrently)
    }

    /// The source's index of that name is dropped with its partitioned index, in the transaction.
    func goesWithItsParent(_ key: String) -> Bool {
        source.indexes[key]?.parent.map { goneIndexes.contains($0) } ?? false
    }
}
