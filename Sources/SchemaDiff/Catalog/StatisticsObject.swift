import Foundation

/// An extended statistics object (`CREATE STATISTICS s (ndistinct, dependencies, mcv) ON a, b FROM t`).
public struct StatisticsObject: Codable, Equatable, Sendable {
    /// `"schema"."name"`.
    public var name: String
    /// `"schema"."table"`.
    public var table: String
    /// `pg_get_statisticsobjdef`: the whole `CREATE STATISTICS` statement, qualified.
    public var definition: String
    /// `ALTER STATISTICS ... SET STATISTICS` target; nil for the default (-1).
    public var target: Int?
    public var comment: String?
}

extension Queries {
    static let statistics = json(
        """
        SELECT format('%I.%I', n.nspname, s.stxname) AS name, format('%I.%I', tn.nspname, c.relname) AS "table",
               pg_get_statisticsobjdef(s.oid) AS definition, nullif(s.stxstattarget, -1) AS target,
               obj_description(s.oid, 'pg_statistic_ext') AS comment
        FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
        JOIN pg_class c ON c.oid = s.stxrelid JOIN pg_namespace tn ON tn.oid = c.relnamespace
        WHERE \(userSchema) AND \(notExtensionMember("s.oid", "pg_statistic_ext"))
        """)
}
