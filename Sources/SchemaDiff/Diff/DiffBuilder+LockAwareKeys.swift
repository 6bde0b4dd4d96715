import Foundation

/// How a primary or unique key reaches an existing table without a long lock: its unique index is built
/// `CONCURRENTLY` (the `_concurrent` migration), then the key takes it over with `ADD CONSTRAINT ... USING
/// INDEX`, a catalog change. A key whose definition changes is swapped in one statement (`DROP
/// CONSTRAINT k, ADD CONSTRAINT k ... USING INDEX k_ccnew`), so the table is never without it.
struct ConcurrentKey: Equatable {
    /// The index built concurrently: the key's own name, or `<name>_ccnew` when an old key is swapped out.
    var index: String
    /// `CREATE UNIQUE INDEX CONCURRENTLY ...` without the index name and table.
    var indexTail: String
    /// `PRIMARY KEY` or `UNIQUE`.
    var kind: String
    /// ` DEFERRABLE`, ` DEFERRABLE INITIALLY DEFERRED` or empty.
    var deferral: String
    var swapsOld: Bool

    /// Reads `pg_get_constraintdef` of a key: `PRIMARY KEY (a, b) INCLUDE (c) DEFERRABLE INITIALLY DEFERRED`,
    /// `UNIQUE NULLS NOT DISTINCT (a)`. Nil for anything else (storage parameters, a tablespace): such a
    /// key is added as it is, in the transaction.
    init?(_ constraint: ConstraintObject, swapsOld: Bool) {
        var rest = Substring(constraint.definition)
        guard let kind = ["PRIMARY KEY", "UNIQUE"].first(where: { rest.hasPrefix("\($0) ") }) else { return nil }
        rest = rest.dropFirst(kind.count + 1)
        var nulls = ""
        if rest.hasPrefix("NULLS NOT DISTINCT ") {
            nulls = " NULLS NOT DISTINCT"
            rest = rest.dropFirst("NULLS NOT DISTINCT ".count)
        }
        guard let columns = Self.parenthesised(&rest) else { return nil }
        var include = ""
        if rest.hasPrefix(" INCLUDE ") {
            rest = rest.dropFirst(" INCLUDE ".count)
            guard let included = Self.parenthesised(&rest) else { return nil }
            include = " INCLUDE \(included)"
        }
        let deferrals = ["", " DEFERRABLE", " DEFERRABLE INITIALLY DEFERRED"]
        guard let deferral = deferrals.first(where: { String(rest) == $0 }) else { return nil }
        let base = SQLText.baseName(constraint.name)
        self.index = swapsOld ? SQLText.ident(String(base.prefix(57)) + "_ccnew") : constraint.name
        self.indexTail = "ON \(constraint.table) USING btree \(columns)\(include)\(nulls)"
        self.kind = kind
        self.deferral = deferral
        self.swapsOld = swapsOld
    }

    /// Takes `(...)` (balanced, quotes respected) off the front of `text`.
    static func parenthesised(_ text: inout Substring) -> String? {
        guard text.first == "(" else { return nil }
        var depth = 0
        var quoted = false
        for index in text.indices {
            let character = text[index]
            if character == "\"" { quoted.toggle() }
            if quoted { continue }
            if character == "(" { depth += 1 }
            if character == ")" {
                depth -= 1
                if depth == 0 {
                    let end = text.index(after: index)
                    defer { text = text[end...] }
                    return String(text[..<end])
                }
            }
        }
        return nil
    }
}

extension DiffBuilder {
    /// Foreign keys whose deferrability alone changes, and keys (`table.name`) of kept ordinary tables
    /// that are added or changed through a concurrent index build (not in a down: see
    /// `SchemaDiffer.plansDown`).
    mutating func findConcurrentKeys() {
        for (key, constraint) in source.constraints where constraint.type == "f" {
            guard let new = target.constraints[key], new.type == "f", tableKept(constraint.table),
                !rebuiltForeignKeys.contains(key), !goneTables.contains(constraint.references ?? ""),
                constraint.definition != new.definition,
                Self.withoutDeferral(constraint.definition) == Self.withoutDeferral(new.definition)
            else { continue }
            alteredForeignKeys.insert(key)
        }
        guard concurrentIndexes && !plansDown else { return }
        for (key, constraint) in target.constraints where ["p", "u"].contains(constraint.type) {
            guard keyIndexes[key] == nil, tableKept(constraint.table),
                source.tables[constraint.table]?.kind == "r", target.tables[constraint.table]?.kind == "r"
            else { continue }
            let old = source.constraints[key]
            if let old, old.definition == constraint.definition, old.type == constraint.type { continue }
            // A changed key is swapped only when the old one is a key too (anything else is dropped first).
            if let old, !["p", "u"].contains(old.type) || ConcurrentKey(old, swapsOld: false) == nil { continue }
            // A primary key whose column becomes nullable goes first: `DROP NOT NULL` fails while it is there.
            if let old, old.type == "p", primaryKeyColumnTurnsNullable(old) { continue }
            // An old key on a column that is dropped or changed goes in the transaction (with its column, or
            // before it): there is nothing left to swap.
            let oldGoes =
                old.map { old in
                    source.tables[old.table]?.columns.keys.contains {
                        changedColumns.contains("\(old.table)|\($0)") && Self.mentions(old.definition, column: $0)
                    } ?? false
                } ?? false
            if let plan = ConcurrentKey(constraint, swapsOld: old != nil && !oldGoes) { concurrentKeys[key] = plan }
        }
    }

    func primaryKeyColumnTurnsNullable(_ key: ConstraintObject) -> Bool {
        guard let old = source.tables[key.table], let new = target.tables[key.table] else { return false }
        return old.columns.values.contains { column in
            column.notNull && new.columns[column.name]?.notNull == false
                && Self.mentions(key.definition, column: column.name)
        }
    }

    /// Whether a table gets a key through the concurrent migration: foreign keys to it must follow there.
    func keyBuiltConcurrently(on table: String) -> Bool {
        concurrentKeys.keys.contains { target.constraints[$0]?.table == table }
    }

    /// The concurrent build and the takeover of one key, both outside the transaction (after it, going up).
    mutating func addConcurrentKey(_ constraint: ConstraintObject, _ plan: ConcurrentKey) {
        add("CREATE UNIQUE INDEX CONCURRENTLY \(plan.index) \(plan.indexTail)", [.indexBuild], transactional: false)
        let drop = plan.swapsOld ? " DROP CONSTRAINT \(constraint.name)," : ""
        add(
            "ALTER TABLE \(constraint.table)\(drop) ADD CONSTRAINT \(constraint.name) \(plan.kind) USING INDEX "
                + "\(plan.index)\(plan.deferral)", transactional: false)
    }

    /// A foreign key whose deferrability alone changes is altered in place (a catalog change).
    mutating func alterForeignKeyDeferral(_ key: String) {
        guard let constraint = target.constraints[key] else { return }
        let definition =
            constraint.definition.hasSuffix(" NOT VALID")
            ? String(constraint.definition.dropLast(" NOT VALID".count)) : constraint.definition
        let deferral =
            definition.hasSuffix(" DEFERRABLE INITIALLY DEFERRED")
            ? "DEFERRABLE INITIALLY DEFERRED"
            : definition.hasSuffix(" DEFERRABLE") ? "DEFERRABLE INITIALLY IMMEDIATE" : "NOT DEFERRABLE"
        add("ALTER TABLE \(constraint.table) ALTER CONSTRAINT \(constraint.name) \(deferral)")
    }

    /// A foreign key's definition without its deferral clauses, which `pg_get_constraintdef` prints last
    /// (before `NOT VALID`).
    static func withoutDeferral(_ definition: String) -> String {
        var text = definition
        let notValid = text.hasSuffix(" NOT VALID")
        if notValid { text.removeLast(" NOT VALID".count) }
        for clause in [" INITIALLY DEFERRED", " DEFERRABLE"] where text.hasSuffix(clause) {
            text.removeLast(clause.count)
        }
        return text + (notValid ? " NOT VALID" : "")
    }
}
