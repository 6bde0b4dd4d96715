import Foundation

/// A composite type (`CREATE TYPE pair AS (a integer, b text)`); not a table's row type.
public struct CompositeTypeObject: Codable, Equatable, Sendable {
    /// `"schema"."name"`.
    public var name: String
    /// In their order: a row of the type lists its values in it, so order is part of the type.
    public var attributes: [CompositeAttribute]
    /// `role USAGE` grants beyond the owner's, including the default `PUBLIC USAGE`, sorted.
    public var privileges: [String]
    public var comment: String?
}

public struct CompositeAttribute: Codable, Equatable, Sendable {
    public var name: String
    /// As `format_type` prints it.
    public var type: String
    /// The attribute's collation when it is not its type's default.
    public var collation: String?
    public var comment: String?

    /// As `CREATE TYPE ... AS (...)` and `ADD ATTRIBUTE` take it.
    var definition: String {
        "\(SQLText.ident(name)) \(type)" + (collation.map { " COLLATE \($0)" } ?? "")
    }
}

extension Queries {
    static let composites = json(
        """
        SELECT format('%I.%I', n.nspname, t.typname) AS name,
               coalesce((SELECT json_agg(json_build_object(
                             'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
                             'collation', CASE WHEN a.attcollation <> at.typcollation
                                               THEN format('%I.%I', cn.nspname, co.collname) END,
                             'comment', col_description(c.oid, a.attnum)) ORDER BY a.attnum)
                         FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
                         LEFT JOIN pg_collation co ON co.oid = a.attcollation
                         LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
                         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '[]'::json) AS attributes,
               \(sortedPrivileges("t.typacl", "T", "t.typowner")) AS privileges,
               obj_description(t.oid, 'pg_type') AS comment
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_class c ON c.oid = t.typrelid
        WHERE t.typtype = 'c' AND c.relkind = 'c' AND \(userSchema) AND \(notExtensionMember("t.oid", "pg_type"))
        """)
}
