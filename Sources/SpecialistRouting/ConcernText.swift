/// A concern written in free text, reduced to comparable word stems.
///
/// Normalisation: lower case, punctuation and hyphens split words ("200M-row" -> "200m row"), "n+1" kept as
/// one word, apostrophes dropped ("don't" -> "dont"), then a light stemmer folds plurals, verb endings and
/// common derivations ("queries" ~ "query", "indexing" ~ "indexes", "slower" ~ "slowness" ~ "slow",
/// "migrating" ~ "migration", "optimise" ~ "optimization"). Lexicon phrases go through the same steps, so
/// both sides always meet on the same stems.
struct ConcernText {
    let stems: [String]

    init(_ text: String) {
        stems = Self.words(text).map(Self.stem)
    }

    static func words(_ text: String) -> [String] {
        let text = text.lowercased().replacingOccurrences(of: "n + 1", with: "nplus1")
            .replacingOccurrences(of: "n+1", with: "nplus1")
        let characters = Array(text)
        var words: [String] = []
        var current = ""
        for (index, character) in characters.enumerated() {
            if character.isLetter, current.first?.isNumber == true, current.allSatisfy({ $0.isNumber || $0 == "." }) {
                // "423ms" -> "423 ms", "200M-row" -> "200 m row": the number and its unit are two words.
                words.append(current)
                current = String(character)
            } else if character.isLetter || character.isNumber {
                current.append(character)
            } else if character == "'" || character == "’" {
                continue  // "don't" -> "dont", "tenants'" -> "tenants"
            } else if character == ".", current.last?.isNumber == true,
                index + 1 < characters.count, characters[index + 1].isNumber
            {
                current.append(character)  // "99.9", "p99.9"
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Words the suffix rules would spoil ("apply" is not "app", "status" is not a plural).
    static let kept: Set<String> = [
        "status", "analysis", "redis", "always", "apply", "supply", "reply", "only", "early", "daily", "this", "does",
        "during", "thing", "string", "nothing", "something", "anything", "everything", "bring", "spring", "news",
        "series", "species", "kubernetes", "postgres", "https", "express", "less", "unless", "bias", "alias", "canvas",
        "ms", "aws", "gcp", "sms", "dns", "cors", "jenkins", "ios", "macos", "sass", "saas", "paas", "faas",
    ]
    static let irregular: [String: String] = [
        "indices": "index", "analyses": "analysis", "data": "data", "children": "child", "people": "person",
        "slowness": "slow", "slowdown": "slow", "slowdowns": "slow", "timeouts": "timeout",
        "microservices": "microservic",
    ]

    /// A light English stemmer; it only has to fold the forms of one word onto the same stem.
    static func stem(_ word: String) -> String {
        if let mapped = irregular[word] { return mapped }
        if kept.contains(word) { return word }
        if let first = word.first, first.isNumber {
            // "500s" -> "500", "5xx" and "99.9" unchanged.
            return word.count > 1 && word.hasSuffix("s") && word.dropLast().allSatisfy(\.isNumber)
                ? String(word.dropLast()) : word
        }
        guard word.count > 3 else { return word }
        var word = word
        // British spellings onto American ones, so both stem alike.
        for (british, american) in [("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ises", "izes")]
        where word.hasSuffix(british) {
            word = String(word.dropLast(british.count)) + american
        }
        if word.hasSuffix("ise"), word.count > 5 { word = String(word.dropLast(3)) + "ize" }
        // Inflections: plurals, -ing, -ed.
        for (suffix, replacement, keep) in [
            ("ies", "y", 2), ("ied", "y", 2), ("sses", "ss", 2), ("xes", "x", 2), ("ches", "ch", 2),
            ("shes", "sh", 2), ("zes", "z", 2), ("ing", "", 3), ("ed", "", 3), ("s", "", 3),
        ] where word.hasSuffix(suffix) && word.count - suffix.count >= keep {
            if suffix == "s", word.hasSuffix("ss") || word.hasSuffix("us") || word.hasSuffix("is") { break }
            word = String(word.dropLast(suffix.count)) + replacement
            word = undoubled(word)
            break
        }
        // Derivations: -ization, -ation, -ness, -ment, -ly, -er.
        for (suffix, replacement, keep) in [
            ("ization", "iz", 3), ("ation", "at", 3), ("ness", "", 3), ("ment", "", 4), ("ly", "", 4),
            ("er", "", 4),
        ] where word.hasSuffix(suffix) && word.count - suffix.count >= keep {
            if suffix == "ly", word.dropLast(2).last == "p" { break }
            word = undoubled(String(word.dropLast(suffix.count)) + replacement)
            break
        }
        if word.count >= 5, word.hasSuffix("e") { word.removeLast() }
        return word
    }

    /// "runn" -> "run", "dropp" -> "drop"; double l, s and z stay ("install", "pass").
    static func undoubled(_ word: String) -> String {
        let letters = Array(word)
        guard letters.count >= 4, let last = letters.last, last == letters[letters.count - 2],
            !"lsz".contains(last), !"aeiou".contains(last), last.isLetter
        else { return word }
        return String(letters.dropLast())
    }

    /// Where `phrase` (stems; "*" stands for up to four words) occurs here: nil when it does not occur.
    func find(_ phrase: [String]) -> Bool {
        guard !phrase.isEmpty else { return false }
        return Self.match(phrase[...], in: stems[...], anchored: false)
    }

    private static func match(_ phrase: ArraySlice<String>, in stems: ArraySlice<String>, anchored: Bool) -> Bool {
        guard let head = phrase.first else { return true }
        if head == "*" {
            let rest = phrase.dropFirst()
            for skip in 0...4 where skip <= stems.count {
                if match(rest, in: stems.dropFirst(skip), anchored: true) { return true }
            }
            return false
        }
        var start = stems.startIndex
        while start < stems.endIndex {
            if stems[start] == head, match(phrase.dropFirst(), in: stems[(start + 1)...], anchored: true) {
                return true
            }
            if anchored { return false }
            start += 1
        }
        return false
    }

    /// How many stems of `phrase` occur here as a contiguous run: 0 when it does not occur.
    func weight(of phrase: String) -> Int {
        let needle = ConcernText(phrase).stems
        return find(needle) ? needle.count : 0
    }

    /// Character trigrams, for naming the closest concerns when nothing matched.
    static func trigrams(_ text: String) -> Set<String> {
        let padded = Array("  " + words(text).joined(separator: " ") + " ")
        guard padded.count >= 3 else { return [] }
        return Set((0...(padded.count - 3)).map { String(padded[$0..<($0 + 3)]) })
    }
}
