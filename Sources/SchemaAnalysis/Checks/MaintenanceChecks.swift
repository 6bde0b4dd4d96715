import BackendCore

/// Vacuum, analyse, bloat, cache and overflow: what the statistics say about upkeep.
enum MaintenanceChecks {
    static let all: [SchemaCheck] = [
        sequenceNearOverflow, integerKeyNearOverflow, tableBloatEstimate, neverVacuumed, neverAnalyzed,
        lowCacheHitRatio, wideTable,
    ]

    static let sequenceNearOverflow = SchemaCheck(
        id: "sequence_near_overflow",
        summary: "A sequence past 75% of its maximum: nextval fails once it reaches it, and every insert with it."
    ) { catalog in
        catalog.sequences.compactMap { sequence in
            // Descending sequences (negative maximum or last value) run toward their minimum, which is not read.
            guard let last = sequence.lastValue, last > 0, sequence.maxValue > 0 else { return nil }
            let used = last / sequence.maxValue
            guard used > 0.75 else { return nil }
            let name = sequence.qualifiedName
            let widen = sequence.dataType != "bigint"
            let fix: String
            let undo: String
            if widen {
                fix = "ALTER SEQUENCE \(name) AS bigint NO MAXVALUE;"
                undo = "ALTER SEQUENCE \(name) AS \(sequence.dataType) MAXVALUE \(wholeNumber(sequence.maxValue));"
            } else if sequence.maxValue < bigintMaximum {
                fix = "ALTER SEQUENCE \(name) NO MAXVALUE;"
                undo = "ALTER SEQUENCE \(name) MAXVALUE \(wholeNumber(sequence.maxValue));"
            } else {
                fix = "-- \(name) is nearly through the bigint range: no wider type; rekey or restart it deliberately."
                undo = "-- nothing to undo"
            }
            var message =
                "Sequence \(name) (\(sequence.dataType)) is at \(wholeNumber(last)), \(percent(used)) of its maximum \(wholeNumber(sequence.maxValue)); nextval fails when it gets there, and so does every insert that draws from it."
            if let owner = sequence.ownerTableOid, let number = sequence.ownerColumn,
                let column = catalog.column(owner, number), integerMaximum[column.typeName] != nil
            {
                message +=
                    " Its column \(catalog.columnPath(owner, number)) is \(column.type) as well: widen the column too (see integer_key_near_overflow)."
            }
            return Finding(
                check: "sequence_near_overflow", severity: used > 0.9 ? .critical : .warning, object: name,
                message: message,
                evidence: ["last_value": last, "max_value": sequence.maxValue, "percent_used": used * 100],
                fixSQL: fix, undoSQL: undo)
        }
    }

    static let integerKeyNearOverflow = SchemaCheck(
        id: "integer_key_near_overflow",
        summary:
            "An integer or smallint column fed by a sequence past half the column type's range, whatever the sequence type."
    ) { catalog in
        catalog.sequences.compactMap { sequence in
            guard let last = sequence.lastValue, let owner = sequence.ownerTableOid,
                let number = sequence.ownerColumn, let table = catalog.table(owner),
                let column = catalog.column(owner, number), let maximum = integerMaximum[column.typeName]
            else { return nil }
            let used = last / maximum
            guard used > 0.5 else { return nil }
            let path = catalog.columnPath(owner, number)
            let name = quoteIdentifier(column.name)
            // Foreign-key columns that point at this one must be widened with it.
            let referencing = catalog.constraints.filter { $0.kind == "f" && $0.referencedTableOid == owner }
                .flatMap { key in
                    zip(key.columns, key.referencedColumns).filter { $0.1 == number }.map { (key.tableOid, $0.0) }
                }
                .compactMap { tableOid, columnNumber -> (table: String, column: CatalogSnapshot.Column)? in
                    guard let child = catalog.table(tableOid), let childColumn = catalog.column(tableOid, columnNumber),
                        integerMaximum[childColumn.typeName] != nil
                    else { return nil }
                    return (child.qualifiedName, childColumn)
                }
            var fix = ["ALTER TABLE \(table.qualifiedName) ALTER COLUMN \(name) TYPE bigint;"]
            var undo = ["ALTER TABLE \(table.qualifiedName) ALTER COLUMN \(name) TYPE \(column.type);"]
            for child in referencing {
                let childName = quoteIdentifier(child.column.name)
                fix.append("ALTER TABLE \(child.table) ALTER COLUMN \(childName) TYPE bigint;")
                undo.append("ALTER TABLE \(child.table) ALTER COLUMN \(childName) TYPE \(child.column.type);")
            }
            // An identity sequence follows its column's type; a serial's or a hand-made one does not.
            if !column.isIdentity && sequence.dataType != "bigint" {
                fix.append("ALTER SEQUENCE \(sequence.qualifiedName) AS bigint NO MAXVALUE;")
                undo.append(
                    "ALTER SEQUENCE \(sequence.qualifiedName) AS \(sequence.dataType) MAXVALUE \(wholeNumber(sequence.maxValue));"
                )
            }
            let children = referencing.map { "\($0.table).\(quoteIdentifier($0.column.name))" }
            let also = children.isEmpty ? "" : " The foreign keys \(children.joined(separator: ", ")) must follow."
            return Finding(
                check: "integer_key_near_overflow", severity: used > 0.75 ? .critical : .warning, object: path,
                message:
                    "\(path) is \(column.type) and its sequence \(sequence.qualifiedName) (\(sequence.dataType)) is at \(wholeNumber(last)), \(percent(used)) of the \(column.type) maximum \(wholeNumber(maximum)); inserts fail once values pass it, whatever the sequence allows. ALTER COLUMN ... TYPE bigint rewrites the table and all its indexes under an ACCESS EXCLUSIVE lock (no reads or writes meanwhile): on a large table add a bigint column, backfill it in batches and swap it in instead.\(also)",
                evidence: [
                    "last_value": last, "column_max": maximum, "percent_used": used * 100, "rows": table.estimatedRows,
                    "bytes": table.bytes,
                ],
                fixSQL: fix.joined(separator: "\n"), undoSQL: undo.reversed().joined(separator: "\n"))
        }
    }

    static let tableBloatEstimate = SchemaCheck(
        id: "table_bloat_estimate",
        summary: "A table whose dead rows are over 20% of its rows (at least 10,000): space and scan time wasted."
    ) { catalog in
        catalog.tables.compactMap { table in
            let total = table.liveRows + table.deadRows
            guard table.deadRows >= 10_000, total > 0, !catalog.autovacuum.inRecovery else { return nil }
            // A table never vacuumed that autovacuum is free to take is waiting for its first visit.
            if !table.everVacuumed, catalog.autovacuum.vacuumDue(table) != nil,
                catalog.autovacuum.obstacle(table) == nil
            {
                return nil
            }
            let dead = table.deadRows / total
            guard dead > 0.2 else { return nil }
            let name = table.qualifiedName
            return Finding(
                check: "table_bloat_estimate", severity: dead > 0.5 ? .critical : .warning, object: name,
                message:
                    "\(name) holds \(wholeNumber(table.deadRows)) dead rows, \(percent(dead)) of its rows: scans read them and the table and its indexes grow until VACUUM frees the space. Autovacuum is behind here or disabled for the table; by default it waits for 20% dead rows (autovacuum_vacuum_scale_factor), which a big table reaches late. VACUUM makes the space reusable without returning it to the OS (that needs VACUUM FULL or pg_repack, which lock or rewrite).",
                evidence: [
                    "live_rows": table.liveRows, "dead_rows": table.deadRows, "dead_percent": dead * 100,
                    "bytes": table.bytes, "estimated_dead_bytes": (table.bytes * dead).rounded(),
                ],
                fixSQL: """
                    VACUUM (ANALYZE) \(name);
                    -- If autovacuum keeps falling behind on this table, trigger it sooner:
                    -- ALTER TABLE \(name) SET (autovacuum_vacuum_scale_factor = 0.02);
                    """,
                undoSQL: """
                    -- VACUUM changes no data and needs no undo; if you set the scale factor:
                    -- ALTER TABLE \(name) RESET (autovacuum_vacuum_scale_factor);
                    """)
        }
    }

    static let neverVacuumed = SchemaCheck(
        id: "never_vacuumed",
        summary:
            "A table of at least 1,000 live rows, past autovacuum's vacuum trigger, never vacuumed, that autovacuum cannot take (off for the server or the table, or no launcher)."
    ) { catalog in
        let autovacuum = catalog.autovacuum
        guard !autovacuum.inRecovery else { return [] }
        return catalog.tables.compactMap { table in
            guard !table.everVacuumed, table.liveRows >= 1_000, let due = autovacuum.vacuumDue(table),
                let obstacle = autovacuum.obstacle(table)
            else { return nil }
            let name = table.qualifiedName
            return Finding(
                check: "never_vacuumed", severity: .warning, object: name,
                message:
                    "\(name) has \(wholeNumber(table.liveRows)) live rows and \(wholeNumber(table.deadRows)) dead rows and no VACUUM or autovacuum on record since its statistics were last reset. It is past autovacuum's trigger (\(due)), and \(autovacuum.promise), but \(obstacle). Meanwhile its dead rows stay, its visibility map is unset (index-only scans read the heap), and its rows are unfrozen (an anti-wraparound vacuum will come at a time of its own choosing).",
                evidence: [
                    "live_rows": table.liveRows, "dead_rows": table.deadRows, "inserts": table.inserts,
                    "inserts_since_vacuum": table.insertsSinceVacuum, "updates": table.updates,
                    "deletes": table.deletes, "autovacuum_naptime_s": autovacuum.naptimeSeconds,
                ],
                fixSQL: """
                    VACUUM (ANALYZE) \(name);
                    -- If autovacuum is disabled for it: ALTER TABLE \(name) RESET (autovacuum_enabled);
                    """,
                undoSQL: "-- VACUUM changes no data and needs no undo.")
        }
    }

    static let neverAnalyzed = SchemaCheck(
        id: "never_analyzed",
        summary:
            "A table of at least 1,000 live rows, past autovacuum's analyze trigger, never analysed, that autovacuum cannot take: the planner guesses its row counts."
    ) { catalog in
        let autovacuum = catalog.autovacuum
        guard !autovacuum.inRecovery else { return [] }
        return catalog.tables.compactMap { table in
            guard !table.everAnalyzed, table.liveRows >= 1_000, let due = autovacuum.analyzeDue(table),
                let obstacle = autovacuum.obstacle(table)
            else { return nil }
            let name = table.qualifiedName
            return Finding(
                check: "never_analyzed", severity: .warning, object: name,
                message:
                    "\(name) has \(wholeNumber(table.liveRows)) live rows and no ANALYZE or autoanalyze on record since its statistics were last reset. It is past autovacuum's analyze trigger (\(due)), and \(autovacuum.promise), but \(obstacle). Without column statistics the planner guesses selectivities and may pick bad joins and scans.",
                evidence: [
                    "live_rows": table.liveRows, "estimated_rows": table.estimatedRows, "inserts": table.inserts,
                    "changes_since_analyze": table.changesSinceAnalyze, "updates": table.updates,
                    "deletes": table.deletes, "autovacuum_naptime_s": autovacuum.naptimeSeconds,
                ],
                fixSQL: "ANALYZE \(name);",
                undoSQL: "-- ANALYZE only refreshes planner statistics and needs no undo.")
        }
    }

    /// Tables past a trigger that autovacuum is free to take on its next visit: not findings, but
    /// named so that a re-run after a couple of naptimes can confirm they were taken.
    static func pending(_ catalog: CatalogSnapshot) -> String? {
        let autovacuum = catalog.autovacuum
        guard !autovacuum.inRecovery else { return nil }
        let waiting = catalog.tables.filter { table in
            autovacuum.obstacle(table) == nil && table.liveRows >= 1_000
                && ((!table.everVacuumed && autovacuum.vacuumDue(table) != nil)
                    || (!table.everAnalyzed && autovacuum.analyzeDue(table) != nil))
        }
        guard !waiting.isEmpty else { return nil }
        let names = waiting.prefix(5).map(\.qualifiedName).joined(separator: ", ")
        let more = waiting.count > 5 ? " and \(waiting.count - 5) more" : ""
        return
            "\(waiting.count) table(s) never vacuumed or analysed are past autovacuum's trigger but not reported (\(names)\(more)): \(autovacuum.promise), so they are due within about \(NumberText.plain(autovacuum.naptimeSeconds * 2)) s; re-run after that if they should be checked."
    }

    static let lowCacheHitRatio = SchemaCheck(
        id: "low_cache_hit_ratio",
        summary: "The database finds under 95% of the blocks it reads in shared_buffers (at least 10,000 reads)."
    ) { catalog in
        let total = catalog.cacheHits + catalog.cacheReads
        guard catalog.cacheReads >= 10_000, total > 0 else { return [] }
        let ratio = catalog.cacheHits / total
        guard ratio < 0.95 else { return [] }
        let since = catalog.statsReset.map { "since \($0)" } ?? "since its statistics began"
        return [
            Finding(
                check: "low_cache_hit_ratio", severity: ratio < 0.8 ? .critical : .warning, object: "database",
                message:
                    "The database found \(percent(ratio)) of the blocks it needed in shared_buffers \(since) (\(wholeNumber(catalog.cacheReads)) blocks read, \(wholeNumber(catalog.cacheHits)) hits; 99% is usual for OLTP): the working set is bigger than shared_buffers, or queries scan large tables. Each miss is a read from the OS cache or disk.",
                evidence: [
                    "blocks_hit": catalog.cacheHits, "blocks_read": catalog.cacheReads, "hit_percent": ratio * 100,
                ],
                fixSQL: """
                    -- No single statement fixes this. Find the tables read from disk:
                    -- SELECT relid::regclass, heap_blks_read, heap_blks_hit FROM pg_statio_user_tables ORDER BY heap_blks_read DESC LIMIT 10;
                    -- then index their sequential scans, or give PostgreSQL more memory (about 25% of RAM; needs a restart):
                    -- ALTER SYSTEM SET shared_buffers = '<about 25% of RAM>';
                    """,
                undoSQL: "-- If you changed it: ALTER SYSTEM RESET shared_buffers; then restart.")
        ]
    }

    static let wideTable = SchemaCheck(
        id: "wide_table",
        summary: "A table of more than 50 columns: usually several entities or optional attributes in one row."
    ) { catalog in
        catalog.tables.compactMap { table in
            let count = catalog.columns(of: table.oid).count
            guard count > 50 else { return nil }
            let name = table.qualifiedName
            return Finding(
                check: "wide_table", severity: .info, object: name,
                message:
                    "\(name) has \(count) columns: every row carries all of them, so rows are wide, fewer fit a page, and each UPDATE writes a new version of the whole row; so many columns usually mix several concerns or optional attributes.",
                evidence: ["columns": Double(count), "rows": table.estimatedRows, "bytes": table.bytes],
                fixSQL: """
                    -- No mechanical fix: move the columns that are rarely read, optional or updated apart to a 1:1 table
                    -- keyed by the primary key of \(name), e.g. CREATE TABLE ... (id bigint PRIMARY KEY REFERENCES \(name)),
                    -- backfill it, switch readers and writers, then drop the moved columns; or gather sparse attributes in jsonb.
                    """,
                undoSQL: "-- Nothing to undo: the split is a planned migration with its own rollback.")
        }
    }

    /// The largest value of the integer column types a sequence can overflow, by `pg_type.typname`.
    static let integerMaximum: [String: Double] = ["int2": 32_767, "int4": 2_147_483_647]

    static let bigintMaximum = 9_223_372_036_854_775_807.0

    /// A whole number as SQL writes it, without exponent, clamped to the bigint range.
    static func wholeNumber(_ value: Double) -> String {
        if value >= bigintMaximum { return String(Int64.max) }
        if value <= -bigintMaximum { return String(Int64.min) }
        return String(Int64(value.rounded()))
    }

    static func percent(_ fraction: Double) -> String {
        "\((fraction * 1000).rounded() / 10)%"
    }
}
