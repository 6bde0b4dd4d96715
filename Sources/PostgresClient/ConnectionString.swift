import Foundation

/// Connection strings pointed at another database of the same server.
public enum ConnectionString {
    /// The same connection (URI or key/value string) with the database replaced.
    public static func replacingDatabase(in connection: String, with database: String) -> String {
        let trimmed = connection.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") else {
            return trimmed.isEmpty ? "dbname=\(database)" : "\(trimmed) dbname=\(database)"
        }
        let scheme = trimmed.range(of: "://")!.upperBound
        let rest = trimmed[scheme...]
        let queryStart = rest.firstIndex(of: "?") ?? rest.endIndex
        let authority = rest[..<queryStart]
        let query = rest[queryStart...]
        let hostPart = authority.firstIndex(of: "/").map { authority[..<$0] } ?? authority
        return String(trimmed[..<scheme]) + hostPart + "/" + database + query
    }
}
