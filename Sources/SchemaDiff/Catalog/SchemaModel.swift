import Foundation

/// A database's schema as the diff sees it: every object keyed by its quoted, schema-qualified name
/// (`"public"."orders"`), or `table.name` for objects that live on a table (constraints, triggers,
/// policies). OIDs, owners, column order and sequence positions are left out on purpose: two schemas
/// are equal when they hold the same objects with the same definitions (a column added by a migration
/// lands at the end of its table, which is the only way PostgreSQL can add one).
public struct SchemaModel: Codable, Equatable, Sendable {
    public var schemas: [String: SchemaObject] = [:]
    public var extensions: [String: ExtensionObject] = [:]
    public var collations: [String: CollationObject] = [:]
    public var enums: [String: EnumObject] = [:]
    public var domains: [String: DomainObject] = [:]
    /// Composite types (`CREATE TYPE ... AS (...)`), by quoted qualified name.
    public var composites: [String: CompositeTypeObject] = [:]
    public var sequences: [String: SequenceObject] = [:]
    public var tables: [String: TableObject] = [:]
    public var constraints: [String: ConstraintObject] = [:]
    public var indexes: [String: IndexObject] = [:]
    public var views: [String: ViewObject] = [:]
    public var functions: [String: FunctionObject] = [:]
    public var triggers: [String: TriggerObject] = [:]
    public var policies: [String: PolicyObject] = [:]
    /// Extended statistics (`CREATE STATISTICS`), by quoted qualified name.
    public var statistics: [String: StatisticsObject] = [:]
    public var publications: [String: PublicationObject] = [:]
    /// `ALTER DEFAULT PRIVILEGES` entries, by `role|schema|type` (schema empty when database-wide).
    public var defaultPrivileges: [String: DefaultPrivilegeObject] = [:]
    /// The server's casts, `source -> target` (`format_type` without modifiers) to `pg_cast.castcontext`
    /// (`i` implicit, `a` assignment, `e` explicit): whether a column type change needs `USING`.
    public var casts: [String: String] = [:]

    public init() {}
}

/// One row of `pg_cast`.
public struct CastObject: Codable, Equatable, Sendable {
    public var source: String
    public var target: String
    public var context: String
}

public struct SchemaObject: Codable, Equatable, Sendable {
    public var name: String
    /// `role PRIVILEGE [WITH GRANT OPTION]` for each grant beyond the owner's, sorted.
    public var privileges: [String]
    public var comment: String?
}

public struct ExtensionObject: Codable, Equatable, Sendable {
    public var name: String
    public var schema: String
    public var version: String
}

public struct CollationObject: Codable, Equatable, Sendable {
    public var name: String
    public var provider: String
    public var collate: String?
    public var ctype: String?
    public var icuLocale: String?
    public var deterministic: Bool
}

public struct EnumObject: Codable, Equatable, Sendable {
    public var name: String
    public var labels: [String]
    public var comment: String?
}

public struct DomainObject: Codable, Equatable, Sendable {
    public var name: String
    /// The base type as `format_type` prints it.
    public var baseType: String
    public var defaultExpression: String?
    public var notNull: Bool
    /// The domain's collation when it is not its base type's default.
    public var collation: String?
    /// Check constraints: quoted name -> `pg_get_constraintdef`.
    public var constraints: [String: String]
    /// The routines its checks call (`"schema"."name"(arguments)`, sorted); nil when none. They must exist
    /// before the check is added and outlive it.
    public var dependsOnFunctions: [String]?
    public var comment: String?
}

public struct SequenceObject: Codable, Equatable, Sendable {
    public var name: String
    public var type: String
    public var start: String
    public var increment: String
    public var minValue: String
    public var maxValue: String
    public var cache: String
    public var cycle: Bool
    /// `"schema"."table"."column"` when the sequence is `OWNED BY` a column.
    public var ownedBy: String?
    public var privileges: [String]
    public var comment: String?
}

public struct ColumnObject: Codable, Equatable, Sendable {
    public var name: String
    /// Where the column sits in its table; not part of equality.
    public var position: Int
    public var type: String
    public var notNull: Bool
    /// The default, or the generation expression when `generated` is `s`.
    public var defaultExpression: String?
    /// `a` (always) or `d` (by default) for identity columns, empty otherwise.
    public var identity: String
    /// The identity column's sequence and its options.
    public var identityOptions: IdentityOptions?
    /// `s` for a stored generated column, empty otherwise.
    public var generated: String
    /// The column's collation when it is not its type's default.
    public var collation: String?
    /// Declared on this table (not only inherited). `nil` for partitions, where it carries no meaning.
    public var isLocal: Bool?
    public var comment: String?
    /// `PLAIN`, `EXTERNAL`, `MAIN` or `EXTENDED` when it is not the type's storage; nil otherwise.
    public var storage: String?
    /// The type's storage, what a nil `storage` stands for (to reset to); follows from `type`.
    public var typeStorage: String?
    /// `pglz` or `lz4` when set on the column; nil for the server's default.
    public var compression: String?
    /// The `SET STATISTICS` target; nil for the default (-1).
    public var statistics: Int?

    public static func == (lhs: ColumnObject, rhs: ColumnObject) -> Bool {
        lhs.name == rhs.name && lhs.type == rhs.type && lhs.notNull == rhs.notNull
            && lhs.defaultExpression == rhs.defaultExpression && lhs.identity == rhs.identity
            && lhs.identityOptions == rhs.identityOptions
            && lhs.generated == rhs.generated && lhs.collation == rhs.collation && lhs.isLocal == rhs.isLocal
            && lhs.comment == rhs.comment && lhs.storage == rhs.storage && lhs.compression == rhs.compression
            && lhs.statistics == rhs.statistics
    }
}

/// The sequence behind an identity column.
public struct IdentityOptions: Codable, Equatable, Sendable {
    public var sequence: String
    public var start: String
    public var increment: String
    public var minValue: String
    public var maxValue: String
    public var cache: String
    public var cycle: Bool

    /// The sequence options as `GENERATED ... AS IDENTITY (...)` and `ALTER COLUMN ... SET ...` spell them.
    var settings: [String] {
        [
            "START WITH \(start)", "INCREMENT BY \(increment)", "MINVALUE \(minValue)", "MAXVALUE \(maxValue)",
            "CACHE \(cache)", cycle ? "CYCLE" : "NO CYCLE",
        ]
    }
}

public struct TableObject: Codable, Equatable, Sendable {
    public var name: String
    /// `r` ordinary, `p` partitioned.
    public var kind: String
    /// `p` permanent, `u` unlogged.
    public var persistence: String
    public var partitionKey: String?
    /// `FOR VALUES ...` when the table is a partition of `parents[0]`.
    public var partitionBound: String?
    public var parents: [String]
    public var columns: [String: ColumnObject]
    public var rowSecurity: Bool
    public var forceRowSecurity: Bool
    /// Storage parameters as `name=value`, in the catalog's order (pg_dump prints them in it); those of the
    /// TOAST table prefixed `toast.`. Nil when there are none.
    public var options: [String]?
    /// `FULL`, `NOTHING` or `USING INDEX name`; nil for the default (the primary key).
    public var replicaIdentity: String?
    public var privileges: [String]
    public var comment: String?
    /// The constraints a partition holds as clones of its parent's (quoted names, sorted); they become
    /// its own when it is detached. Nil when there are none.
    public var clonedConstraints: [String]? = nil
    /// The index `CLUSTER` uses (`ALTER TABLE ... CLUSTER ON`), as `quote_ident` prints it; nil when none.
    public var clusteredOn: String?

    public var isPartition: Bool { partitionBound != nil }

    /// Columns in table order.
    public var orderedColumns: [ColumnObject] { columns.values.sorted { $0.position < $1.position } }
}

public struct ConstraintObject: Codable, Equatable, Sendable {
    public var table: String
    public var name: String
    /// `p`, `u`, `c`, `x` or `f`.
    public var type: String
    public var definition: String
    /// The referenced table of a foreign key.
    public var references: String?
    public var comment: String?
    /// The unique index of the referenced table a foreign key rests on (`pg_constraint.conindid`): it must
    /// exist before the key is added and outlive it. Not part of equality: the server picks it.
    public var usesIndex: String? = nil

    public static func == (lhs: ConstraintObject, rhs: ConstraintObject) -> Bool {
        lhs.table == rhs.table && lhs.name == rhs.name && lhs.type == rhs.type && lhs.definition == rhs.definition
            && lhs.references == rhs.references && lhs.comment == rhs.comment
    }
}

public struct IndexObject: Codable, Equatable, Sendable {
    public var name: String
    public var table: String
    /// `r`, `p` or `m`: the kind of the relation the index is on.
    public var tableKind: String
    public var definition: String
    public var comment: String?
    /// The partitioned index this partition's index is attached to.
    public var parent: String?
    /// Of a partitioned index: false while a partition's index is still missing (`ON ONLY` not yet attached
    /// to all), which pg_dump does not show. Nil for other indexes.
    public var valid: Bool?
}

public struct ViewObject: Codable, Equatable, Sendable {
    public var name: String
    /// `v` view, `m` materialised view.
    public var kind: String
    public var definition: String
    public var dependsOnRelations: [String]
    /// `"schema"."table"|column` for each column the view reads.
    public var dependsOnColumns: [String]
    public var dependsOnFunctions: [String]
    public var dependsOnTypes: [String]
    public var privileges: [String]
    public var comment: String?
    /// `security_barrier=true`, `check_option=local`, a materialised view's storage parameters (`toast.`
    /// prefixed for its TOAST table), in catalog order; nil when none.
    public var options: [String]?
}

public struct FunctionObject: Codable, Equatable, Sendable {
    /// `"schema"."name"(identity arguments)`.
    public var signature: String
    /// `f` function, `p` procedure.
    public var kind: String
    public var definition: String
    public var result: String?
    /// Tables and views whose row types the signature uses, or that a SQL-standard body reads.
    public var dependsOnRelations: [String]
    /// Functions a SQL-standard body (`BEGIN ATOMIC`) calls, as `pg_depend` records them (string bodies
    /// of plpgsql or `AS $$...$$` sql functions are not recorded: see `SET check_function_bodies`).
    public var dependsOnFunctions: [String]?
    /// Domains, composite types and enums the signature (or a SQL-standard body) uses, arrays of them
    /// included, sorted; nil when none. A routine goes and comes back with a type that is recreated.
    public var dependsOnTypes: [String]?
    /// Grants beyond the owner's, including the default `PUBLIC EXECUTE`.
    public var privileges: [String]
    public var comment: String?
}

public struct TriggerObject: Codable, Equatable, Sendable {
    public var table: String
    public var name: String
    public var definition: String
    /// `O` enabled, `D` disabled, `R` replica, `A` always.
    public var enabled: String
    public var comment: String?
}

public struct PolicyObject: Codable, Equatable, Sendable {
    public var table: String
    public var name: String
    public var permissive: Bool
    /// `r`, `a`, `w`, `d` or `*`.
    public var command: String
    public var roles: [String]
    public var using: String?
    public var withCheck: String?
    public var comment: String?

    /// The rule alone: a policy whose comment alone changes is commented, not dropped and created again.
    var rule: PolicyObject {
        var copy = self
        copy.comment = nil
        return copy
    }
}

extension SchemaModel {
    /// What differs between two models, one line per leaf, e.g.
    /// `tables."public"."t".columns.a.type: integer -> bigint`; empty when they are equal.
    public func differences(to other: SchemaModel) -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let left = try? JSONSerialization.jsonObject(with: encoder.encode(self)),
            let right = try? JSONSerialization.jsonObject(with: encoder.encode(other))
        else { return self == other ? [] : ["the models differ"] }
        var lines: [String] = []
        Self.compare(left, right, path: "", into: &lines)
        return lines
    }

    private static func compare(_ left: Any?, _ right: Any?, path: String, into lines: inout [String]) {
        if path.hasSuffix(".position") || path.hasSuffix(".usesIndex") { return }
        switch (left, right) {
        case (let l as [String: Any], let r as [String: Any]):
            for key in Set(l.keys).union(r.keys).sorted() {
                let child = path.isEmpty ? key : "\(path).\(key)"
                switch (l[key], r[key]) {
                case (nil, .some):
                    lines.append("\(child): only in the second")
                case (.some, nil):
                    lines.append("\(child): only in the first")
                default:
                    compare(l[key], r[key], path: child, into: &lines)
                }
            }
        default:
            let l = describe(left)
            let r = describe(right)
            if l != r { lines.append("\(path): \(l) -> \(r)") }
        }
    }

    private static func describe(_ value: Any?) -> String {
        guard let value, !(value is NSNull) else { return "null" }
        if let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]),
            let text = String(data: data, encoding: .utf8)
        {
            return text
        }
        return "\(value)"
    }
}
