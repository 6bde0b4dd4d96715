import Foundation

/// Removes secrets from text before it reaches any output, log, report or state file.
///
/// Patterns cover URI passwords, libpq `password=` settings, `PGPASSWORD`, and the values of
/// `Authorization`, `Cookie`, `Set-Cookie`, `Proxy-Authorization` and API-key headers. Values registered
/// at run time (an environment password, a header given on the command line) are also masked wherever
/// they appear.
public enum SecretRedactor {
    public static let mask = "***"

    private static let registry = SecretRegistry()

    /// Remembers a secret value so that every later redaction masks it verbatim.
    public static func register(_ secret: String) {
        guard secret.count >= 4 else { return }
        registry.add(secret)
    }

    public static func redact(_ text: String) -> String {
        var result = text
        for secret in registry.snapshot() where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: mask)
        }
        result = redactURICredentials(result)
        let ascii = result.utf8.allSatisfy { $0 < 0x80 }
        for (index, entry) in ruleTable.enumerated()
        where !ascii || entry.words.contains(where: { contains(result, $0) }) {
            let rule = rules[index]
            let range = NSRange(result.startIndex..., in: result)
            result = rule.expression.stringByReplacingMatches(
                in: result, options: [], range: range, withTemplate: rule.template)
        }
        return result
    }

    private struct Rule {
        let expression: NSRegularExpression
        let template: String
    }

    /// Whether `text` holds `word` (lowercase ASCII letters and `-`), in any ASCII case. A rule runs only on
    /// text holding one of its words (or any non-ASCII byte, which ICU's case folding may turn into one), so
    /// most texts never compile the expressions: a few milliseconds of a server's first call.
    static func contains(_ text: String, _ word: String) -> Bool {
        let word = Array(word.utf8)
        return text.utf8.withContiguousStorageIfAvailable { bytes in
            guard bytes.count >= word.count else { return false }
            search: for start in 0...(bytes.count - word.count) {
                for offset in word.indices where bytes[start + offset] | 0x20 != word[offset] { continue search }
                return true
            }
            return false
        } ?? true
    }

    /// `scheme://user:password@host` -> `scheme://user:***@host`, in one linear pass.
    ///
    /// A scan rather than a regular expression: the pattern backtracks quadratically over long runs of
    /// letters, and redaction runs on every error message, some of which echo hostile input.
    static func redactURICredentials(_ text: String) -> String {
        guard text.contains("://") else { return text }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard index + 2 < bytes.count, bytes[index] == 0x3A, bytes[index + 1] == 0x2F, bytes[index + 2] == 0x2F
            else {
                output.append(bytes[index])
                index += 1
                continue
            }
            output.append(contentsOf: [0x3A, 0x2F, 0x2F])
            let start = index + 3
            var end = start
            var colon: Int?
            while end < bytes.count, !Self.endsAuthority(bytes[end]) {
                if bytes[end] == 0x3A, colon == nil { colon = end }
                end += 1
            }
            if end < bytes.count, bytes[end] == 0x40, let colon {
                output.append(contentsOf: bytes[start...colon])
                output.append(contentsOf: Array(mask.utf8))
                output.append(0x40)
                index = end + 1
            } else {
                output.append(contentsOf: bytes[start..<end])
                index = end
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Bytes that end the userinfo part of a URI: `@ / ? #` and whitespace.
    private static func endsAuthority(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x40, 0x2F, 0x3F, 0x23, 0x20, 0x09, 0x0A, 0x0D: true
        default: false
        }
    }

    /// Each rule's expression and template, and the words every match of it holds.
    private static let ruleTable: [(words: [String], pattern: String, template: String)] = [
        // libpq keyword/value strings and query parameters: password=secret, password='a b'
        (["pass"], #"(?i)\b(password|passwd|pgpassword|sslpassword)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s&;]+)"#, "$1=***"),
        // header lines and JSON-ish "header": "value" pairs
        (
            ["authorization", "cookie", "api-key", "auth-token"],
            #"(?i)\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token)(\s*["']?\s*:\s*["']?)([^"'\r\n]+)"#,
            "$1$2***"
        ),
        // bare bearer/basic tokens
        (["bearer", "basic"], #"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{4,}"#, "$1 ***"),
    ]

    private static let rules: [Rule] = ruleTable.map {
        Rule(expression: try! NSRegularExpression(pattern: $0.pattern), template: $0.template)
    }
}

/// A lock-protected set of secret values; read on every redaction, written rarely.
private final class SecretRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var secrets: [String] = []

    func add(_ secret: String) {
        lock.lock()
        defer { lock.unlock() }
        if !secrets.contains(secret) {
            secrets.append(secret)
            secrets.sort { $0.count > $1.count }
        }
    }

    func snapshot() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return secrets
    }
}
