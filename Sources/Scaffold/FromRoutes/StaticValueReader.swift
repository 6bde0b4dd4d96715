import BackendCore

/// Reads JavaScript expressions made only of literals (objects, arrays, strings, static templates, numbers,
/// booleans, null, and `+` between strings) into JSON; anything computed makes the value nil.
struct StaticValueReader {
    let tokens: [JavaScriptToken]
    /// The static value of a same-file `const NAME = literal`, if any.
    var constant: (String) -> JSONValue? = { _ in nil }

    /// The end (exclusive) of the expression starting at `start`: the first `,`, `)`, `]`, `}` or `;` at
    /// depth zero.
    func expressionEnd(from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < tokens.count {
            let token = tokens[index]
            if token.kind == .punctuator {
                switch token.text {
                case "(", "[", "{": depth += 1
                case ")", "]", "}":
                    if depth == 0 { return index }
                    depth -= 1
                case ",", ";":
                    if depth == 0 { return index }
                default: break
                }
            }
            index += 1
        }
        return index
    }

    /// The index just after the bracket closing the one at `open`, or the token count when unbalanced.
    func closing(_ open: Int) -> Int {
        var depth = 0
        var index = open
        while index < tokens.count {
            let token = tokens[index]
            if token.kind == .punctuator {
                if ["(", "[", "{"].contains(token.text) { depth += 1 }
                if [")", "]", "}"].contains(token.text) {
                    depth -= 1
                    if depth == 0 { return index + 1 }
                }
            }
            index += 1
        }
        return tokens.count
    }

    /// Arguments of the call whose `(` is at `open`: each as a token range; and the index after `)`.
    func arguments(_ open: Int) -> (ranges: [Range<Int>], end: Int) {
        var ranges: [Range<Int>] = []
        var index = open + 1
        while index < tokens.count, !tokens[index].isPunctuator(")") {
            let end = expressionEnd(from: index)
            if end > index { ranges.append(index..<end) }
            index = end
            if index < tokens.count, tokens[index].isPunctuator(",") || tokens[index].isPunctuator(";") {
                index += 1
            } else if index < tokens.count, !tokens[index].isPunctuator(")") {
                // A stray closing bracket: the call is malformed; stop here.
                break
            }
        }
        return (ranges, min(index + 1, tokens.count))
    }

    /// The JSON value of the tokens in `range`, when they are one static expression.
    func value(_ range: Range<Int>) -> JSONValue? {
        var end = range.upperBound
        // TypeScript's `as const`, `as Type` and `satisfies Type` do not change the value.
        var depth = 0
        for index in range {
            let token = tokens[index]
            if token.kind == .punctuator {
                if ["(", "[", "{"].contains(token.text) { depth += 1 }
                if [")", "]", "}"].contains(token.text) { depth -= 1 }
            }
            if depth == 0, index > range.lowerBound, token.isIdentifier("as") || token.isIdentifier("satisfies") {
                end = index
                break
            }
        }
        var parser = Parser(reader: self, index: range.lowerBound, end: end)
        guard let value = parser.expression(depth: 0), parser.index == end else { return nil }
        return value
    }

    private struct Parser {
        let reader: StaticValueReader
        var index: Int
        let end: Int

        var current: JavaScriptToken? { index < end ? reader.tokens[index] : nil }

        mutating func expression(depth: Int) -> JSONValue? {
            guard var value = primary(depth: depth) else { return nil }
            // `'a' + 'b'`: string concatenation folds; other operators make the value computed.
            while let token = current, token.isPunctuator("+") {
                index += 1
                guard let left = value.stringValue, let right = primary(depth: depth)?.stringValue else { return nil }
                value = .string(left + right)
            }
            return value
        }

        mutating func primary(depth: Int) -> JSONValue? {
            guard depth < 64, let token = current else { return nil }
            index += 1
            switch token.kind {
            case .string, .template(isStatic: true): return .string(token.text)
            case .number: return number(token.text)
            case .identifier:
                switch token.text {
                case "true": return .bool(true)
                case "false": return .bool(false)
                case "null": return .null
                default:
                    // A same-file constant, unless it is followed by a call or member access.
                    if let next = current, next.isPunctuator("(") || next.isPunctuator(".") || next.isPunctuator("[") {
                        return nil
                    }
                    return reader.constant(token.text)
                }
            case .punctuator:
                switch token.text {
                case "-":
                    guard let next = current, next.kind == .number, let value = number(next.text) else { return nil }
                    index += 1
                    guard case .number(let text) = value else { return nil }
                    return .number("-" + text)
                case "{": return object(depth: depth)
                case "[": return array(depth: depth)
                case "(":
                    let value = expression(depth: depth + 1)
                    guard current?.isPunctuator(")") == true else { return nil }
                    index += 1
                    return value
                default: return nil
                }
            default: return nil
            }
        }

        func number(_ text: String) -> JSONValue? {
            let plain = text.replacingOccurrences(of: "_", with: "")
            if plain.hasPrefix("0x") || plain.hasPrefix("0X") {
                return Int(plain.dropFirst(2), radix: 16).map { .integer($0) }
            }
            if Int(plain) != nil { return .number(plain) }
            guard let value = Double(plain), value.isFinite else { return nil }
            return .number(plain.hasPrefix(".") ? "0" + plain : plain)
        }

        mutating func object(depth: Int) -> JSONValue? {
            var object = JSONObject()
            while let token = current, !token.isPunctuator("}") {
                let key: String
                switch token.kind {
                case .identifier, .string, .template(isStatic: true): key = token.text
                case .number: key = token.text
                default: return nil  // spread, computed key
                }
                index += 1
                guard current?.isPunctuator(":") == true else { return nil }  // shorthand or method
                index += 1
                guard let value = expression(depth: depth + 1) else { return nil }
                object[key] = value
                if current?.isPunctuator(",") == true { index += 1 } else { break }
            }
            guard current?.isPunctuator("}") == true else { return nil }
            index += 1
            return .object(object)
        }

        mutating func array(depth: Int) -> JSONValue? {
            var items: [JSONValue] = []
            while let token = current, !token.isPunctuator("]") {
                guard let value = expression(depth: depth + 1) else { return nil }
                items.append(value)
                if current?.isPunctuator(",") == true { index += 1 } else { break }
            }
            guard current?.isPunctuator("]") == true else { return nil }
            index += 1
            return .array(items)
        }
    }
}
