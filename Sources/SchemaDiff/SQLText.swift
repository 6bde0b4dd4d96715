import Foundation

/// Quoting and name helpers for the SQL the differ writes.
enum SQLText {
    static func ident(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// Splits `schema.name` as written by `format('%I.%I')` into its unquoted parts.
    static func split(_ qualified: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var iterator = Array(qualified)[...]
        while let character = iterator.popFirst() {
            if quoted {
                if character == "\"" {
                    if iterator.first == "\"" {
                        current.append("\"")
                        iterator.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "." {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    /// The unquoted last part of a qualified name.
    static func baseName(_ qualified: String) -> String { split(qualified).last ?? qualified }

    /// The quoted schema of a qualified name.
    static func schema(_ qualified: String) -> String { ident(split(qualified).first ?? "public") }

    /// `"schema"."name"` with the name replaced.
    static func renamed(_ qualified: String, to name: String) -> String {
        "\(schema(qualified)).\(ident(name))"
    }

    /// The text of a view definition without its trailing semicolon.
    static func trimmed(_ sql: String) -> String {
        var text = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(";") {
            text.removeLast()
            text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text
    }
}
