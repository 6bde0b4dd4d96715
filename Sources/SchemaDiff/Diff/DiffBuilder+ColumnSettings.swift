import Foundation

// Column storage, compression and statistics targets: catalog changes, no rewrite (existing values
// keep their storage until rewritten). `ALTER TABLE ONLY` gives each table exactly its own settings, as
// pg_dump prints them; without ONLY they would recurse into partitions and children.
extension DiffBuilder {
    struct ColumnSettings: Equatable {
        var storage: String?
        var compression: String?
        var statistics: Int?

        init(_ column: ColumnObject?) {
            storage = column?.storage
            compression = column?.compression
            statistics = column?.statistics
        }
    }

    mutating func changeColumnSettings() {
        for (key, table) in target.tables.sorted(by: { $0.key < $1.key }) {
            for column in table.orderedColumns {
                let current = settingsAfterCreation(key, table, column)
                let prefix = "ALTER TABLE ONLY \(key) ALTER COLUMN \(SQLText.ident(column.name))"
                if current.storage != column.storage {
                    add("\(prefix) SET STORAGE \(column.storage ?? column.typeStorage ?? "EXTENDED")")
                }
                if current.compression != column.compression {
                    add("\(prefix) SET COMPRESSION \(column.compression ?? "default")")
                }
                if current.statistics != column.statistics {
                    add("\(prefix) SET STATISTICS \(column.statistics ?? -1)")
                }
            }
        }
    }

    /// The settings a target column has once the plan's table and column statements ran: the source's for
    /// a kept column, except that a type change resets storage and compression to the new type's; none
    /// for a new column, except that a new partition or child copies storage and compression from its
    /// parent's column as it was then (the parent's own settings are changed only afterwards).
    func settingsAfterCreation(_ key: String, _ table: TableObject, _ column: ColumnObject) -> ColumnSettings {
        if tableKept(key), let old = source.tables[key]?.columns[column.name], !Self.needsRecreate(old, column) {
            var settings = ColumnSettings(old)
            if old.type != column.type || old.collation != column.collation {
                settings.storage = nil
                settings.compression = nil
            }
            return settings
        }
        var settings = ColumnSettings(nil)
        if createdTables.contains(key), let parent = table.parents.first, tableKept(parent),
            let inherited = source.tables[parent]?.columns[column.name]
        {
            settings.storage = inherited.storage
            settings.compression = inherited.compression
        }
        return settings
    }
}
