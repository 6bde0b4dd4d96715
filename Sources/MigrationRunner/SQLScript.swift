import Foundation

/// A SQL script split into statements as psql splits them: on semicolons outside quotes, dollar quotes
/// and comments. Each statement keeps its byte offset, so an error position can be mapped back to it.
public struct SQLScript: Sendable {
    public struct Statement: Sendable, Equatable {
        public let text: String
        /// 0-based character offset of the statement in the script.
        public let offset: Int
        /// The statement with comments removed, literals blanked and whitespace folded, upper-cased,
        /// for rule matching (never for execution).
        public let normalized: String
    }

    public let text: String
    public let statements: [Statement]

    public init(_ text: String) {
        self.text = text
        var statements: [Statement] = []
        let characters = Array(text)
        var index = 0
        var start = 0
        var normalized = ""
        func flush(upTo end: Int) {
            let body = String(characters[start..<end]).trimmingCharacters(in: .whitespacesAndNewlines)
            let folded = normalized.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if !folded.isEmpty {
                statements.append(Statement(text: body, offset: start, normalized: folded.uppercased()))
            }
            normalized = ""
        }
        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : "\0"
            if character == "-" && next == "-" {
                while index < characters.count && characters[index] != "\n" { index += 1 }
                normalized.append(" ")
                continue
            }
            if character == "/" && next == "*" {
                var depth = 0
                repeat {
                    if characters[index] == "/" && index + 1 < characters.count && characters[index + 1] == "*" {
                        depth += 1
                        index += 2
                    } else if characters[index] == "*" && index + 1 < characters.count && characters[index + 1] == "/" {
                        depth -= 1
                        index += 2
                    } else {
                        index += 1
                    }
                } while depth > 0 && index < characters.count
                normalized.append(" ")
                continue
            }
            if character == "'" || character == "\"" {
                let quote = character
                index += 1
                while index < characters.count {
                    if characters[index] == quote {
                        if index + 1 < characters.count && characters[index + 1] == quote {
                            index += 2
                            continue
                        }
                        break
                    }
                    index += 1
                }
                index += 1
                normalized.append(quote == "'" ? " '' " : "\"X\"")
                continue
            }
            if character == "$", let tag = Self.dollarTag(characters, at: index) {
                let closing = Array(tag)
                index += closing.count
                while index < characters.count {
                    if characters[index] == "$", index + closing.count <= characters.count,
                        Array(characters[index..<(index + closing.count)]) == closing
                    {
                        index += closing.count
                        break
                    }
                    index += 1
                }
                normalized.append(" $BODY$ ")
                continue
            }
            if character == ";" {
                flush(upTo: index)
                index += 1
                start = index
                continue
            }
            normalized.append(character)
            index += 1
        }
        flush(upTo: characters.count)
        self.statements = statements
    }

    /// `$tag$` at `index`, when it opens a dollar-quoted string.
    static func dollarTag(_ characters: [Character], at index: Int) -> String? {
        var end = index + 1
        while end < characters.count, characters[end].isLetter || characters[end].isNumber || characters[end] == "_" {
            end += 1
        }
        guard end < characters.count, characters[end] == "$" else { return nil }
        if end > index + 1, characters[index + 1].isNumber { return nil }  // $1 is a parameter
        return String(characters[index...end])
    }

    /// The statement holding 1-based character `position` (as PostgreSQL reports it).
    public func statement(atPosition position: Int) -> Statement? {
        statements.last { $0.offset < position }
    }
}
