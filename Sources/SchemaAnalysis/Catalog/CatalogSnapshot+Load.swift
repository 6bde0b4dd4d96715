import BackendCore
import Foundation
import PostgresClient

extension CatalogSnapshot {
    /// The schemas the analysis skips.
    static let systemSchemaFilter = """
        n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' \
        AND n.nspname NOT LIKE 'pg\\_temp%'
        """

    /// Objects that belong to an extension are not the user's to fix.
    static func notExtensionMember(_ oidColumn: String, catalog: String = "pg_class") -> String {
        "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '\(catalog)'::regclass AND d.objid = \(oidColumn) AND d.deptype = 'e')"
    }

    static func tablesQuery(serverVersion: Int) -> String {
        // `n_ins_since_vacuum` (the insert trigger of autovacuum) exists from PostgreSQL 13.
        let insertsSinceVacuum = serverVersion >= 130000 ? "coalesce(s.n_ins_since_vacuum, 0)" : "0"
        return """
            SELECT c.oid::text, n.nspname, c.relname,
                   coalesce(s.n_live_tup, 0), coalesce(s.n_dead_tup, 0), greatest(c.reltuples, 0),
                   pg_total_relation_size(c.oid), coalesce(s.seq_scan, 0), coalesce(s.idx_scan, 0),
                   coalesce(s.n_tup_ins, 0), coalesce(s.n_tup_upd, 0), coalesce(s.n_tup_del, 0),
                   (s.last_vacuum IS NOT NULL OR s.last_autovacuum IS NOT NULL),
                   (s.last_analyze IS NOT NULL OR s.last_autoanalyze IS NOT NULL),
                   c.relispartition, \(insertsSinceVacuum), coalesce(s.n_mod_since_analyze, 0), c.reloptions::text
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
            WHERE c.relkind IN ('r', 'p') AND \(systemSchemaFilter) AND \(notExtensionMember("c.oid"))
            ORDER BY n.nspname, c.relname
            """
    }

    static let columnsQuery = """
        SELECT a.attrelid::text, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), t.typname,
               a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid), a.attidentity <> '', a.attgenerated <> '',
               st.n_distinct
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
        LEFT JOIN pg_stats st ON st.schemaname = n.nspname AND st.tablename = c.relname AND st.attname = a.attname
             AND NOT st.inherited
        WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND \(systemSchemaFilter)
          AND \(notExtensionMember("c.oid"))
        ORDER BY a.attrelid, a.attnum
        """

    static func indexesQuery(serverVersion: Int) -> String {
        // `indnullsnotdistinct` exists from PostgreSQL 15; older servers read as false.
        let nullsNotDistinct = serverVersion >= 150000 ? "i.indnullsnotdistinct" : "false"
        return """
            SELECT i.indexrelid::text, i.indrelid::text, n.nspname, ic.relname, i.indkey::text, i.indnkeyatts,
                   i.indisunique, i.indisprimary, i.indisvalid, \(nullsNotDistinct),
                   pg_get_expr(i.indpred, i.indrelid), pg_get_expr(i.indexprs, i.indrelid), am.amname,
                   pg_relation_size(i.indexrelid), coalesce(s.idx_scan, 0), pg_get_indexdef(i.indexrelid),
                   EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
            FROM pg_index i
            JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_class tc ON tc.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = ic.relnamespace
            JOIN pg_am am ON am.oid = ic.relam
            LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = i.indexrelid
            WHERE tc.relkind IN ('r', 'p') AND \(systemSchemaFilter) AND \(notExtensionMember("tc.oid"))
            ORDER BY n.nspname, ic.relname
            """
    }

    static let constraintsQuery = """
        SELECT k.conname, k.contype, k.conrelid::text, nullif(k.confrelid, 0)::text,
               coalesce(k.conkey::text, '{}'), coalesce(k.confkey::text, '{}'), nullif(k.confdeltype, ' '),
               k.convalidated
        FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE k.contype IN ('p', 'u', 'f', 'c', 'x') AND \(systemSchemaFilter) AND \(notExtensionMember("c.oid"))
        ORDER BY k.conrelid, k.conname
        """

    static let sequencesQuery = """
        SELECT s.schemaname, s.sequencename, s.data_type::text, s.last_value, s.max_value,
               d.refobjid::text, d.refobjsubid
        FROM pg_sequences s
        JOIN pg_namespace n ON n.nspname = s.schemaname
        JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.sequencename
        LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
             AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
        WHERE \(systemSchemaFilter) AND \(notExtensionMember("c.oid"))
        ORDER BY s.schemaname, s.sequencename
        """

    static let databaseQuery = """
        SELECT coalesce(d.blks_hit, 0), coalesce(d.blks_read, 0), d.stats_reset::text,
               (SELECT coalesce(string_agg(extname, ',' ORDER BY extname), '') FROM pg_extension),
               (SELECT string_agg(name || '=' || setting, ',') FROM pg_settings WHERE name IN (\(
                   Autovacuum.settingNames.map { "'\($0)'" }.joined(separator: ", ")))),
               (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum launcher'),
               pg_is_in_recovery()
        FROM pg_stat_database d WHERE d.datname = current_database()
        """

    /// Loads the snapshot with seven queries, however many objects the schema holds.
    public static func load(from connection: PostgresConnection) throws(BackendError) -> CatalogSnapshot {
        let tables = try connection.query(tablesQuery(serverVersion: connection.serverVersion)).rows.map { row in
            Table(
                oid: row[0]!, schema: row[1]!, name: row[2]!, liveRows: number(row[3]), deadRows: number(row[4]),
                estimatedRows: number(row[5]), bytes: number(row[6]), sequentialScans: number(row[7]),
                indexScans: number(row[8]), inserts: number(row[9]), updates: number(row[10]), deletes: number(row[11]),
                everVacuumed: row[12] == "t", everAnalyzed: row[13] == "t", isPartition: row[14] == "t",
                insertsSinceVacuum: number(row[15]), changesSinceAnalyze: number(row[16]),
                options: options(row[17]))
        }
        let columns = try connection.query(columnsQuery).rows.map { row in
            Column(
                tableOid: row[0]!, number: Int(row[1]!) ?? 0, name: row[2]!, type: row[3]!, typeName: row[4]!,
                notNull: row[5] == "t", defaultExpression: row[6], isIdentity: row[7] == "t",
                isGenerated: row[8] == "t",
                distinctValues: row[9].flatMap(Double.init))
        }
        let indexes = try connection.query(indexesQuery(serverVersion: connection.serverVersion)).rows.map { row in
            Index(
                oid: row[0]!, tableOid: row[1]!, schema: row[2]!, name: row[3]!,
                columns: row[4]!.split(separator: " ").compactMap { Int($0) }, keyColumnCount: Int(row[5]!) ?? 0,
                isUnique: row[6] == "t", isPrimary: row[7] == "t", isValid: row[8] == "t",
                nullsNotDistinct: row[9] == "t",
                predicate: row[10], expressions: row[11], method: row[12]!, bytes: number(row[13]),
                scans: number(row[14]),
                definition: row[15]!, backsConstraint: row[16] == "t")
        }
        let constraints = try connection.query(constraintsQuery).rows.map { row in
            Constraint(
                name: row[0]!, kind: row[1]!, tableOid: row[2]!, referencedTableOid: row[3], columns: intArray(row[4]),
                referencedColumns: intArray(row[5]), onDelete: row[6], isValidated: row[7] == "t")
        }
        let sequences = try connection.query(sequencesQuery).rows.map { row in
            Sequence(
                schema: row[0]!, name: row[1]!, dataType: row[2]!, lastValue: row[3].flatMap(Double.init),
                maxValue: number(row[4]), ownerTableOid: row[5], ownerColumn: row[6].flatMap { Int($0) })
        }
        let database = try connection.query(databaseQuery).rows.first ?? []
        return CatalogSnapshot(
            serverVersion: connection.serverVersion, tables: tables, columns: columns, indexes: indexes,
            constraints: constraints, sequences: sequences,
            extensions: (database.count > 3 ? database[3] ?? "" : "").split(separator: ",").map(String.init),
            cacheHits: database.isEmpty ? 0 : number(database[0]),
            cacheReads: database.count > 1 ? number(database[1]) : 0,
            statsReset: database.count > 2 ? database[2] : nil,
            autovacuum: Autovacuum(
                settings: database.count > 4 ? database[4] : nil,
                launcherRunning: database.count > 5 && number(database[5]) > 0,
                inRecovery: database.count > 6 && database[6] == "t"),
            queryCount: 6)
    }

    static func number(_ text: String?) -> Double { text.flatMap(Double.init) ?? 0 }

    /// `{autovacuum_enabled=false,fillfactor=90}` as a dictionary.
    static func options(_ text: String?) -> [String: String] {
        var options: [String: String] = [:]
        for item in (text ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "{}")).split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { options[parts[0]] = parts[1] }
        }
        return options
    }

    static func intArray(_ text: String?) -> [Int] {
        (text ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "{}")).split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
    }
}
