/// A concern written in free text, reduced to comparable word stems.
struct ConcernText {
    let stems: [String]

    init(_ text: String) {
        stems = Self.words(text).map(Self.stem)
    }

    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || character == "." || character == "/" || character == "'" {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        // Trailing dots and slashes are punctuation ("done." "ci/"); inner ones are kept ("99.9", "ci/cd").
        return words.map { String($0.reversed().drop(while: { $0 == "." || $0 == "/" }).reversed()) }
            .filter { !$0.isEmpty }
    }

    /// A light English stemmer: plurals and a few verb endings, enough to match "indexes" with "index".
    static func stem(_ word: String) -> String {
        var word = word
        if word.hasSuffix("'s") { word.removeLast(2) }
        for (suffix, replacement) in [("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("shes", "sh")]
        where word.count > suffix.count + 1 && word.hasSuffix(suffix) {
            return String(word.dropLast(suffix.count)) + replacement
        }
        if word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us") {
            return String(word.dropLast())
        }
        return word
    }

    /// How many stems of `phrase` occur here as a contiguous run: 0 when it does not occur.
    func weight(of phrase: String) -> Int {
        let needle = ConcernText(phrase).stems
        guard !needle.isEmpty, needle.count <= stems.count else { return 0 }
        for start in 0...(stems.count - needle.count) where Array(stems[start..<(start + needle.count)]) == needle {
            return needle.count
        }
        return 0
    }

    /// Character trigrams, for naming the closest concerns when nothing matched.
    static func trigrams(_ text: String) -> Set<String> {
        let padded = Array("  " + words(text).joined(separator: " ") + " ")
        guard padded.count >= 3 else { return [] }
        return Set((0...(padded.count - 3)).map { String(padded[$0..<($0 + 3)]) })
    }
}
