import Testing

@testable import BackendCore

@Suite struct DigestTests {
    @Test func keepsShortDigestsWhole() {
        var digest = Digest("Found 2 problems")
        digest.bullet("one")
        digest.next("fix them")
        #expect(digest.render() == "**Found 2 problems**\n- one\nNext: fix them")
    }

    /// Whatever separates the words of the overflowing line (a server's header value may hold tabs).
    @Test(arguments: [150, 199, 200, 201, 500, 5000], [" ", "\t", " \t "])
    func neverExceedsTwoHundredWords(words: Int, separator: String) {
        var digest = Digest("Headline")
        digest.add(Array(repeating: "word", count: words).joined(separator: separator))
        digest.next("act")
        #expect(Digest.wordCount(digest.render()) <= Digest.maxWords)
    }

    @Test func redactsSecrets() {
        var digest = Digest("Connected to postgres://a:secretpw@h/d")
        digest.add("ok")
        #expect(!digest.render().contains("secretpw"))
    }
}
