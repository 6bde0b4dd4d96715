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
    ])
    func masksSecrets(input: String, expected: String) {
        #expect(SecretRedactor.redact(input) == expected)
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
