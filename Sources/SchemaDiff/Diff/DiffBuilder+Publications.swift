import Foundation

// Publications: created empty with their options, then given their tables and schemas one by one, as
// pg_dump writes them; a table entry whose column list or row filter changes is dropped and added again.
// `FOR ALL TABLES` cannot be altered into a list (or back): such a publication is dropped and created.
extension DiffBuilder {
    func publicationRecreated(_ key: String) -> Bool {
        guard let old = source.publications[key], let new = target.publications[key] else { return true }
        return old.allTables != new.allTables
    }

    /// Before tables and columns go: entries that go or change leave their publication first (a column in
    /// a column list cannot be dropped while it is listed).
    mutating func dropPublications() {
        for (key, old) in source.publications.sorted(by: { $0.key < $1.key }) {
            if target.publications[key] == nil || publicationRecreated(key) {
                add("DROP PUBLICATION \(key)")
                continue
            }
            let new = target.publications[key]!
            for (table, entry) in old.tables.sorted(by: { $0.key < $1.key }) where !relationGone(table) {
                if new.tables[table] != entry || relationCreated(table) {
                    add("ALTER PUBLICATION \(key) DROP TABLE ONLY \(table)")
                }
            }
            for schema in old.schemas where !new.schemas.contains(schema) {
                add("ALTER PUBLICATION \(key) DROP TABLES IN SCHEMA \(schema)")
            }
        }
    }

    /// After tables and columns exist.
    mutating func createPublications() {
        for (key, new) in target.publications.sorted(by: { $0.key < $1.key }) {
            let old = publicationRecreated(key) ? nil : source.publications[key]
            if old == nil {
                add("CREATE PUBLICATION \(key)\(new.allTables ? " FOR ALL TABLES" : "") WITH (\(new.options))")
            } else if old?.options != new.options {
                add("ALTER PUBLICATION \(key) SET (\(new.options))")
            }
            for (table, entry) in new.tables.sorted(by: { $0.key < $1.key }) {
                if let old, old.tables[table] == entry, !relationCreated(table), !relationGone(table) { continue }
                add("ALTER PUBLICATION \(key) ADD TABLE ONLY \(entry)")
            }
            for schema in new.schemas where !(old?.schemas.contains(schema) ?? false) {
                add("ALTER PUBLICATION \(key) ADD TABLES IN SCHEMA \(schema)")
            }
            comment("PUBLICATION", key, old: old?.comment, new: new.comment)
        }
    }
}
