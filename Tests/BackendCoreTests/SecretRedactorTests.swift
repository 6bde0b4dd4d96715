import Testing

@testable import BackendCore

@Suite struct SecretRedactorTests {
    @Test(arguments: [
        ("postgres://app:s3cret@db/x", "postgres://app:***@db/x"),
        ("postgresql://u:p%40ss@h:5432/d?sslmode=require", "postgresql://u:***@h:5432/d?sslmode=require"),
        ("host=db user=app password=s3cret dbname=x", "host=db user=app password=*** dbname=x"),
        ("host=db password='a b c' dbname=x", "host=db password=*** dbname=x"),
        ("PGPASSWORD=hunter22 psql", "PGPASSWORD=*** psql"),
        ("Authorization: Bearer abc.def.ghi", "Authorization: ***"),
        (#"{"authorization": "Basic dXNlcjpwYXNz"}"#, #"{"authorization": "***"}"#),
        ("Cookie: session=abc; theme=dark", "Cookie: ***"),
        ("X-API-Key: 12345678", "X-API-Key: ***"),
        ("token Bearer abcdefgh in text", "token Bearer *** in text"),
        ("postgres://localhost/mydb", "postgres://localhost/mydb"),
        ("https://api.example.com/users", "https://api.example.com/users"),
        // The rules run only on text holding their words, in any case, or any non-ASCII byte.
        ("PassWord=s3cret", "PassWord=***"),
        ("SET-COOKIE: id=1", "SET-COOKIE: ***"),
        ("x-auth-token: abcdef", "x-auth-token: ***"),
        ("BASIC dXNlcjpwYXNz", "BASIC ***"),
        ("café password=s3cret", "café password=***"),
        ("nothing to hide here", "nothing to hide here"),
    ])
    func masksSecrets(input: String, expected: String) {
        #expect(SecretRedactor.redact(input) == expected)
    }

    @Test(arguments: [
        ("Authorization", "authorization", true), ("AUTH-TOKEN", "auth-token", true), ("pas", "pass", false),
        ("", "pass", false), ("a passage", "pass", true), ("p-ass", "pass", false),
    ])
    func findsWordsInAnyASCIICase(text: String, word: String, found: Bool) {
        #expect(SecretRedactor.contains(text, word) == found)
    }

    @Test func masksRegisteredValuesAnywhere() {
        SecretRedactor.register("correct-horse-battery")
        #expect(SecretRedactor.redact("failed with correct-horse-battery!") == "failed with ***!")
    }

    @Test func errorsAreRedactedWhenMade() {
        let error = BackendError(.unreachable, "cannot connect to postgres://app:pw1234@db/x")
        #expect(error.description == "unreachable: cannot connect to postgres://app:***@db/x")
        #expect(!"\(error)".contains("pw1234"))
    }
}

@Suite struct SecretRedactorScaleTests {
    /// Redaction runs on every error message, some of which echo hostile input: it must stay linear.
    @Test(arguments: [
        String(repeating: "a", count: 1 << 20),
        String(repeating: "ab1", count: 300_000) + "://" + String(repeating: "x", count: 300_000),
        String(repeating: "password", count: 100_000),
        String(repeating: "Bearer ", count: 100_000),
        String(repeating: "authorization", count: 50_000),
    ])
    func largeHostileTextIsRedactedQuickly(text: String) {
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = SecretRedactor.redact(text) }
        #expect(elapsed < .seconds(5), "redacting \(text.utf8.count) bytes took \(elapsed)")
    }

    @Test func uriScanKeepsEverythingButThePassword() {
        #expect(
            SecretRedactor.redactURICredentials("a mysql://u:p@h/x and http://host:80/p?q=1#f b://c")
                == "a mysql://u:***@h/x and http://host:80/p?q=1#f b://c")
    }
}
