import Foundation

/// Duplicate, redundant, unused, invalid and ill-chosen indexes.
enum IndexChecks {
    static let all: [SchemaCheck] = [
        duplicateIndex, redundantIndex, unusedIndex, invalidIndex, nullableColumnInUniqueIndex, booleanIndex,
        lowCardinalityIndex, tooManyIndexes, indexLargerThanTable,
    ]

    static let duplicateIndex = SchemaCheck(
        id: "duplicate_index",
        summary:
            "Two indexes on one table with the same key columns, expressions, predicate and method: one of them only costs writes and disk."
    ) { catalog in
        var findings: [Finding] = []
        for table in catalog.tables where !table.isPartition {
            let groups = Dictionary(grouping: catalog.indexes(of: table.oid).filter(\.isValid), by: signature)
            for (_, group) in groups.sorted(by: { $0.key < $1.key }) where group.count > 1 {
                let ordered = group.sorted(by: keptFirst)
                let kept = ordered[0]
                for duplicate in ordered.dropFirst() {
                    let (fix, undo) = dropSQL(duplicate, table: table, catalog: catalog)
                    findings.append(
                        Finding(
                            check: "duplicate_index", severity: .warning, object: duplicate.qualifiedName,
                            message:
                                "\(duplicate.qualifiedName) duplicates \(kept.qualifiedName) on \(table.qualifiedName) (same key columns, expressions, predicate and method): every write maintains both and only one can serve a query; drop \(duplicate.qualifiedName)\(duplicate.backsConstraint ? " and its constraint" : "") and keep \(kept.qualifiedName).",
                            evidence: [
                                "bytes": duplicate.bytes, "scans": duplicate.scans, "kept_index_scans": kept.scans,
                                "rows": table.estimatedRows,
                            ],
                            fixSQL: fix, undoSQL: undo))
                }
            }
        }
        return findings
    }

    static let redundantIndex = SchemaCheck(
        id: "redundant_index",
        summary:
            "A non-unique btree index whose key columns lead another btree index on the same table: the wider one serves its queries."
    ) { catalog in
        catalog.indexes.compactMap { index in
            guard let table = catalog.table(index.tableOid), !table.isPartition, index.isValid,
                index.method == "btree", !index.isUnique, !index.backsConstraint, index.predicate == nil
            else { return nil }
            let keys = keyElements(index)
            let included = Set(includedElements(index))
            let wider = catalog.indexes(of: index.tableOid).filter { other in
                let otherKeys = keyElements(other)
                return other.oid != index.oid && other.isValid && other.method == "btree" && other.predicate == nil
                    && other.keyColumnCount > index.keyColumnCount
                    && Array(other.keyColumns.prefix(index.keyColumnCount)) == index.keyColumns
                    && Array(otherKeys.prefix(keys.count)) == keys
                    && included.isSubset(of: Set(otherKeys + includedElements(other)))
            }
            guard let cover = wider.min(by: { ($0.keyColumnCount, $0.bytes) < ($1.keyColumnCount, $1.bytes) })
            else { return nil }
            let columns = keys.joined(separator: ", ")
            return Finding(
                check: "redundant_index", severity: .info, object: index.qualifiedName,
                message:
                    "\(index.qualifiedName) on \(table.qualifiedName)(\(columns)) is a leading prefix of \(cover.qualifiedName)(\(keyElements(cover).joined(separator: ", "))): the wider index serves the same lookups, so this one mostly costs writes and \(size(index.bytes)).",
                evidence: [
                    "bytes": index.bytes, "scans": index.scans, "covering_index_scans": cover.scans,
                    "covering_index_bytes": cover.bytes, "rows": table.estimatedRows,
                ],
                fixSQL: dropIndexSQL(index), undoSQL: createIndexSQL(index))
        }
    }

    static let unusedIndex = SchemaCheck(
        id: "unused_index",
        summary:
            "A non-unique index never scanned since statistics were reset, on a table that is in use: it costs every write for nothing."
    ) { catalog in
        catalog.indexes.compactMap { index in
            guard index.scans == 0, index.isValid, !index.isUnique, !index.isPrimary, !index.backsConstraint,
                let table = catalog.table(index.tableOid), !table.isPartition,
                !servesForeignKey(index, catalog: catalog)
            else { return nil }
            let writes = table.inserts + table.updates + table.deletes
            // Every index build counts one sequential scan of its table: those are not use.
            let builds = Double(catalog.indexes(of: table.oid).count)
            guard writes > 0 || table.indexScans > 0 || table.sequentialScans > builds else { return nil }
            let since =
                catalog.statsReset.map { "since statistics were last reset (stats_reset \($0))" }
                ?? "since statistics were last reset (stats_reset is empty: never reset, so since the server's statistics began)"
            return Finding(
                check: "unused_index", severity: index.bytes >= 100 * mebibyte ? .warning : .info,
                object: index.qualifiedName,
                message:
                    "\(index.qualifiedName) on \(table.qualifiedName) has had 0 scans \(since), while the table had \(count(writes)) writes and \(count(table.sequentialScans + table.indexScans)) scans: it slows every write and takes \(size(index.bytes)). Scans count only on this server: check replicas before dropping it.",
                evidence: [
                    "scans": index.scans, "bytes": index.bytes, "table_writes": writes,
                    "table_sequential_scans": table.sequentialScans, "table_index_scans": table.indexScans,
                    "rows": table.estimatedRows,
                ],
                fixSQL: dropIndexSQL(index), undoSQL: createIndexSQL(index))
        }
    }

    static let invalidIndex = SchemaCheck(
        id: "invalid_index",
        summary:
            "An index marked invalid (a failed CREATE INDEX CONCURRENTLY or REINDEX): queries cannot use it, writes may still maintain it."
    ) { catalog in
        catalog.indexes.filter { !$0.isValid }.map { index in
            let table = catalog.table(index.tableOid)
            let tableName = table?.qualifiedName ?? "?"
            let leftover = index.name.range(of: "_cc(new|old)[0-9]*$", options: .regularExpression) != nil
            let partitioned = Definition(index.definition)?.onlyParent ?? false
            let fix: String
            let why: String
            if leftover {
                fix = dropIndexSQL(index)
                why = "it is the leftover of an interrupted REINDEX CONCURRENTLY; drop it (and rerun the REINDEX)."
            } else if partitioned {
                fix = "DROP INDEX \(index.qualifiedName);\n\(createIndexSQL(index))"
                why =
                    "an index on a partitioned table stays invalid until every partition has its index attached; recreating it without ONLY builds and attaches them."
            } else {
                fix = "REINDEX INDEX CONCURRENTLY \(index.qualifiedName);"
                why =
                    index.isUnique
                    ? "rebuild it; a unique index that failed on duplicate keys fails again until the duplicates are removed."
                    : "rebuild it without blocking writes."
            }
            return Finding(
                check: "invalid_index", severity: .warning, object: index.qualifiedName,
                message:
                    "\(index.qualifiedName) on \(tableName) is invalid: the planner ignores it while writes may still maintain it; \(why)",
                evidence: ["bytes": index.bytes, "rows": table?.estimatedRows ?? 0],
                fixSQL: fix,
                undoSQL:
                    "-- Nothing to undo: the fix only rebuilds or removes an index that no query can use (\(index.definition))."
            )
        }
    }

    static let nullableColumnInUniqueIndex = SchemaCheck(
        id: "nullable_column_in_unique_index",
        summary:
            "A unique index over a nullable column: NULLs are distinct, so any number of rows with NULL there pass the uniqueness check."
    ) { catalog in
        catalog.indexes.compactMap { index in
            guard index.isUnique, !index.isPrimary, !index.nullsNotDistinct, index.isValid,
                let table = catalog.table(index.tableOid), !table.isPartition
            else { return nil }
            let nullable = index.keyColumns.compactMap { catalog.column(index.tableOid, $0) }.filter { column in
                !column.notNull
                    && !(index.predicate ?? "").contains("\(quoteIdentifier(column.name)) IS NOT NULL")
            }
            guard !nullable.isEmpty else { return nil }
            let names = nullable.map { quoteIdentifier($0.name) }
            let columns = catalog.columnNames(index.tableOid, index.keyColumns).joined(separator: ", ")
            let alternative =
                catalog.serverVersion >= 150000
                ? " If NULL is a legitimate value there, recreate the index with NULLS NOT DISTINCT so that at most one row may hold it."
                : " If NULL is a legitimate value there, a second unique index on the other columns WHERE the column IS NULL enforces it."
            return Finding(
                check: "nullable_column_in_unique_index", severity: .warning, object: index.qualifiedName,
                message:
                    "Unique index \(index.qualifiedName) on \(table.qualifiedName)(\(columns)) does not enforce uniqueness for rows with NULL in \(names.joined(separator: ", ")): NULLs compare distinct. Declare the column\(names.count > 1 ? "s" : "") NOT NULL (fails while NULLs exist; it scans the table under an exclusive lock).\(alternative)",
                evidence: ["rows": table.estimatedRows, "nullable_columns": Double(nullable.count)],
                fixSQL:
                    "ALTER TABLE \(table.qualifiedName) \(names.map { "ALTER COLUMN \($0) SET NOT NULL" }.joined(separator: ", "));",
                undoSQL:
                    "ALTER TABLE \(table.qualifiedName) \(names.map { "ALTER COLUMN \($0) DROP NOT NULL" }.joined(separator: ", "));"
            )
        }
    }

    static let booleanIndex = SchemaCheck(
        id: "boolean_index",
        summary:
            "A full btree index led by a boolean column: two values split the table in halves the planner rarely uses; a partial index fits."
    ) { catalog in
        catalog.indexes.compactMap { index in
            guard index.method == "btree", index.predicate == nil, index.isValid, !index.isUnique,
                !index.backsConstraint, let first = index.keyColumns.first, first != 0,
                let column = catalog.column(index.tableOid, first), column.typeName == "bool",
                let table = catalog.table(index.tableOid), !table.isPartition
            else { return nil }
            let name = quoteIdentifier(column.name)
            let partial = newIndexName(index, suffix: "where_\(column.name)")
            let rest = Array(keyElements(index).dropFirst())
            let create = createIndexSQL(
                partial.bare, on: table, index: index, keys: rest.isEmpty ? [name] : rest, predicate: name)
            return Finding(
                check: "boolean_index", severity: .warning, object: index.qualifiedName,
                message:
                    "\(index.qualifiedName) on \(table.qualifiedName) is led by boolean \(name): a full index over two values is rarely selective and costs every write (\(size(index.bytes))). Index only the rows queries look for with a partial index (WHERE \(name), or WHERE NOT \(name) if false is the rare value).",
                evidence: ["bytes": index.bytes, "scans": index.scans, "rows": table.estimatedRows],
                fixSQL: "\(create)\n\(dropIndexSQL(index))",
                undoSQL:
                    "\(createIndexSQL(index))\n\(dropIndexSQL(partial.qualified, partitioned: isPartitioned(index)))")
        }
    }

    static let lowCardinalityIndex = SchemaCheck(
        id: "low_cardinality_index",
        summary:
            "A full btree index led by a column with at most five distinct values on a table of 1,000+ rows: each value matches a large share of the rows."
    ) { catalog in
        catalog.indexes.compactMap { index in
            guard index.method == "btree", index.predicate == nil, index.isValid, !index.isUnique,
                !index.backsConstraint, let first = index.keyColumns.first, first != 0,
                let column = catalog.column(index.tableOid, first), column.typeName != "bool",
                let distinct = column.distinctValues, distinct >= 1, distinct <= 5,
                let table = catalog.table(index.tableOid), !table.isPartition
            else { return nil }
            let rows = max(table.estimatedRows, table.liveRows)
            guard rows >= 1000 else { return nil }
            let name = quoteIdentifier(column.name)
            let keys = keyElements(index)
            let evidence = [
                "distinct_values": distinct, "rows": rows, "bytes": index.bytes, "scans": index.scans,
            ]
            guard keys.count > 1 else {
                return Finding(
                    check: "low_cardinality_index", severity: .warning, object: index.qualifiedName,
                    message:
                        "\(index.qualifiedName) indexes \(table.qualifiedName).\(name), which has \(count(distinct)) distinct values over \(count(rows)) rows: each value matches about \(count(rows / distinct)) rows, so the planner prefers a sequential scan and the index only costs writes (\(size(index.bytes))). If queries look for one rare value, replace it with a partial index (WHERE \(name) = '...').",
                    evidence: evidence, fixSQL: dropIndexSQL(index), undoSQL: createIndexSQL(index))
            }
            let reordered = newIndexName(index, suffix: "reordered")
            let create = createIndexSQL(
                reordered.bare, on: table, index: index, keys: Array(keys.dropFirst()) + [keys[0]], predicate: nil)
            return Finding(
                check: "low_cardinality_index", severity: .info, object: index.qualifiedName,
                message:
                    "\(index.qualifiedName) on \(table.qualifiedName) is led by \(name), which has \(count(distinct)) distinct values over \(count(rows)) rows: lookups on the following columns alone cannot use it well. Unless queries always filter \(name) by equality and range or sort on the next column, put the selective columns first.",
                evidence: evidence, fixSQL: "\(create)\n\(dropIndexSQL(index))",
                undoSQL:
                    "\(createIndexSQL(index))\n\(dropIndexSQL(reordered.qualified, partitioned: isPartitioned(index)))")
        }
    }

    static let tooManyIndexes = SchemaCheck(
        id: "too_many_indexes",
        summary:
            "A table with more than 8 indexes, or more than 5 when it is written more than read: every insert and non-HOT update maintains them all."
    ) { catalog in
        // Partitions are left out: their indexes mostly come from the partitioned table, reported once.
        catalog.tables.filter { !$0.isPartition }.compactMap { table in
            let indexes = catalog.indexes(of: table.oid)
            let writes = table.inserts + table.updates + table.deletes
            let reads = table.sequentialScans + table.indexScans
            let writeHeavy = writes > reads
            let limit = writeHeavy ? 5 : 8
            guard indexes.count > limit else { return nil }
            let droppable = indexes.filter { !$0.isPrimary && !$0.isUnique && !$0.backsConstraint }
            let candidate = droppable.min { lhs, rhs in
                (lhs.isValid ? 1 : 0, lhs.scans, -lhs.bytes, lhs.name) < (
                    rhs.isValid ? 1 : 0, rhs.scans, -rhs.bytes, rhs.name
                )
            }
            let load =
                writeHeavy
                ? "written more than read (\(count(writes)) writes, \(count(reads)) scans)"
                : "with \(count(writes)) writes and \(count(reads)) scans"
            let start =
                candidate.map {
                    " Start with the least used, \($0.qualifiedName) (\(count($0.scans)) scans, \(size($0.bytes)))."
                }
                ?? " Every index backs a constraint or is unique: review the constraints."
            return Finding(
                check: "too_many_indexes", severity: writeHeavy ? .warning : .info, object: table.qualifiedName,
                message:
                    "\(table.qualifiedName) has \(indexes.count) indexes, over the \(limit) that suit a table \(load): every insert and non-HOT update writes to each of them.\(start)",
                evidence: [
                    "indexes": Double(indexes.count), "limit": Double(limit), "writes": writes, "reads": reads,
                    "rows": table.estimatedRows, "index_bytes": indexes.reduce(0) { $0 + $1.bytes },
                ],
                fixSQL: candidate.map(dropIndexSQL)
                    ?? "-- Every index on \(table.qualifiedName) backs a constraint or is unique: drop constraints only after review.",
                undoSQL: candidate.map(createIndexSQL) ?? "-- Nothing to undo.")
        }
    }

    static let indexLargerThanTable = SchemaCheck(
        id: "index_larger_than_table",
        summary:
            "An index over 1 MiB larger than half its table's total size (heap, TOAST and all indexes): a bloat estimate."
    ) { catalog in
        catalog.indexes.compactMap { index in
            guard index.isValid, index.bytes > mebibyte, let table = catalog.table(index.tableOid),
                index.bytes > table.bytes / 2
            else { return nil }
            return Finding(
                check: "index_larger_than_table", severity: .warning, object: index.qualifiedName,
                message:
                    "\(index.qualifiedName) takes \(size(index.bytes)), more than half of the \(size(table.bytes)) that \(table.qualifiedName) takes in all (heap, TOAST and all its indexes): it is likely bloated by updates and deletes (or built with a low fillfactor). REINDEX CONCURRENTLY rebuilds it compactly without blocking writes; it needs free disk for a second copy while it runs.",
                evidence: [
                    "bytes": index.bytes, "table_bytes": table.bytes,
                    "percent": table.bytes > 0 ? (100 * index.bytes / table.bytes).rounded() : 0,
                    "rows": table.estimatedRows, "scans": index.scans,
                ],
                fixSQL: "REINDEX INDEX CONCURRENTLY \(index.qualifiedName);",
                undoSQL: "-- Nothing to undo: REINDEX rebuilds \(index.qualifiedName) from its own definition.")
        }
    }

    // MARK: - Helpers shared by the index checks

    static let mebibyte: Double = 1_048_576

    /// The parts of a `pg_get_indexdef` definition the checks compare and rebuild:
    /// `CREATE [UNIQUE] INDEX name ON [ONLY] table USING method (keys) [INCLUDE (columns)] ...`.
    struct Definition {
        var isUnique: Bool
        /// The index name as printed (quoted when needed).
        var name: String
        /// `ON ONLY`: the index of a partitioned table, which cannot be built or dropped concurrently.
        var onlyParent: Bool
        /// Everything after `ON [ONLY] `: table, method, columns, options, predicate.
        var target: String
        /// Key elements as printed: column or expression with collation, operator class and ordering.
        var keys: [String]
        var included: [String]

        init?(_ text: String) {
            var rest = Substring(text)
            guard rest.hasPrefix("CREATE ") else { return nil }
            rest = rest.dropFirst("CREATE ".count)
            isUnique = rest.hasPrefix("UNIQUE ")
            if isUnique { rest = rest.dropFirst("UNIQUE ".count) }
            guard rest.hasPrefix("INDEX ") else { return nil }
            rest = rest.dropFirst("INDEX ".count)
            guard let nameEnd = Self.identifierEnd(rest) else { return nil }
            name = String(rest[..<nameEnd])
            rest = rest[nameEnd...]
            guard rest.hasPrefix(" ON ") else { return nil }
            rest = rest.dropFirst(" ON ".count)
            onlyParent = rest.hasPrefix("ONLY ")
            if onlyParent { rest = rest.dropFirst("ONLY ".count) }
            target = String(rest)
            let groups = Self.parenthesisedLists(target)
            guard let first = groups.first else { return nil }
            keys = first.elements
            included = []
            if groups.count > 1,
                target[first.end..<groups[1].start].trimmingCharacters(in: .whitespaces) == "INCLUDE"
            {
                included = groups[1].elements
            }
        }

        /// Where an identifier printed by `quote_ident` at the start of `text` ends.
        static func identifierEnd(_ text: Substring) -> Substring.Index? {
            guard text.first == "\"" else { return text.firstIndex(of: " ") }
            var position = text.index(after: text.startIndex)
            while position < text.endIndex {
                let next = text.index(after: position)
                if text[position] == "\"" {
                    guard next < text.endIndex, text[next] == "\"" else { return next }
                    position = text.index(after: next)
                } else {
                    position = next
                }
            }
            return nil
        }

        /// The top-level parenthesised lists of `text`, split at their top-level commas; quotes respected.
        static func parenthesisedLists(_ text: String) -> [(start: String.Index, end: String.Index, elements: [String])]
        {
            var lists: [(start: String.Index, end: String.Index, elements: [String])] = []
            var depth = 0
            var inIdentifier = false
            var inLiteral = false
            var start = text.startIndex
            var element = ""
            var elements: [String] = []
            for position in text.indices {
                let character = text[position]
                if character == "\"" && !inLiteral {
                    inIdentifier.toggle()
                } else if character == "'" && !inIdentifier {
                    inLiteral.toggle()
                } else if !inIdentifier && !inLiteral {
                    if character == "(" {
                        depth += 1
                        if depth == 1 {
                            start = position
                            continue
                        }
                    } else if character == ")" && depth > 0 {
                        depth -= 1
                        if depth == 0 {
                            elements.append(element.trimmingCharacters(in: .whitespaces))
                            lists.append((start, text.index(after: position), elements))
                            element = ""
                            elements = []
                            continue
                        }
                    } else if character == "," && depth == 1 {
                        elements.append(element.trimmingCharacters(in: .whitespaces))
                        element = ""
                        continue
                    }
                }
                if depth > 0 { element.append(character) }
            }
            return lists
        }
    }

    /// Key elements as the definition prints them; column names and expressions when it does not parse.
    static func keyElements(_ index: CatalogSnapshot.Index) -> [String] {
        if let definition = Definition(index.definition) { return definition.keys }
        return index.keyColumns.map(String.init) + (index.expressions.map { [$0] } ?? [])
    }

    static func includedElements(_ index: CatalogSnapshot.Index) -> [String] {
        if let definition = Definition(index.definition) { return definition.included }
        return index.columns.dropFirst(index.keyColumnCount).map(String.init)
    }

    static func isPartitioned(_ index: CatalogSnapshot.Index) -> Bool {
        Definition(index.definition)?.onlyParent ?? false
    }

    /// What two indexes must share to be duplicates; uniqueness aside (the unique one is kept).
    static func signature(_ index: CatalogSnapshot.Index) -> String {
        [
            index.method, keyElements(index).joined(separator: ", "),
            includedElements(index).sorted().joined(separator: ", "), index.predicate ?? "",
            index.nullsNotDistinct ? "nulls not distinct" : "",
        ].joined(separator: "\n")
    }

    /// Among duplicates, the one to keep comes first: primary key, constraint, unique, most scanned.
    static func keptFirst(_ lhs: CatalogSnapshot.Index, _ rhs: CatalogSnapshot.Index) -> Bool {
        func rank(_ index: CatalogSnapshot.Index) -> (Int, Int, Int, Double, String) {
            (index.isPrimary ? 0 : 1, index.backsConstraint ? 0 : 1, index.isUnique ? 0 : 1, -index.scans, index.name)
        }
        return rank(lhs) < rank(rhs)
    }

    /// Whether the index's leading columns cover a foreign key (what `fk_without_index` looks for).
    static func servesForeignKey(_ index: CatalogSnapshot.Index, catalog: CatalogSnapshot) -> Bool {
        index.predicate == nil
            && catalog.constraints.contains { key in
                key.kind == "f" && key.tableOid == index.tableOid
                    && Array(index.keyColumns.prefix(key.columns.count)).sorted() == key.columns.sorted()
            }
    }

    static func dropIndexSQL(_ index: CatalogSnapshot.Index) -> String {
        dropIndexSQL(index.qualifiedName, partitioned: isPartitioned(index))
    }

    static func dropIndexSQL(_ qualifiedName: String, partitioned: Bool) -> String {
        "DROP INDEX \(partitioned ? "" : "CONCURRENTLY ")\(qualifiedName);"
    }

    /// The index's own definition, built concurrently (on every partition for a partitioned table).
    static func createIndexSQL(_ index: CatalogSnapshot.Index) -> String {
        guard let definition = Definition(index.definition) else {
            guard let range = index.definition.range(of: "INDEX ") else { return index.definition + ";" }
            return index.definition.replacingCharacters(in: range, with: "INDEX CONCURRENTLY ") + ";"
        }
        let concurrently = definition.onlyParent ? "" : "CONCURRENTLY "
        return
            "CREATE \(definition.isUnique ? "UNIQUE " : "")INDEX \(concurrently)\(definition.name) ON \(definition.target);"
    }

    /// A new non-unique btree index beside `index`, with its INCLUDE columns, the given keys and predicate.
    static func createIndexSQL(
        _ name: String, on table: CatalogSnapshot.Table, index: CatalogSnapshot.Index, keys: [String],
        predicate: String?
    ) -> String {
        let included = includedElements(index)
        return "CREATE INDEX \(isPartitioned(index) ? "" : "CONCURRENTLY ")\(name) ON \(table.qualifiedName)"
            + " USING btree (\(keys.joined(separator: ", ")))"
            + (included.isEmpty ? "" : " INCLUDE (\(included.joined(separator: ", ")))")
            + (predicate.map { " WHERE \($0)" } ?? "") + ";"
    }

    /// `name_suffix` cut to PostgreSQL's 63-byte identifier limit: bare (CREATE INDEX takes no schema) and qualified.
    static func newIndexName(_ index: CatalogSnapshot.Index, suffix: String) -> (bare: String, qualified: String) {
        var name = "\(index.name)_\(suffix)"
        while name.utf8.count > 63 { name.removeLast() }
        return (quoteIdentifier(name), "\(quoteIdentifier(index.schema)).\(quoteIdentifier(name))")
    }

    /// The fix and undo for dropping a duplicate: the index, or the constraint it backs.
    static func dropSQL(
        _ index: CatalogSnapshot.Index, table: CatalogSnapshot.Table, catalog: CatalogSnapshot
    ) -> (fix: String, undo: String) {
        // A constraint and the index it owns share their name.
        let owner = catalog.constraints.first { $0.tableOid == index.tableOid && $0.name == index.name }
        guard index.backsConstraint, let constraint = owner else { return (dropIndexSQL(index), createIndexSQL(index)) }
        let name = quoteIdentifier(constraint.name)
        let fix = "ALTER TABLE \(table.qualifiedName) DROP CONSTRAINT \(name);"
        guard constraint.kind == "p" || constraint.kind == "u", !isPartitioned(index) else {
            return (fix, "-- Re-add the constraint as it was: \(index.definition)")
        }
        let kind = constraint.kind == "p" ? "PRIMARY KEY" : "UNIQUE"
        return (
            fix,
            "\(createIndexSQL(index))\nALTER TABLE \(table.qualifiedName) ADD CONSTRAINT \(name) \(kind) USING INDEX \(quoteIdentifier(index.name));"
        )
    }

    static func size(_ bytes: Double) -> String {
        let units = ["bytes", "kB", "MB", "GB", "TB"]
        var value = bytes
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(Int(value)) bytes" : String(format: "%.1f", value) + " " + units[unit]
    }

    static func count(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.1f", value)
    }
}
