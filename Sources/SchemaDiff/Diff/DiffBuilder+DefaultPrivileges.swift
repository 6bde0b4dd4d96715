import Foundation

// Default privileges (`ALTER DEFAULT PRIVILEGES`): what is revoked, then what is granted, entry by entry.
extension DiffBuilder {
    mutating func changeDefaultPrivileges() {
        let keys = Set(source.defaultPrivileges.keys).union(target.defaultPrivileges.keys)
        for key in keys.sorted() {
            let old = source.defaultPrivileges[key]
            let new = target.defaultPrivileges[key]
            guard let entry = new ?? old else { continue }
            // A schema's entries go with the schema when it is dropped.
            if let schema = entry.schema, target.schemas[schema] == nil { continue }
            // A missing database-wide entry means the built-in defaults; a missing schema entry, nothing.
            let before = old?.grants ?? entry.builtIn
            let after = new?.grants ?? entry.builtIn
            let scope =
                "ALTER DEFAULT PRIVILEGES FOR ROLE \(entry.role)" + (entry.schema.map { " IN SCHEMA \($0)" } ?? "")
            // Revoking takes the grant option along, so a grant whose option changes is revoked and granted.
            for grant in before where !after.contains(grant) {
                let words = grant.split(separator: " ")
                add("\(scope) REVOKE \(words[1]) ON \(entry.kindWord) FROM \(words[0])")
            }
            for grant in after where !before.contains(grant) {
                let words = grant.split(separator: " ")
                let option = grant.hasSuffix(" WITH GRANT OPTION") ? " WITH GRANT OPTION" : ""
                add("\(scope) GRANT \(words[1]) ON \(entry.kindWord) TO \(words[0])\(option)")
            }
        }
    }
}
