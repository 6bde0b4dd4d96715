/// A Mermaid `erDiagram` of the schema: tables with their columns, and one line per foreign key.
enum EntityRelationshipDiagram {
    static func mermaid(_ catalog: CatalogSnapshot) -> String {
        var lines = ["erDiagram"]
        func entity(_ table: CatalogSnapshot.Table) -> String {
            let name = table.schema == "public" ? table.name : "\(table.schema)_\(table.name)"
            return name.map { $0.isLetter || $0.isNumber || $0 == "_" ? String($0) : "_" }.joined()
        }
        let primaryColumns = Dictionary(
            catalog.constraints.filter { $0.kind == "p" }.map { ($0.tableOid, Set($0.columns)) },
            uniquingKeysWith: { first, _ in first })
        let foreignColumns = Dictionary(
            grouping: catalog.constraints.filter { $0.kind == "f" }.flatMap { key in
                key.columns.map { (key.tableOid, $0) }
            },
            by: \.0
        ).mapValues { Set($0.map(\.1)) }
        for table in catalog.tables {
            lines.append("    \(entity(table)) {")
            for column in catalog.columns(of: table.oid) {
                let type = column.type.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
                var markers: [String] = []
                if primaryColumns[table.oid]?.contains(column.number) == true { markers.append("PK") }
                if foreignColumns[table.oid]?.contains(column.number) == true { markers.append("FK") }
                let name = column.name.map { $0.isLetter || $0.isNumber || $0 == "_" ? String($0) : "_" }.joined()
                lines.append("        \(type) \(name)\(markers.isEmpty ? "" : " " + markers.joined(separator: ","))")
            }
            lines.append("    }")
        }
        for key in catalog.constraints where key.kind == "f" {
            guard let child = catalog.table(key.tableOid), let parentOid = key.referencedTableOid,
                let parent = catalog.table(parentOid)
            else { continue }
            let optional = key.columns.contains { catalog.column(key.tableOid, $0)?.notNull == false }
            lines.append(
                "    \(entity(parent)) ||--o{ \(entity(child)) : \"\(key.name)\(optional ? " (optional)" : "")\"")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
