/// One token of JavaScript or TypeScript source.
struct JavaScriptToken: Equatable {
    enum Kind: Equatable {
        case identifier
        /// A quoted string; `text` is its cooked value.
        case string
        /// A template literal; `text` is its cooked value when `isStatic` (no `${}`), else its raw source.
        case template(isStatic: Bool)
        case number
        case regex
        case punctuator
    }

    var kind: Kind
    var text: String
    var line: Int

    func isPunctuator(_ spelling: String) -> Bool { kind == .punctuator && text == spelling }
    func isIdentifier(_ spelling: String) -> Bool { kind == .identifier && text == spelling }

    /// The string value of a string or static template token.
    var staticString: String? {
        switch kind {
        case .string, .template(isStatic: true): text
        default: nil
        }
    }
}

/// A `/** ... */` comment with the line its text starts on (for `@openapi` blocks).
struct DocComment: Equatable {
    var text: String
    var line: Int
}

/// A small JavaScript/TypeScript tokenizer: enough to find route registrations without being fooled by
/// strings, template literals (with nested `${}` expressions), comments or regular expression literals.
///
/// It never fails: unterminated strings, templates, comments and regex literals end at the end of their
/// line (strings, regex) or of the file (templates, comments) and are reported as problems.
struct JavaScriptTokenizer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private(set) var tokens: [JavaScriptToken] = []
    private(set) var docComments: [DocComment] = []
    private(set) var problems: [(line: Int, message: String)] = []

    /// Keywords after which a `/` starts a regular expression rather than a division.
    private static let regexKeywords: Set<String> = [
        "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else",
        "yield", "await",
    ]
    /// Longest first, so that `===` wins over `==` and `=`.
    private static let punctuators: [String] = [
        ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=", "=>", "==", "!=", "<=", ">=",
        "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>", "**",
    ]

    static func tokenize(_ source: String) -> JavaScriptTokenizer {
        var tokenizer = JavaScriptTokenizer(scalars: Array(source.unicodeScalars))
        while tokenizer.index < tokenizer.scalars.count {
            if let token = tokenizer.next() { tokenizer.tokens.append(token) }
        }
        return tokenizer
    }

    private init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func advance() -> Unicode.Scalar {
        let scalar = scalars[index]
        index += 1
        if scalar == "\n" { line += 1 }
        return scalar
    }

    private static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || scalar == "_" || scalar == "$"
            || scalar == "#" || scalar.value > 127
    }

    private static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || (scalar >= "0" && scalar <= "9")
    }

    private var regexAllowed: Bool {
        guard let previous = tokens.last else { return true }
        switch previous.kind {
        case .identifier: return Self.regexKeywords.contains(previous.text)
        case .punctuator: return ![")", "]", "}", "++", "--"].contains(previous.text)
        default: return false
        }
    }

    /// The next token, or nil after whitespace or a comment.
    private mutating func next() -> JavaScriptToken? {
        let scalar = peek()!
        let startLine = line
        if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{FEFF}"
            || scalar.properties.isWhitespace
        {
            _ = advance()
            return nil
        }
        if scalar == "/" && peek(1) == "/" {
            while let next = peek(), next != "\n" { _ = advance() }
            return nil
        }
        if scalar == "/" && peek(1) == "*" {
            skipBlockComment()
            return nil
        }
        if scalar == "\"" || scalar == "'" { return readString(quote: scalar) }
        if scalar == "`" { return readTemplate() }
        if scalar >= "0" && scalar <= "9" || (scalar == "." && (peek(1).map { $0 >= "0" && $0 <= "9" } ?? false)) {
            var text = ""
            while let next = peek(), Self.isIdentifierPart(next) || next == "." {
                text.unicodeScalars.append(advance())
            }
            return JavaScriptToken(kind: .number, text: text, line: startLine)
        }
        if Self.isIdentifierStart(scalar) || scalar == "\\" {
            var text = ""
            while let next = peek(), Self.isIdentifierPart(next) || next == "\\" {
                text.unicodeScalars.append(advance())
            }
            return JavaScriptToken(kind: .identifier, text: text, line: startLine)
        }
        if scalar == "/" && regexAllowed { return readRegex() }
        for spelling in Self.punctuators where matches(spelling) {
            index += spelling.unicodeScalars.count
            return JavaScriptToken(kind: .punctuator, text: spelling, line: startLine)
        }
        _ = advance()
        return JavaScriptToken(kind: .punctuator, text: String(scalar), line: startLine)
    }

    private func matches(_ spelling: String) -> Bool {
        var offset = 0
        for scalar in spelling.unicodeScalars {
            guard peek(offset) == scalar else { return false }
            offset += 1
        }
        return true
    }

    private mutating func skipBlockComment() {
        let startLine = line
        index += 2
        let isDoc = peek() == "*" && peek(1) != "/"
        var text = ""
        while true {
            guard let scalar = peek() else {
                problems.append((startLine, "unterminated comment"))
                break
            }
            if scalar == "*" && peek(1) == "/" {
                index += 2
                break
            }
            text.unicodeScalars.append(advance())
        }
        if isDoc { docComments.append(DocComment(text: text, line: startLine)) }
    }

    private mutating func readString(quote: Unicode.Scalar) -> JavaScriptToken {
        let startLine = line
        _ = advance()
        var value = ""
        while true {
            guard let scalar = peek(), scalar != "\n" else {
                problems.append((startLine, "unterminated string"))
                break
            }
            _ = advance()
            if scalar == quote { break }
            if scalar == "\\" { readEscape(into: &value) } else { value.unicodeScalars.append(scalar) }
        }
        return JavaScriptToken(kind: .string, text: value, line: startLine)
    }

    /// After a backslash: appends the escaped character (line continuations append nothing).
    private mutating func readEscape(into value: inout String) {
        guard let scalar = peek() else { return }
        _ = advance()
        switch scalar {
        case "n": value += "\n"
        case "t": value += "\t"
        case "r": value += "\r"
        case "b": value += "\u{8}"
        case "f": value += "\u{C}"
        case "v": value += "\u{B}"
        case "0" where !(peek().map { $0 >= "0" && $0 <= "9" } ?? false): value += "\u{0}"
        case "\n": break
        case "\r": if peek() == "\n" { _ = advance() }
        case "x":
            if let code = readHex(count: 2) { value.unicodeScalars.append(code) }
        case "u":
            if peek() == "{" {
                _ = advance()
                var digits = ""
                while let next = peek(), next != "}", digits.count < 8 { digits.unicodeScalars.append(advance()) }
                if peek() == "}" { _ = advance() }
                if let code = UInt32(digits, radix: 16).flatMap(Unicode.Scalar.init) {
                    value.unicodeScalars.append(code)
                }
            } else if let code = readHex(count: 4) {
                value.unicodeScalars.append(code)
            }
        default: value.unicodeScalars.append(scalar)
        }
    }

    private mutating func readHex(count: Int) -> Unicode.Scalar? {
        var digits = ""
        for _ in 0..<count {
            guard let next = peek(), next.properties.isASCIIHexDigit else { return nil }
            digits.unicodeScalars.append(advance())
        }
        return UInt32(digits, radix: 16).flatMap(Unicode.Scalar.init)
    }

    private mutating func readTemplate() -> JavaScriptToken {
        let startLine = line
        _ = advance()
        var cooked = ""
        var raw = ""
        var isStatic = true
        while true {
            guard let scalar = peek() else {
                problems.append((startLine, "unterminated template literal"))
                break
            }
            if scalar == "`" {
                _ = advance()
                break
            }
            if scalar == "\\" {
                raw.unicodeScalars.append(advance())
                let before = index
                readEscape(into: &cooked)
                for offset in before..<index { raw.unicodeScalars.append(scalars[offset]) }
                continue
            }
            if scalar == "$" && peek(1) == "{" {
                isStatic = false
                let start = index
                index += 2
                skipSubstitution()
                for offset in start..<index { raw.unicodeScalars.append(scalars[offset]) }
                continue
            }
            cooked.unicodeScalars.append(advance())
            raw.unicodeScalars.append(scalar)
        }
        return JavaScriptToken(kind: .template(isStatic: isStatic), text: isStatic ? cooked : raw, line: startLine)
    }

    /// Skips a `${ ... }` expression up to its closing brace, tokenizing (and discarding) what is inside so
    /// that braces in nested strings, templates and comments do not count.
    private mutating func skipSubstitution() {
        let saved = tokens
        tokens = []
        var depth = 0
        while index < scalars.count {
            if peek() == "}" && depth == 0 {
                _ = advance()
                break
            }
            guard let token = next() else { continue }
            if token.isPunctuator("{") { depth += 1 }
            if token.isPunctuator("}") { depth -= 1 }
            tokens.append(token)
        }
        tokens = saved
    }

    private mutating func readRegex() -> JavaScriptToken {
        let startLine = line
        var text = ""
        text.unicodeScalars.append(advance())
        var inClass = false
        while true {
            guard let scalar = peek(), scalar != "\n" else {
                problems.append((startLine, "unterminated regular expression"))
                break
            }
            text.unicodeScalars.append(advance())
            if scalar == "\\" {
                if let escaped = peek(), escaped != "\n" { text.unicodeScalars.append(advance()) }
            } else if scalar == "[" {
                inClass = true
            } else if scalar == "]" {
                inClass = false
            } else if scalar == "/" && !inClass {
                break
            }
        }
        while let flag = peek(), Self.isIdentifierPart(flag) { text.unicodeScalars.append(advance()) }
        return JavaScriptToken(kind: .regex, text: text, line: startLine)
    }
}
