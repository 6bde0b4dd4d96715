import Foundation

/// The privileges `ALTER DEFAULT PRIVILEGES` gives objects one role creates later, in one schema or
/// database-wide, for one kind of object (`pg_default_acl`).
public struct DefaultPrivilegeObject: Codable, Equatable, Sendable {
    /// The creating role, quoted.
    public var role: String
    /// The schema, quoted; nil for a database-wide entry.
    public var schema: String?
    /// `r` tables, `S` sequences, `f` routines, `T` types, `n` schemas.
    public var objectType: String
    /// `grantee PRIVILEGE[ WITH GRANT OPTION]`, sorted; the role itself included (a database-wide entry may
    /// take privileges from it).
    public var grants: [String]
    /// What a database-wide entry stands for when there is none (PostgreSQL's built-in defaults: the role
    /// holds everything, PUBLIC may execute routines and use types); empty for a schema's entry, which
    /// only adds.
    public var builtIn: [String]

    /// How `ALTER DEFAULT PRIVILEGES ... ON` names the kind.
    var kindWord: String {
        switch objectType {
        case "r": "TABLES"
        case "S": "SEQUENCES"
        case "f": "FUNCTIONS"
        case "T": "TYPES"
        default: "SCHEMAS"
        }
    }

    /// `role|schema|type`, the model's key.
    var key: String { "\(role)|\(schema ?? "")|\(objectType)" }
}

extension Queries {
    /// Entries of every role in the user's schemas and database-wide; `acldefault` takes `s` for sequences
    /// where `pg_default_acl` says `S`.
    static let defaultPrivileges = json(
        """
        SELECT quote_ident(pg_get_userbyid(d.defaclrole)) AS role,
               CASE WHEN d.defaclnamespace = 0 THEN NULL ELSE quote_ident(n.nspname) END AS schema,
               d.defaclobjtype::text AS "objectType",
               \(entries("d.defaclacl")) AS grants,
               CASE WHEN d.defaclnamespace = 0
                    THEN \(entries("acldefault(CASE d.defaclobjtype WHEN 'S' THEN 's' ELSE d.defaclobjtype END, d.defaclrole)"))
                    ELSE '[]'::json END AS "builtIn"
        FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
        WHERE d.defaclnamespace = 0 OR (\(userSchema))
        """)

    /// An ACL as sorted `grantee PRIVILEGE[ WITH GRANT OPTION]` entries, never null.
    static func entries(_ acl: String) -> String {
        """
        coalesce((SELECT json_agg(g ORDER BY g COLLATE "C")
                  FROM (SELECT CASE WHEN ax.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(ax.grantee)) END
                               || ' ' || ax.privilege_type
                               || CASE WHEN ax.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END AS g
                        FROM aclexplode(\(acl)) ax) x), '[]'::json)
        """
    }
}
