import Foundation

// Schemas, extensions, collations, enums, domains and sequences.
extension DiffBuilder {
    mutating func createSchemasAndExtensions() {
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

    func collationSQL(_ collation: CollationObject) -> String {
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

    mutating func createCollations() {
        for (key, new) in target.collations.sorted(by: { $0.key < $1.key }) where source.collations[key] != new {
            if source.collations[key] != nil { add("DROP COLLATION \(key)") }
            add(collationSQL(new))
        }
    }

    /// Whether the target's defaults, checks, indexes, views, policies or routines name a label the plan adds
    /// to enum `key` (`'label'::type`). `ALTER TYPE ... ADD VALUE` makes a label usable only once its
    /// transaction commits, so such an enum is swapped inside the transaction instead (renamed, created anew,
    /// its columns converted). Matching text may find a use that is not one; the swap is then merely heavier.
    func usesNewLabels(_ key: String, _ labels: [String]) -> Bool {
        guard !labels.isEmpty else { return false }
        let type = SQLText.baseName(key)
        let literals = labels.map { SQLText.literal($0) + "::" }
        var texts = target.tables.values.flatMap { $0.columns.values.compactMap(\.defaultExpression) }
        texts += target.constraints.values.map(\.definition) + target.indexes.values.map(\.definition)
        texts += target.views.values.map(\.definition) + target.functions.values.map(\.definition)
        texts += target.policies.values.flatMap { [$0.using, $0.withCheck].compactMap { $0 } }
        return texts.contains { text in text.contains(type) && literals.contains { text.contains($0) } }
    }

    mutating func changeEnums() {
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

    /// Domains: created (constraints `NOT VALID` ones added afterwards), recreated when the base type or
    /// collation changes, otherwise altered in place; checks on an existing domain are added `NOT VALID`
    /// then validated. Dropped among the leftovers, after the tables that used them.
    mutating func changeDomains() {
        for key in Self.domainOrder(Set(target.domains.keys), target.domains) {
            let new = target.domains[key]!
            let constraints = new.constraints.sorted { $0.key < $1.key }
            if source.domains[key]?.constraints != new.constraints || recreatedDomains.contains(key) {
                createFunctionsCalled(by: new)
            }
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

    /// The routines a domain's checks call, created (or replaced) before the domain or its new checks;
    /// `createFunctions` then leaves them out.
    mutating func createFunctionsCalled(by domain: DomainObject) {
        for key in Self.functionOrder(Set(domain.dependsOnFunctions ?? []), target.functions)
        where !earlyFunctions.contains(key) {
            guard let new = target.functions[key] else { continue }
            if let old = source.functions[key], old.definition == new.definition || replacedEarly.contains(key),
                !droppedFunctions.contains(key)
            {
                continue
            }
            earlyFunctions.insert(key)
            add(SQLText.trimmed(new.definition))
        }
    }

    func sequenceOptions(_ sequence: SequenceObject) -> String {
        "AS \(sequence.type) INCREMENT BY \(sequence.increment) MINVALUE \(sequence.minValue) "
            + "MAXVALUE \(sequence.maxValue) START WITH \(sequence.start) CACHE \(sequence.cache) "
            + (sequence.cycle ? "CYCLE" : "NO CYCLE")
    }

    mutating func createSequences() {
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

    /// `OWNED BY NONE` before a column that owns a sequence the target keeps is dropped or changes.
    /// The table key of an `OWNED BY` column (`"schema"."table"."column"`).
    func ownerTable(_ ownedBy: String) -> String {
        let parts = SQLText.split(ownedBy)
        let table = "\(SQLText.ident(parts.first ?? "")).\(SQLText.ident(parts.dropFirst().first ?? ""))"
        return source.tables.keys.first { SQLText.split($0) == Array(parts.prefix(2)) } ?? table
    }

    /// A kept sequence is released before its owner changes, or before its owning table is dropped and made
    /// again (which would drop the sequence along), and owned again afterwards.
    mutating func releaseSequences() {
        for (key, old) in source.sequences.sorted(by: { $0.key < $1.key }) {
            guard let owner = old.ownedBy, let new = target.sequences[key],
                new.ownedBy != owner || goneTables.contains(ownerTable(owner))
            else { continue }
            add("ALTER SEQUENCE \(key) OWNED BY NONE")
        }
    }

    mutating func ownSequences() {
        for (key, new) in target.sequences.sorted(by: { $0.key < $1.key }) {
            guard let owner = new.ownedBy,
                source.sequences[key]?.ownedBy != owner || goneTables.contains(ownerTable(owner))
            else { continue }
            add("ALTER SEQUENCE \(key) OWNED BY \(owner)")
        }
    }

    mutating func dropLeftovers() {
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
        dropGoneComposites()
        for key in Self.domainOrder(Set(source.domains.keys), source.domains).reversed()
        where target.domains[key] == nil {
            add("DROP DOMAIN \(key)", [.dataLoss], destructive: true)
        }
        for key in Self.functionOrder(lateDroppedFunctions, source.functions).reversed() {
            add("DROP \(source.functions[key]!.kind == "p" ? "PROCEDURE" : "FUNCTION") \(key)")
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
}
