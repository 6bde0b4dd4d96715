import Foundation

/// A logical-replication publication.
public struct PublicationObject: Codable, Equatable, Sendable {
    /// As `quote_ident` prints it.
    public var name: String
    public var allTables: Bool
    /// `publish`, as pg_dump prints it: `insert, update, delete, truncate` or a part of it.
    public var publish: String
    public var viaRoot: Bool
    /// Each table entry as `ALTER PUBLICATION ... ADD TABLE ONLY` takes it: `public.t (a, b) WHERE ((x > 1))`,
    /// keyed by the table (`"schema"."table"`).
    public var tables: [String: String]
    /// `TABLES IN SCHEMA` entries, quoted.
    public var schemas: [String]
    public var comment: String?

    /// The `WITH (...)` options.
    var options: String {
        "publish = \(SQLText.literal(publish)), publish_via_partition_root = \(viaRoot)"
    }
}

extension Queries {
    static let publications = json(
        """
        SELECT quote_ident(p.pubname) AS name, p.puballtables AS "allTables",
               concat_ws(', ', CASE WHEN p.pubinsert THEN 'insert' END, CASE WHEN p.pubupdate THEN 'update' END,
                         CASE WHEN p.pubdelete THEN 'delete' END, CASE WHEN p.pubtruncate THEN 'truncate' END)
                   AS publish,
               p.pubviaroot AS "viaRoot",
               coalesce((SELECT json_object_agg(format('%I.%I', n.nspname, c.relname),
                                format('%I.%I', n.nspname, c.relname)
                                || coalesce(' (' || (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
                                                     FROM pg_attribute a WHERE a.attrelid = r.prrelid
                                                       AND a.attnum = ANY (r.prattrs::int2[])) || ')', '')
                                || coalesce(' WHERE (' || pg_get_expr(r.prqual, r.prrelid) || ')', ''))
                         FROM pg_publication_rel r JOIN pg_class c ON c.oid = r.prrelid
                         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE r.prpubid = p.oid), '{}'::json) AS tables,
               coalesce((SELECT json_agg(quote_ident(n.nspname) ORDER BY n.nspname COLLATE "C")
                         FROM pg_publication_namespace pn JOIN pg_namespace n ON n.oid = pn.pnnspid
                         WHERE pn.pnpubid = p.oid), '[]'::json) AS schemas,
               obj_description(p.oid, 'pg_publication') AS comment
        FROM pg_publication p
        """)
}
