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
        for rule in rules {
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

    private static let rules: [Rule] = [
        // scheme://user:password@host -> scheme://user:***@host
        (#"([A-Za-z][A-Za-z0-9+.-]*://[^:/?#@\s]*):([^@/?#\s]*)@"#, "$1:***@"),
        // libpq keyword/value strings and query parameters: password=secret, password='a b'
        (#"(?i)\b(password|passwd|pgpassword|sslpassword)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s&;]+)"#, "$1=***"),
        // header lines and JSON-ish "header": "value" pairs
        (
            #"(?i)\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token)(\s*["']?\s*:\s*["']?)([^"'\r\n]+)"#,
            "$1$2***"
        ),
        // bare bearer/basic tokens
        (#"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{4,}"#, "$1 ***"),
    ].map { Rule(expression: try! NSRegularExpression(pattern: $0.0), template: $0.1) }
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
