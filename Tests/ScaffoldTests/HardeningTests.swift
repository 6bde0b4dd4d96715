import BackendCore
import Foundation
import Testing

@testable import Scaffold

/// What scaffold derives for the hardened service: variable names, rate limits, the configuration it asks for.
/// The behaviour itself (tokens, keys, limits, headers, shutdown) is checked under node in
/// Tests/e2e/test_scaffold_hardening.py.
@Suite struct HardeningTests {
    @Test(arguments: [
        ("bearerAuth", "AUTH_BEARER_AUTH"), ("apiKey_header", "AUTH_API_KEY_HEADER"),
        ("petstore_auth", "AUTH_PETSTORE_AUTH"), ("OAuth2", "AUTH_OAUTH2"), ("api-key", "AUTH_API_KEY"),
        ("☃", "AUTH_SCHEME"),
    ])
    func schemeNamesBecomeUpperSnakeVariablePrefixes(name: String, prefix: String) {
        let scheme = APIModel.SecurityScheme(name: name, type: "apiKey", location: "header", parameterName: "X")
        #expect(scheme.environmentPrefix == prefix)
    }

    @Test(
        arguments: [
            ("http", "bearer", "jwt"), ("http", "basic", "none"), ("oauth2", nil, "jwt"), ("openIdConnect", nil, "jwt"),
            ("apiKey", nil, "apiKey"), ("mutualTLS", nil, "none"),
        ] as [(String, String?, String)])
    func eachSchemeTypeGetsItsBuiltInVerifier(type: String, scheme: String?, verifier: String) {
        let security = APIModel.SecurityScheme(name: "s", type: type, scheme: scheme)
        #expect(security.verifier == verifier)
        #expect((security.requiredSettings == nil) == (verifier == "none"))
    }

    @Test(
        arguments: [
            (#"{"max": 5, "windowSeconds": 60}"#, APIModel.RateLimit(max: 5, windowSeconds: 60)),
            (#"{"max": 1000000000, "windowSeconds": 1}"#, APIModel.RateLimit(max: 1_000_000_000, windowSeconds: 1)),
            (#"{"max": 0, "windowSeconds": 60}"#, nil), (#"{"max": 5}"#, nil),
            (#"{"max": 1.5, "windowSeconds": 60}"#, nil),
            (#"{"max": "5", "windowSeconds": 60}"#, nil), (#""5/min""#, nil),
            (#"{"max": 5, "windowSeconds": 10000000000}"#, nil),
        ] as [(String, APIModel.RateLimit?)])
    func xRateLimitIsReadOnlyWhenWhole(text: String, expected: APIModel.RateLimit?) throws {
        let value = try JSONParser.parse(text)
        #expect(APIModel.rateLimit(value) == expected)
    }

    @Test func theHardenedSpecNamesItsConfigurationAndLimits() throws {
        let output = temporaryFolder("hardened")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try scaffold(fixtures + "/hardened.yaml", into: output)
        #expect(
            result.requiredConfiguration == [
                "AUTH_BEARER_AUTH_JWKS_URL or AUTH_BEARER_AUTH_PUBLIC_KEY", "AUTH_PARTNER_KEY_KEYS",
            ])
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        let digest = result.digest.render()
        #expect(digest.contains("set: AUTH_BEARER_AUTH_JWKS_URL or AUTH_BEARER_AUTH_PUBLIC_KEY; AUTH_PARTNER_KEY_KEYS"))
        let operations = try String(contentsOfFile: output + "/src/generated/operations.ts", encoding: .utf8)
        #expect(operations.contains("rateLimit: { max: 5, windowSeconds: 60 },"))
        #expect(operations.contains("auth: Principal;"))
        #expect(operations.contains("auth: null;"))
        let security = try String(contentsOfFile: output + "/src/generated/security.ts", encoding: .utf8)
        #expect(security.contains(#"env: "AUTH_PARTNER_KEY""#) && security.contains(#"verifier: "jwt""#))
        let readme = try String(contentsOfFile: output + "/README.md", encoding: .utf8)
        for variable in [
            "AUTH_BEARER_AUTH_JWKS_URL", "AUTH_BEARER_AUTH_PUBLIC_KEY", "AUTH_BEARER_AUTH_ALGORITHMS",
            "AUTH_BEARER_AUTH_ISSUER", "AUTH_BEARER_AUTH_AUDIENCE", "AUTH_PARTNER_KEY_KEYS", "CORS_ORIGINS",
            "RATE_LIMIT_WINDOW_SECONDS", "RATE_LIMIT_MAX", "PORT", "`POST /auth/login` (login): 5 per 60 s",
        ] {
            #expect(readme.contains(variable), "README lacks \(variable)")
        }
    }

    @Test func aBadRateLimitAndSharedVariablesAreWarnedAbout() throws {
        let output = temporaryFolder("hardened")
        defer { try? FileManager.default.removeItem(atPath: output) }
        try write(
            """
            openapi: 3.0.3
            info: {title: T, version: "1"}
            paths:
              /a: {get: {operationId: getA, x-rate-limit: {max: 5}, responses: {'200': {description: ok}}}}
            components:
              securitySchemes:
                bearerAuth: {type: http, scheme: bearer}
                bearer_auth: {type: http, scheme: bearer}
            """, to: output + "-spec.yaml")
        defer { try? FileManager.default.removeItem(atPath: output + "-spec.yaml") }
        let result = try scaffold(output + "-spec.yaml", into: output, dryRun: true)
        #expect(result.warnings.contains { $0.contains("GET /a: x-rate-limit is not {max") })
        #expect(
            result.warnings.contains { $0.contains("bearerAuth, bearer_auth share the variables AUTH_BEARER_AUTH_*") })
    }
}
