import Foundation

// Composite types: created after the enums and domains their attributes use and before the routines and
// tables that use them; dropped after those are gone.
extension DiffBuilder {
    /// The in-place change of a composite type both sides have: attributes dropped, retyped, then added at
    /// the end, where `ADD ATTRIBUTE` puts them. Nil when that cannot give the target's order (an attribute
    /// inserted before a kept one, or kept ones reordered): the type is then dropped and created again.
    static func attributeChanges(
        _ old: CompositeTypeObject, _ new: CompositeTypeObject
    ) -> (dropped: [String], retyped: [CompositeAttribute], added: [CompositeAttribute])? {
        let newNames = new.attributes.map(\.name)
        let kept = old.attributes.map(\.name).filter(newNames.contains)
        guard Array(newNames.prefix(kept.count)) == kept else { return nil }
        let dropped = old.attributes.map(\.name).filter { !newNames.contains($0) }
        let retyped = new.attributes.filter { attribute in
            guard let before = old.attributes.first(where: { $0.name == attribute.name }) else { return false }
            return before.type != attribute.type || before.collation != attribute.collation
        }
        return (dropped, retyped, Array(new.attributes.dropFirst(kept.count)))
    }

    /// Composite types dropped and created again: those whose attributes cannot be changed in place, and
    /// those with an attribute of a type that goes away or is recreated (the drop would fail on them).
    mutating func findRecreatedComposites() {
        for (key, old) in source.composites {
            if let new = target.composites[key], Self.attributeChanges(old, new) == nil {
                recreatedComposites.insert(key)
            }
        }
        var grew = true
        while grew {
            grew = false
            let replaced = recreatedComposites.union(recreatedDomains).union(swappedEnums)
                .union(source.composites.keys.filter { target.composites[$0] == nil })
                .union(source.domains.keys.filter { target.domains[$0] == nil })
            for (key, old) in source.composites
            where target.composites[key] != nil && !recreatedComposites.contains(key) {
                if old.attributes.contains(where: { attribute in replaced.contains { Self.uses(attribute.type, $0) } })
                {
                    recreatedComposites.insert(key)
                    grew = true
                }
            }
        }
    }

    /// Whether values of the composite type `key` are stored in a table column of the source, directly, in
    /// an array or inside another composite type: dropping an attribute then loses data.
    func compositeHoldsRows(_ key: String) -> Bool {
        var holders: Set<String> = [key]
        var grew = true
        while grew {
            grew = false
            for (other, composite) in source.composites where !holders.contains(other) {
                if composite.attributes.contains(where: { attribute in
                    holders.contains { Self.uses(attribute.type, $0) }
                }) {
                    holders.insert(other)
                    grew = true
                }
            }
        }
        return source.tables.values.contains { table in
            table.columns.values.contains { column in holders.contains { Self.uses(column.type, $0) } }
        }
    }

    /// Drops the composite types that are recreated, and those going away that nest one, outer first,
    /// before they are created again. What uses them (routines, views) has been dropped before.
    mutating func dropRecreatedComposites() {
        var early = recreatedComposites
        var grew = true
        while grew {
            grew = false
            for (key, old) in source.composites where target.composites[key] == nil && !early.contains(key) {
                if old.attributes.contains(where: { attribute in early.contains { Self.uses(attribute.type, $0) } }) {
                    early.insert(key)
                    grew = true
                }
            }
        }
        droppedCompositesEarly = early
        for key in Self.compositeOrder(early, source.composites).reversed() { add("DROP TYPE \(key)") }
    }

    /// Drops the other composite types the target does not have, among the leftovers: after the columns
    /// that held them have been dropped or retyped.
    mutating func dropGoneComposites() {
        let gone = Set(source.composites.keys.filter { target.composites[$0] == nil })
        for key in Self.compositeOrder(gone.subtracting(droppedCompositesEarly), source.composites).reversed() {
            add("DROP TYPE \(key)")
        }
    }

    /// Creates new and recreated composite types, and changes the others in place, in the order of what
    /// their attributes use.
    mutating func changeComposites() {
        for key in Self.compositeOrder(Set(target.composites.keys), target.composites) {
            let new = target.composites[key]!
            guard let old = source.composites[key], !recreatedComposites.contains(key),
                let changes = Self.attributeChanges(old, new)
            else {
                let attributes = new.attributes.map(\.definition).joined(separator: ", ")
                add("CREATE TYPE \(key) AS (\(attributes))")
                continue
            }
            let holdsRows = compositeHoldsRows(key)
            for name in changes.dropped {
                add(
                    "ALTER TYPE \(key) DROP ATTRIBUTE \(SQLText.ident(name))", holdsRows ? [.dataLoss] : [],
                    destructive: holdsRows)
            }
            for attribute in changes.retyped {
                // The server refuses this while a table column holds the type: the proof then reports it.
                var sql = "ALTER TYPE \(key) ALTER ATTRIBUTE \(SQLText.ident(attribute.name)) TYPE \(attribute.type)"
                if let collation = attribute.collation { sql += " COLLATE \(collation)" }
                add(sql)
            }
            for attribute in changes.added {
                add("ALTER TYPE \(key) ADD ATTRIBUTE \(attribute.definition)")
            }
        }
    }

    /// Grants (`USAGE`) and comments of composite types and their attributes.
    mutating func changeCompositeGrantsAndComments() {
        for (key, new) in target.composites.sorted(by: { $0.key < $1.key }) {
            let old = recreatedComposites.contains(key) ? nil : source.composites[key]
            grant("TYPE", key, old: old?.privileges ?? ["PUBLIC USAGE"], new: new.privileges)
            comment("TYPE", key, old: old?.comment, new: new.comment)
            for attribute in new.attributes {
                let previous = old?.attributes.first { $0.name == attribute.name }
                comment(
                    "COLUMN", "\(key).\(SQLText.ident(attribute.name))", old: previous?.comment,
                    new: attribute.comment)
            }
        }
    }
}
