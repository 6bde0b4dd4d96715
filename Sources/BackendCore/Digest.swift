/// A markdown digest of at most 200 words: what was found, the numbers that matter, the next step.
///
/// Tools add lines in order of importance; `render()` keeps whole lines while they fit and cuts the
/// line that overflows, so the most important facts always survive.
public struct Digest: Sendable {
    public static let maxWords = 200

    private var lines: [String] = []

    public init(_ headline: String) {
        lines.append("**\(headline)**")
    }

    public mutating func add(_ line: String) { lines.append(line) }

    public mutating func bullet(_ line: String) { lines.append("- \(line)") }

    public mutating func next(_ step: String) { lines.append("Next: \(step)") }

    public static func wordCount(_ text: String) -> Int { words(text).count }

    /// Counting and cutting split alike: a tab inside a line (say in a header value a server sent) is a separator.
    static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
    }

    public func render() -> String {
        var kept: [String] = []
        var words = 0
        for line in lines {
            let count = Digest.wordCount(line)
            if words + count <= Digest.maxWords {
                kept.append(line)
                words += count
                continue
            }
            let room = Digest.maxWords - words - 1
            if room > 3 {
                let cut = Digest.words(line).prefix(room)
                kept.append(cut.joined(separator: " ") + " …")
            }
            break
        }
        return SecretRedactor.redact(kept.joined(separator: "\n"))
    }
}
