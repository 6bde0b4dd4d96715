/// Turns a spec's names (operationIds, schema names, paths) into TypeScript identifiers and file names.
///
/// Only ASCII letters, digits and `_` survive, so a name such as `../../etc/passwd`, an absolute path
/// or odd unicode can never become a path component that leaves the output folder.
enum Names {
    static let reserved: Set<String> = [
        "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
        "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof",
        "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void",
        "while", "with", "as", "implements", "interface", "let", "package", "private", "protected", "public",
        "static", "yield", "any", "boolean", "number", "string", "symbol", "type", "from", "of", "unknown",
        "never", "object", "undefined", "await", "async", "constructor", "declare", "module", "namespace",
        "require", "keyof", "readonly", "infer", "is", "asserts", "global", "bigint",
    ]

    /// The ASCII words of `text`, splitting on anything that is not a letter or digit and on camel humps.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousWasLower = false
        for scalar in text.unicodeScalars {
            let isLetter = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
            let isDigit = scalar >= "0" && scalar <= "9"
            guard isLetter || isDigit else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousWasLower = false
                continue
            }
            let isUpper = scalar >= "A" && scalar <= "Z"
            if isUpper && previousWasLower && !current.isEmpty {
                words.append(current)
                current = ""
            }
            current.unicodeScalars.append(scalar)
            previousWasLower = !isUpper
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// `find pet by id` -> `findPetById`; an identifier that is already valid ASCII is kept as written.
    static func camel(_ text: String, fallback: String) -> String {
        if isPlainIdentifier(text) && !reserved.contains(text) && text.first?.isLowercase == true { return text }
        let parts = words(text)
        guard let first = parts.first else { return fallback }
        let head = first.prefix(1).lowercased() + first.dropFirst()
        let joined = head + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return guarded(joined)
    }

    /// `pet-owner` -> `PetOwner`; an identifier that is already valid ASCII is kept as written.
    static func pascal(_ text: String, fallback: String) -> String {
        if isPlainIdentifier(text) && !reserved.contains(text) && text.first?.isUppercase == true { return text }
        let parts = words(text)
        guard !parts.isEmpty else { return fallback }
        return guarded(parts.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined())
    }

    static func guarded(_ name: String) -> String {
        var name = name
        if let first = name.unicodeScalars.first, first >= "0" && first <= "9" { name = "_" + name }
        if reserved.contains(name) { name += "_" }
        return name
    }

    static func isPlainIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !(first >= "0" && first <= "9") else { return false }
        return text.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_"
        }
    }

    /// A property key as TypeScript writes it: bare when it is an identifier, else a JSON string.
    static func propertyKey(_ name: String) -> String {
        isPlainIdentifier(name) ? name : TypeScript.literal(.string(name))
    }

    /// Gives each name a unique spelling by appending 2, 3, ... to repeats (case-insensitively, since
    /// handler files differing only by case would collide on case-insensitive file systems).
    struct Uniquer {
        private var taken: Set<String> = []

        mutating func claim(_ name: String) -> String {
            var candidate = name
            var counter = 2
            while taken.contains(candidate.lowercased()) {
                candidate = "\(name)\(counter)"
                counter += 1
            }
            taken.insert(candidate.lowercased())
            return candidate
        }
    }
}
