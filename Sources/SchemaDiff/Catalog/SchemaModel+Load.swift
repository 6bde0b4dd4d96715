import BackendCore
import Foundation
import PostgresClient

extension SchemaModel {
    /// Reads the schema of the database `connection` is on, with one catalog query per kind of object
    /// (`catalogQueryCount` in all, however large the schema), in one read-only repeatable-read transaction.
    public static func load(from connection: PostgresConnection) throws(BackendError) -> SchemaModel {
        try connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do {
            let model = try read(connection)
            try connection.query("COMMIT")
            return model
        } catch {
            _ = try? connection.query("ROLLBACK")
            throw error
        }
    }

    /// The number of catalog queries `load` runs.
    public static let catalogQueryCount = Queries.all.count

    private static func read(_ connection: PostgresConnection) throws(BackendError) -> SchemaModel {
        var model = SchemaModel()
        func rows<T: Decodable>(_ sql: String, as type: T.Type) throws(BackendError) -> [T] {
            let text = try connection.query(sql).rows.first?.first.flatMap { $0 } ?? "[]"
            do {
                return try JSONDecoder().decode([T].self, from: Data(text.utf8))
            } catch {
                throw BackendError(.failed, "cannot read the catalog: \(error)")
            }
        }
        for item in try rows(Queries.schemas, as: SchemaObject.self) { model.schemas[item.name] = item }
        for item in try rows(Queries.extensions, as: ExtensionObject.self) { model.extensions[item.name] = item }
        for item in try rows(Queries.collations, as: CollationObject.self) { model.collations[item.name] = item }
        for item in try rows(Queries.enums, as: EnumObject.self) { model.enums[item.name] = item }
        for var item in try rows(Queries.domains, as: DomainObject.self) {
            item.dependsOnFunctions = item.dependsOnFunctions?.sorted()
            model.domains[item.name] = item
        }
        for item in try rows(Queries.composites, as: CompositeTypeObject.self) { model.composites[item.name] = item }
        for item in try rows(Queries.sequences, as: SequenceObject.self) { model.sequences[item.name] = item }
        for row in try rows(Queries.tables, as: TableRow.self) {
            var columns: [String: ColumnObject] = [:]
            for var column in row.columns ?? [] {
                if row.partitionBound != nil { column.isLocal = nil }
                columns[column.name] = column
            }
            model.tables[row.name] = TableObject(
                name: row.name, kind: row.kind, persistence: row.persistence, partitionKey: row.partitionKey,
                partitionBound: row.partitionBound, parents: row.parents ?? [], columns: columns,
                rowSecurity: row.rowSecurity, forceRowSecurity: row.forceRowSecurity, options: row.options,
                replicaIdentity: row.replicaIdentity, privileges: (row.privileges ?? []).sorted(), comment: row.comment,
                clonedConstraints: row.clonedConstraints, clusteredOn: row.clusteredOn)
        }
        for item in try rows(Queries.constraints, as: ConstraintObject.self) {
            model.constraints["\(item.table).\(item.name)"] = item
        }
        for item in try rows(Queries.indexes, as: IndexObject.self) { model.indexes[item.name] = item }
        for row in try rows(Queries.views, as: ViewRow.self) {
            model.views[row.name] = ViewObject(
                name: row.name, kind: row.kind, definition: row.definition,
                dependsOnRelations: (row.dependsOnRelations ?? []).sorted(),
                dependsOnColumns: (row.dependsOnColumns ?? []).sorted(),
                dependsOnFunctions: (row.dependsOnFunctions ?? []).sorted(),
                dependsOnTypes: (row.dependsOnTypes ?? []).sorted(), privileges: (row.privileges ?? []).sorted(),
                comment: row.comment, options: row.options)
        }
        for row in try rows(Queries.functions, as: FunctionRow.self) {
            model.functions[row.signature] = FunctionObject(
                signature: row.signature, kind: row.kind, definition: row.definition, result: row.result,
                dependsOnRelations: (row.dependsOnRelations ?? []).sorted(),
                dependsOnFunctions: row.dependsOnFunctions?.sorted(), dependsOnTypes: row.dependsOnTypes?.sorted(),
                privileges: (row.privileges ?? []).sorted(), comment: row.comment)
        }
        for item in try rows(Queries.triggers, as: TriggerObject.self) {
            model.triggers["\(item.table).\(item.name)"] = item
        }
        for item in try rows(Queries.policies, as: PolicyObject.self) {
            model.policies["\(item.table).\(item.name)"] = item
        }
        for item in try rows(Queries.statistics, as: StatisticsObject.self) { model.statistics[item.name] = item }
        for item in try rows(Queries.publications, as: PublicationObject.self) { model.publications[item.name] = item }
        for item in try rows(Queries.defaultPrivileges, as: DefaultPrivilegeObject.self) {
            model.defaultPrivileges[item.key] = item
        }
        for item in try rows(Queries.casts, as: CastObject.self) {
            model.casts["\(item.source) -> \(item.target)"] = item.context
        }
        return model
    }

    private struct TableRow: Decodable {
        var name: String
        var kind: String
        var persistence: String
        var partitionKey: String?
        var partitionBound: String?
        var parents: [String]?
        var columns: [ColumnObject]?
        var rowSecurity: Bool
        var forceRowSecurity: Bool
        var options: [String]?
        var replicaIdentity: String?
        var clusteredOn: String?
        var privileges: [String]?
        var comment: String?
        var clonedConstraints: [String]?
    }

    private struct ViewRow: Decodable {
        var name: String
        var kind: String
        var definition: String
        var dependsOnRelations: [String]?
        var dependsOnColumns: [String]?
        var dependsOnFunctions: [String]?
        var dependsOnTypes: [String]?
        var privileges: [String]?
        var comment: String?
        var options: [String]?
    }

    private struct FunctionRow: Decodable {
        var signature: String
        var kind: String
        var definition: String
        var result: String?
        var dependsOnRelations: [String]?
        var dependsOnFunctions: [String]?
        var dependsOnTypes: [String]?
        var privileges: [String]?
        var comment: String?
    }
}

/// The catalog queries; each returns one JSON array.
enum Queries {
    static let userSchema = """
        n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' \
        AND n.nspname NOT LIKE 'pg\\_temp%'
        """

    static func notExtensionMember(_ oid: String, _ catalog: String) -> String {
        """
        NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '\(catalog)'::regclass AND e.objid = \(oid) \
        AND e.deptype = 'e')
        """
    }

    static func json(_ select: String) -> String {
        "SELECT coalesce(json_agg(x), '[]')::text FROM (\(select)) x"
    }

    static func privileges(_ acl: String, _ kind: String, _ owner: String) -> String {
        """
        (SELECT json_agg(CASE WHEN ax.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(ax.grantee)) END
             || ' ' || ax.privilege_type || CASE WHEN ax.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
         FROM aclexplode(coalesce(\(acl), acldefault('\(kind)', \(owner)))) ax WHERE ax.grantee <> \(owner))
        """
    }

    /// `privileges` as a JSON array sorted the way Swift sorts (byte order), never null.
    static func sortedPrivileges(_ acl: String, _ kind: String, _ owner: String) -> String {
        """
        coalesce((SELECT json_agg(g ORDER BY g COLLATE "C") FROM json_array_elements_text(\(privileges(acl, kind, owner))) g),
                 '[]'::json)
        """
    }

    static let schemas = json(
        """
        SELECT quote_ident(n.nspname) AS name,
               \(sortedPrivileges("n.nspacl", "n", "n.nspowner")) AS privileges,
               obj_description(n.oid, 'pg_namespace') AS comment
        FROM pg_namespace n WHERE \(userSchema) AND \(notExtensionMember("n.oid", "pg_namespace"))
        """)

    static let extensions = json(
        """
        SELECT e.extname AS name, quote_ident(n.nspname) AS schema, e.extversion AS version
        FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        """)

    static let collations = json(
        """
        SELECT format('%I.%I', n.nspname, c.collname) AS name, c.collprovider::text AS provider,
               c.collcollate AS "collate", c.collctype AS ctype, c.colliculocale AS "icuLocale",
               c.collisdeterministic AS deterministic
        FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace
        WHERE \(userSchema) AND \(notExtensionMember("c.oid", "pg_collation"))
        """)

    static let enums = json(
        """
        SELECT format('%I.%I', n.nspname, t.typname) AS name,
               (SELECT json_agg(l.enumlabel ORDER BY l.enumsortorder) FROM pg_enum l WHERE l.enumtypid = t.oid)
                   AS labels,
               obj_description(t.oid, 'pg_type') AS comment
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE t.typtype = 'e' AND \(userSchema) AND \(notExtensionMember("t.oid", "pg_type"))
        """)

    static let domains = json(
        """
        SELECT format('%I.%I', n.nspname, t.typname) AS name, format_type(t.typbasetype, t.typtypmod) AS "baseType",
               t.typdefault AS "defaultExpression", t.typnotnull AS "notNull",
               CASE WHEN t.typcollation <> bt.typcollation THEN format('%I.%I', cn.nspname, co.collname) END
                   AS collation,
               coalesce((SELECT json_object_agg(quote_ident(k.conname), pg_get_constraintdef(k.oid))
                         FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c'), '{}'::json)
                   AS constraints,
               (SELECT json_agg(DISTINCT format('%I.%I(%s)', fn.nspname, f.proname,
                                                pg_get_function_identity_arguments(f.oid)))
                FROM pg_constraint k JOIN pg_depend d ON d.classid = 'pg_constraint'::regclass AND d.objid = k.oid
                JOIN pg_proc f ON f.oid = d.refobjid JOIN pg_namespace fn ON fn.oid = f.pronamespace
                WHERE k.contypid = t.oid AND d.refclassid = 'pg_proc'::regclass
                  AND fn.nspname NOT IN ('pg_catalog', 'information_schema')) AS "dependsOnFunctions",
               obj_description(t.oid, 'pg_type') AS comment
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_type bt ON bt.oid = t.typbasetype
        LEFT JOIN pg_collation co ON co.oid = t.typcollation LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
        WHERE t.typtype = 'd' AND \(userSchema) AND \(notExtensionMember("t.oid", "pg_type"))
        """)

    static let sequences = json(
        """
        SELECT format('%I.%I', n.nspname, c.relname) AS name, format_type(s.seqtypid, NULL) AS type,
               s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmin::text AS "minValue",
               s.seqmax::text AS "maxValue", s.seqcache::text AS cache, s.seqcycle AS cycle,
               (SELECT format('%I.%I.%I', tn.nspname, tc.relname, a.attname)
                FROM pg_depend d JOIN pg_class tc ON tc.oid = d.refobjid
                JOIN pg_namespace tn ON tn.oid = tc.relnamespace
                JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
                  AND d.deptype = 'a' LIMIT 1) AS "ownedBy",
               \(sortedPrivileges("c.relacl", "s", "c.relowner")) AS privileges,
               obj_description(c.oid, 'pg_class') AS comment
        FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE \(userSchema) AND \(notExtensionMember("c.oid", "pg_class"))
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                          AND d.deptype = 'i')
        """)

    static let tables = json(
        """
        SELECT format('%I.%I', n.nspname, c.relname) AS name, c.relkind::text AS kind,
               c.relpersistence::text AS persistence,
               CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS "partitionKey",
               CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS "partitionBound",
               (SELECT json_agg(format('%I.%I', pn.nspname, pc.relname) ORDER BY i.inhseqno)
                FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent
                JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid) AS parents,
               (SELECT json_agg(json_build_object(
                    'name', a.attname, 'position', a.attnum, 'type', format_type(a.atttypid, a.atttypmod),
                    'notNull', a.attnotnull, 'defaultExpression', pg_get_expr(ad.adbin, ad.adrelid),
                    'identity', a.attidentity::text, 'generated', a.attgenerated::text,
                    'identityOptions',
                    (SELECT json_build_object(
                         'sequence', format('%I.%I', sn.nspname, sc.relname), 'start', s.seqstart::text,
                         'increment', s.seqincrement::text, 'minValue', s.seqmin::text, 'maxValue', s.seqmax::text,
                         'cache', s.seqcache::text, 'cycle', s.seqcycle)
                     FROM pg_depend d JOIN pg_sequence s ON s.seqrelid = d.objid
                     JOIN pg_class sc ON sc.oid = s.seqrelid JOIN pg_namespace sn ON sn.oid = sc.relnamespace
                     WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
                       AND d.refobjid = c.oid AND d.refobjsubid = a.attnum AND d.deptype = 'i'),
                    'collation', CASE WHEN a.attcollation <> t.typcollation
                                      THEN format('%I.%I', cn.nspname, co.collname) END,
                    'isLocal', a.attislocal, 'comment', col_description(c.oid, a.attnum),
                    'storage', CASE WHEN a.attstorage <> t.typstorage THEN \(storageName("a.attstorage")) END,
                    'typeStorage', \(storageName("t.typstorage")),
                    'compression', CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END,
                    'statistics', nullif(a.attstattarget, -1)) ORDER BY a.attnum)
                FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                LEFT JOIN pg_collation co ON co.oid = a.attcollation
                LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
               c.relrowsecurity AS "rowSecurity", c.relforcerowsecurity AS "forceRowSecurity",
               \(relationOptions) AS options,
               CASE c.relreplident WHEN 'f' THEN 'FULL' WHEN 'n' THEN 'NOTHING'
                    WHEN 'i' THEN (SELECT 'USING INDEX ' || quote_ident(ic.relname) FROM pg_index i
                                   JOIN pg_class ic ON ic.oid = i.indexrelid
                                   WHERE i.indrelid = c.oid AND i.indisreplident) END AS "replicaIdentity",
               (SELECT quote_ident(ic.relname) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                WHERE i.indrelid = c.oid AND i.indisclustered) AS "clusteredOn",
               \(privileges("c.relacl", "r", "c.relowner")) AS privileges,
               obj_description(c.oid, 'pg_class') AS comment,
               (SELECT json_agg(quote_ident(k.conname) ORDER BY k.conname COLLATE "C") FROM pg_constraint k
                WHERE c.relispartition AND k.conrelid = c.oid AND k.conparentid <> 0) AS "clonedConstraints"
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND \(userSchema) AND \(notExtensionMember("c.oid", "pg_class"))
        """)

    static let constraints = json(
        """
        SELECT format('%I.%I', n.nspname, c.relname) AS "table", quote_ident(k.conname) AS name,
               k.contype::text AS type, pg_get_constraintdef(k.oid) AS definition,
               CASE WHEN k.contype = 'f' THEN format('%I.%I', fn.nspname, fc.relname) END AS "references",
               obj_description(k.oid, 'pg_constraint') AS comment,
               CASE WHEN k.contype = 'f' THEN (SELECT format('%I.%I', xn.nspname, x.relname) FROM pg_class x
                    JOIN pg_namespace xn ON xn.oid = x.relnamespace WHERE x.oid = k.conindid) END AS "usesIndex"
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_class fc ON fc.oid = k.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
        WHERE c.relkind IN ('r', 'p') AND k.contype IN ('p', 'u', 'c', 'x', 'f') AND k.conislocal
          AND k.conparentid = 0 AND \(userSchema) AND \(notExtensionMember("c.oid", "pg_class"))
        """)

    static let indexes = json(
        """
        SELECT format('%I.%I', n.nspname, ic.relname) AS name, format('%I.%I', n.nspname, tc.relname) AS "table",
               tc.relkind::text AS "tableKind", pg_get_indexdef(i.indexrelid) AS definition,
               obj_description(ic.oid, 'pg_class') AS comment,
               (SELECT format('%I.%I', pn.nspname, pc.relname) FROM pg_inherits h
                JOIN pg_class pc ON pc.oid = h.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
                WHERE h.inhrelid = ic.oid) AS parent,
               CASE WHEN ic.relkind = 'I' THEN i.indisvalid END AS valid
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = ic.relnamespace
        WHERE tc.relkind IN ('r', 'p', 'm') AND \(userSchema)
          AND \(notExtensionMember("tc.oid", "pg_class"))
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
        """)

    /// A relation's storage parameters (`reloptions`), then its TOAST table's prefixed `toast.`, in catalog
    /// order, as a JSON array (null when none), for tables, views and materialised views alike.
    static let relationOptions = """
        (SELECT json_agg(o ORDER BY g, n)
                FROM (SELECT o, 0 AS g, n FROM unnest(c.reloptions) WITH ORDINALITY u(o, n)
                      UNION ALL
                      SELECT 'toast.' || o, 1, n FROM pg_class tc, unnest(tc.reloptions) WITH ORDINALITY v(o, n)
                      WHERE tc.oid = c.reltoastrelid) x)
        """

    static let views = json(
        """
        SELECT format('%I.%I', n.nspname, c.relname) AS name, c.relkind::text AS kind,
               pg_get_viewdef(c.oid) AS definition,
               (SELECT json_agg(DISTINCT format('%I.%I', rn.nspname, rc.relname))
                FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                JOIN pg_class rc ON rc.oid = d.refobjid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                WHERE r.ev_class = c.oid AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> c.oid)
                   AS "dependsOnRelations",
               (SELECT json_agg(DISTINCT format('%I.%I', rn.nspname, rc.relname) || '|' || a.attname)
                FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                JOIN pg_class rc ON rc.oid = d.refobjid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                WHERE r.ev_class = c.oid AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> c.oid
                  AND d.refobjsubid > 0) AS "dependsOnColumns",
               (SELECT json_agg(DISTINCT format('%I.%I(%s)', pn.nspname, p.proname,
                                                pg_get_function_identity_arguments(p.oid)))
                FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                JOIN pg_proc p ON p.oid = d.refobjid JOIN pg_namespace pn ON pn.oid = p.pronamespace
                WHERE r.ev_class = c.oid AND d.refclassid = 'pg_proc'::regclass) AS "dependsOnFunctions",
               (SELECT json_agg(DISTINCT format('%I.%I', tn.nspname, t.typname))
                FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                JOIN pg_type t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.typnamespace
                WHERE r.ev_class = c.oid AND d.refclassid = 'pg_type'::regclass) AS "dependsOnTypes",
               \(privileges("c.relacl", "r", "c.relowner")) AS privileges,
               obj_description(c.oid, 'pg_class') AS comment, \(relationOptions) AS options
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('v', 'm') AND \(userSchema) AND \(notExtensionMember("c.oid", "pg_class"))
        """)

    static let functions = json(
        """
        SELECT format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) AS signature,
               p.prokind::text AS kind, pg_get_functiondef(p.oid) AS definition,
               pg_get_function_result(p.oid) AS result,
               (SELECT json_agg(DISTINCT format('%I.%I', rn.nspname, rc.relname))
                FROM pg_depend d JOIN pg_class rc ON rc.oid = CASE d.refclassid WHEN 'pg_class'::regclass THEN d.refobjid
                     ELSE (SELECT t.typrelid FROM pg_type t WHERE t.oid = d.refobjid) END
                JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND rc.relkind <> 'c'
                  AND d.refclassid IN ('pg_type'::regclass, 'pg_class'::regclass)) AS "dependsOnRelations",
               (SELECT json_agg(DISTINCT format('%I.%I', tn.nspname, tt.typname))
                FROM pg_depend d JOIN pg_type dt ON dt.oid = d.refobjid
                JOIN pg_type tt ON tt.oid = CASE WHEN dt.typelem <> 0 AND dt.typlen = -1 THEN dt.typelem ELSE dt.oid END
                JOIN pg_namespace tn ON tn.oid = tt.typnamespace LEFT JOIN pg_class tc ON tc.oid = tt.typrelid
                WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.refclassid = 'pg_type'::regclass
                  AND (tt.typtype IN ('d', 'e') OR tc.relkind = 'c')) AS "dependsOnTypes",
               (SELECT json_agg(DISTINCT format('%I.%I(%s)', fn.nspname, f.proname,
                                                pg_get_function_identity_arguments(f.oid)))
                FROM pg_depend d JOIN pg_proc f ON f.oid = d.refobjid JOIN pg_namespace fn ON fn.oid = f.pronamespace
                WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.refclassid = 'pg_proc'::regclass
                  AND d.refobjid <> p.oid AND d.deptype = 'n') AS "dependsOnFunctions",
               \(privileges("p.proacl", "f", "p.proowner")) AS privileges,
               obj_description(p.oid, 'pg_proc') AS comment
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE p.prokind IN ('f', 'p') AND \(userSchema) AND \(notExtensionMember("p.oid", "pg_proc"))
        """)

    static let triggers = json(
        """
        SELECT format('%I.%I', n.nspname, c.relname) AS "table", quote_ident(t.tgname) AS name,
               pg_get_triggerdef(t.oid) AS definition, t.tgenabled::text AS enabled,
               obj_description(t.oid, 'pg_trigger') AS comment
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND \(userSchema) AND \(notExtensionMember("c.oid", "pg_class"))
        """)

    static let casts = json(
        """
        SELECT format_type(castsource, NULL) AS source, format_type(casttarget, NULL) AS target,
               castcontext::text AS context
        FROM pg_cast
        """)

    static let policies = json(
        """
        SELECT format('%I.%I', n.nspname, c.relname) AS "table", quote_ident(p.polname) AS name,
               p.polpermissive AS permissive, p.polcmd::text AS command,
               (SELECT json_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END ORDER BY 1)
                FROM unnest(p.polroles) r) AS roles,
               pg_get_expr(p.polqual, p.polrelid) AS "using", pg_get_expr(p.polwithcheck, p.polrelid) AS "withCheck",
               obj_description(p.oid, 'pg_policy') AS comment
        FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE \(userSchema)
        """)

    static let all = [
        schemas, extensions, collations, enums, domains, composites, sequences, tables, constraints, indexes, views,
        functions,
        triggers,
        policies, statistics, publications, casts, defaultPrivileges,
    ]

    /// `attstorage`/`typstorage` as `SET STORAGE` spells it.
    static func storageName(_ column: String) -> String {
        "CASE \(column) WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END"
    }
}
