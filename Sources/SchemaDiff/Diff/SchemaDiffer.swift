import Foundation

/// Computes the statements that take one `SchemaModel` to another.
///
/// Order (drops before creates, dependents dropped before what they depend on, created after it):
/// policies, triggers, views (dependents first), foreign keys, other constraints, indexes, functions that
/// read tables, detached partitions, tables (children first), columns, other functions, recreated composite
/// types (outer first); then schemas, extensions, collations, enums (new values, or the rename/create/convert/
/// drop swap when values go away or move), domains (base first, each after the routines its checks call),
/// composite types (inner first), sequences, functions that need no table, tables (parents first), column
/// changes, attachments, sequence ownership, leftover drops of sequences, composite types, domains, routines
/// their checks called, enums, collations, extensions and schemas, constraints (primary, unique, checks),
/// indexes, foreign keys (after the unique indexes they may rest on), functions over row types, views
/// (dependencies first) and their indexes, triggers, policies, privileges, comments.
///
/// Lock-aware choices: indexes on tables that already exist are built and dropped `CONCURRENTLY`
/// (non-transactional statements); checks and foreign keys on existing tables are added `NOT VALID` and
/// validated separately; `SET NOT NULL` goes through a validated check; keys added to existing tables
/// take over a unique index built concurrently; a partitioned index is made `ON ONLY` the parent, its
/// partitions' indexes built concurrently and attached. A view is dropped and recreated
/// when its definition changes or anything it reads is dropped or retyped.
public struct SchemaDiffer: Sendable {
    public var allowDestructive: Bool
    /// Build and drop indexes on existing tables with `CONCURRENTLY`.
    public var concurrentIndexes: Bool
    /// The plan is a down: apply_migration rolls its concurrent file back before its transactional one,
    /// which may first have to add a key's columns, free its name or create a partitioned index, so keys
    /// and partitions' indexes are built in the transaction (going up they are built concurrently).
    public var plansDown = false

    public init(allowDestructive: Bool = false, concurrentIndexes: Bool = true) {
        self.allowDestructive = allowDestructive
        self.concurrentIndexes = concurrentIndexes
    }

    public func diff(from source: SchemaModel, to target: SchemaModel) -> SchemaChange {
        var pending: [PendingChange] = []
        let effective = allowDestructive ? target : Self.withoutDestructiveChanges(source, target, &pending)
        let moves = FunctionMove.find(source, effective)
        var builder = DiffBuilder(
            source: FunctionMove.apply(moves, to: source, target: effective), target: effective,
            concurrentIndexes: concurrentIndexes)
        builder.functionMoves = moves
        builder.plansDown = plansDown
        builder.build()
        var statements = builder.statements
        if !allowDestructive {
            // A safety net: whatever destructive statement the held-back target still produced waits too.
            for statement in statements where statement.destructive {
                pending.append(
                    PendingChange(
                        object: statement.sql,
                        reason: "destructive (\(statement.hazards.map(\.rawValue).joined(separator: ", ")))",
                        statements: [statement.sql]))
            }
            statements.removeAll(where: \.destructive)
        }
        return SchemaChange(statements: statements, pending: pending)
    }

    // MARK: - Destructive changes held back

    /// The target with every destructive change undone (the source's version kept), and the changes listed.
    static func withoutDestructiveChanges(
        _ source: SchemaModel, _ target: SchemaModel, _ pending: inout [PendingChange]
    ) -> SchemaModel {
        var result = target
        /// A composite type a kept column uses, with the composite types and enums its attributes use.
        func keepType(_ type: String) {
            for (name, value) in source.enums where result.enums[name] == nil && DiffBuilder.uses(type, name) {
                result.enums[name] = value
            }
            for (name, value) in source.composites where result.composites[name] == nil && DiffBuilder.uses(type, name)
            {
                result.composites[name] = value
                for attribute in value.attributes { keepType(attribute.type) }
            }
        }
        /// What a kept table or column needs: its schema, the sequences it owns, the types it uses.
        func keepDependencies(_ key: String, _ columns: [ColumnObject]) {
            for (name, value) in source.schemas where SQLText.split(name).first == SQLText.split(key).first {
                result.schemas[name] = result.schemas[name] ?? value
            }
            for column in columns {
                for (name, sequence) in source.sequences where result.sequences[name] == nil {
                    let owner = sequence.ownedBy.map(SQLText.split) ?? []
                    if owner == SQLText.split(key) + [column.name] { result.sequences[name] = sequence }
                }
                keepType(column.type)
            }
        }
        func keepTable(_ key: String) {
            guard let table = source.tables[key] else { return }
            keepDependencies(key, Array(table.columns.values))
            result.tables[key] = table
            result.views[key] = nil
            for (k, v) in source.constraints where v.table == key { result.constraints[k] = v }
            for (k, v) in source.indexes where v.table == key { result.indexes[k] = v }
            for (k, v) in source.triggers where v.table == key { result.triggers[k] = v }
            for (k, v) in source.policies where v.table == key { result.policies[k] = v }
            for (k, v) in source.statistics where v.table == key { result.statistics[k] = v }
        }
        for key in source.tables.keys.sorted() {
            let old = source.tables[key]!
            guard let new = target.tables[key] else {
                pending.append(
                    PendingChange(
                        object: key, reason: "dropping the table loses its rows", statements: ["DROP TABLE \(key)"]))
                keepTable(key)
                continue
            }
            if old.kind != new.kind || old.partitionKey != new.partitionKey,
                !DiffBuilder.partitionsInPlace(key, source, target),
                !DiffBuilder.unpartitionsInPlace(key, source, target)
            {
                pending.append(
                    PendingChange(
                        object: key, reason: "changing partitioning recreates the table and loses its rows",
                        statements: ["DROP TABLE \(key)", "CREATE TABLE \(key) ..."]))
                keepTable(key)
                continue
            }
            if new.isPartition || old.isPartition { continue }
            var kept = new
            for (name, column) in old.columns where column.isLocal == true {
                let column2 = new.columns[name]
                let position = (new.columns.values.map(\.position).max() ?? 0) + column.position
                if column2 == nil || column2?.isLocal == false {
                    pending.append(
                        PendingChange(
                            object: "\(key).\(SQLText.ident(name))", reason: "dropping the column loses its values",
                            statements: ["ALTER TABLE \(key) DROP COLUMN \(SQLText.ident(name))"]))
                    var restored = column
                    if column2 == nil { restored.position = position }
                    kept.columns[name] = restored
                    keepDependencies(key, [column])
                    continue
                }
                guard let target = column2 else { continue }
                if DiffBuilder.recreationLosesValues(column, target) {
                    pending.append(
                        PendingChange(
                            object: "\(key).\(SQLText.ident(name))",
                            reason: "a column becomes generated only by dropping and adding it, which loses its values",
                            statements: ["ALTER TABLE \(key) DROP COLUMN \(SQLText.ident(name))", "ADD COLUMN ..."]))
                    kept.columns[name] = column
                } else if column.type != target.type, TypeChange(from: column.type, to: target.type).narrowing {
                    pending.append(
                        PendingChange(
                            object: "\(key).\(SQLText.ident(name))",
                            reason: "\(column.type) -> \(target.type) can fail on or truncate existing values",
                            statements: [
                                "ALTER TABLE \(key) ALTER COLUMN \(SQLText.ident(name)) TYPE \(target.type)"
                            ]))
                    kept.columns[name]?.type = column.type
                    kept.columns[name]?.collation = column.collation
                }
            }
            result.tables[key] = kept
        }
        for (key, old) in source.domains {
            let new = target.domains[key]
            if new == nil || new?.baseType != old.baseType || new?.collation != old.collation {
                pending.append(
                    PendingChange(
                        object: key,
                        reason: new == nil
                            ? "dropping the domain fails on, or takes along, the columns of its type"
                            : "changing a domain's base type or collation drops and recreates it",
                        statements: new == nil
                            ? ["DROP DOMAIN \(key)"] : ["DROP DOMAIN \(key)", "CREATE DOMAIN \(key) ..."]))
                result.domains[key] = old
            }
        }
        for (key, old) in source.enums {
            guard let new = target.enums[key], !EnumChange.isAppendOnly(old.labels, new.labels) else { continue }
            pending.append(
                PendingChange(
                    object: key, reason: "removing or reordering enum values fails on rows that hold them",
                    statements: ["ALTER TYPE \(key) RENAME ...", "CREATE TYPE \(key) ...", "DROP TYPE ..."]))
            result.enums[key]?.labels = old.labels + new.labels.filter { !old.labels.contains($0) }
        }
        return result
    }
}

/// How a column's type change behaves.
struct TypeChange {
    var rewrite: Bool
    var narrowing: Bool

    init(from old: String, to new: String) {
        func parse(_ type: String) -> (base: String, modifiers: [Int]) {
            guard let open = type.firstIndex(of: "("), type.hasSuffix(")") else { return (type, []) }
            let inner = type[type.index(after: open)..<type.index(before: type.endIndex)]
            return (
                String(type[..<open]),
                inner.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            )
        }
        let (oldBase, oldModifiers) = parse(old)
        let (newBase, newModifiers) = parse(new)
        let integers = ["smallint", "integer", "bigint"]
        if old == new {
            (rewrite, narrowing) = (false, false)
        } else if oldBase == "character varying" && (new == "text" || new == "character varying") {
            (rewrite, narrowing) = (false, false)
        } else if oldBase == newBase, ["character varying", "numeric", "bit varying"].contains(oldBase) {
            let wider = newModifiers.isEmpty || (oldModifiers.first ?? Int.max) <= (newModifiers.first ?? Int.max)
            let sameScale = oldModifiers.count < 2 || newModifiers.count < 2 || oldModifiers[1] == newModifiers[1]
            (rewrite, narrowing) = (!(wider && sameScale) || oldBase == "numeric" && !newModifiers.isEmpty, !wider)
        } else if let from = integers.firstIndex(of: old), let to = integers.firstIndex(of: new) {
            (rewrite, narrowing) = (true, to < from)
        } else if new == "text" || new == "character varying" {
            (rewrite, narrowing) = (true, false)
        } else {
            (rewrite, narrowing) = (true, true)
        }
    }
}

enum EnumChange {
    /// True when `new` is `old` with values inserted (each old value still there, in the same order).
    static func isAppendOnly(_ old: [String], _ new: [String]) -> Bool {
        new.filter { old.contains($0) } == old
    }
}
