import BackendCore
import Foundation
import Testing

@testable import LoadTest

@Suite struct LoadPlanTests {
    let agent = LoadLimits(restrictHosts: true)

    func request(_ url: String, _ change: (inout LoadTestRequest) -> Void = { _ in }) -> LoadTestRequest {
        var request = LoadTestRequest(url: url)
        change(&request)
        return request
    }

    func refusal(_ request: LoadTestRequest, limits: LoadLimits? = nil) -> BackendError? {
        do {
            _ = try LoadPlan.make(request, url: request.url, limits: limits ?? agent)
            return nil
        } catch {
            return error
        }
    }

    @Test func requestBytesAreEncodedOnceWithHostLengthAndJSONType() throws {
        let plan = try LoadPlan.make(
            request("http://127.0.0.1:8080/orders?x=1") {
                $0.body = "{\"product_id\": 1}"
                $0.headers = ["X-Trace: abc"]
            }, url: "http://127.0.0.1:8080/orders?x=1", limits: agent)
        let text = String(decoding: plan.requestBytes, as: UTF8.self)
        #expect(text.hasPrefix("POST /orders?x=1 HTTP/1.1\r\nX-Trace: abc\r\nHost: 127.0.0.1:8080\r\n"))
        #expect(text.contains("Content-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"product_id\": 1}"))
        #expect(plan.model == .closed)
    }

    @Test(arguments: ["127.0.0.1", "127.3.4.5", "::1", "localhost", "LOCALHOST"])
    func loopbackIsAllowed(host: String) {
        #expect(agent.allows(host: host))
    }

    @Test(arguments: ["example.com", "10.0.0.1", "128.0.0.1", "::2", "localhost.example.com"])
    func otherHostsAreRefusedForAgents(host: String) {
        #expect(!agent.allows(host: host))
        #expect(LoadLimits(restrictHosts: false).allows(host: host))
    }

    /// Which calls connect to loopback addresses only, whatever the resolver says the name is.
    @Test(arguments: [
        (true, "localhost", true), (true, "127.0.0.1", true), (true, "API.example.com", false),
        (false, "localhost", false),
    ])
    func loopbackNamesStayOnLoopback(_ restricted: Bool, _ host: String, _ loopbackOnly: Bool) {
        let limits = LoadLimits(restrictHosts: restricted, allowedHosts: ["api.example.com"])
        #expect(limits.loopbackAddressesOnly(host: host) == loopbackOnly)
    }

    @Test func refusalNamesTheAllowListAndHappensBeforeAnyTraffic() async {
        // LoadTester.run refuses in LoadPlan.make, before resolving or connecting: nothing is sent.
        do {
            _ = try await LoadTester(limits: agent).run(request("http://refused.invalid/"))
            Issue.record("not refused")
        } catch let error as BackendError {
            #expect(error.code == .refused)
            #expect(error.message.contains(LoadLimits.allowVariable))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func allowListAndCapsComeFromTheEnvironment() throws {
        let limits = try LoadLimits.from(
            environment: [
                LoadLimits.allowVariable: "api.internal, Staging.Example ", LoadLimits.maxDurationVariable: "5",
                LoadLimits.maxConcurrencyVariable: "8",
            ], restrictHosts: true)
        #expect(limits.allows(host: "api.internal"))
        #expect(limits.allows(host: "staging.example"))
        #expect(!limits.allows(host: "other.internal"))
        #expect(refusal(request("http://127.0.0.1/") { $0.duration = 6 }, limits: limits)?.code == .refused)
        #expect(refusal(request("http://127.0.0.1/") { $0.concurrency = 9 }, limits: limits)?.code == .refused)
        #expect(
            refusal(
                request("http://127.0.0.1/") {
                    $0.duration = 5; $0.concurrency = 8
                }, limits: limits) == nil)
    }

    @Test func defaultCapsHold() {
        #expect(refusal(request("http://127.0.0.1/") { $0.duration = 61 })?.code == .refused)
        #expect(
            refusal(
                request("http://127.0.0.1/") {
                    $0.duration = 50; $0.warmup = 20
                })?.code == .refused)
        #expect(refusal(request("http://127.0.0.1/") { $0.concurrency = 257 })?.code == .refused)
    }

    @Test(arguments: [
        "127.0.0.1/no-scheme", "ftp://127.0.0.1/", "wss://127.0.0.1/", "https://", "http://", "http://127.0.0.1:0/",
        "http://127.0.0.1:70000/", "http://user:pw@127.0.0.1/", "http://127.0.0.1/a b", "http://[::1/",
        "http://bad_host!/",
    ])
    func badURLsAreInvalidInput(url: String) {
        #expect(refusal(request(url))?.code == .invalidInput)
    }

    @Test func hostileHeadersAndNumbersAreRefused() {
        let base = "http://127.0.0.1/"
        #expect(refusal(request(base) { $0.headers = ["X-A: b\r\nX-Injected: 1"] })?.code == .invalidInput)
        #expect(refusal(request(base) { $0.headers = ["Bad Name: v"] })?.code == .invalidInput)
        #expect(refusal(request(base) { $0.headers = ["no colon"] })?.code == .invalidInput)
        #expect(refusal(request(base) { $0.headers = ["Content-Length: 5"] })?.code == .invalidInput)
        #expect(refusal(request(base) { $0.concurrency = 0 })?.code == .invalidInput)
        #expect(refusal(request(base) { $0.requests = 0 })?.code == .invalidInput)
        #expect(refusal(request(base) { $0.requests = 1_000_000_000_000 })?.code == .invalidInput)
        #expect(refusal(request(base) { $0.rate = 0 })?.code == .invalidInput)
        #expect(refusal(request(base) { $0.timeout = 0 })?.code == .invalidInput)
        #expect(refusal(request(base) { $0.method = "GE T" })?.code == .invalidInput)
        #expect(
            refusal(
                request(base) {
                    $0.body = "x"; $0.bodyFile = "/dev/null"
                })?.code == .invalidInput)
        #expect(refusal(request(base) { $0.bodyFile = "/no/such/file" })?.code == .notFound)
    }

    /// Without a colon nothing tells a name from a secret value: the refusal names the header's place only.
    @Test func aHeaderWithoutColonIsRefusedWithoutQuotingIt() {
        let error = refusal(request("http://127.0.0.1/") { $0.headers = ["X-Trace: 1", "X-Api-Key abcd1234secret"] })
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("header 2 has no ':'") == true)
        #expect(error?.message.contains("abcd1234secret") == false)
    }

    /// A body file is read up to its limit and no further (a device that never ends is refused there), and an
    /// agent's call reads regular files only.
    @Test(arguments: [
        ("/dev/zero", false, BackendError.Code.invalidInput, "is over 64 MiB"),
        ("/dev/zero", true, .invalidInput, "is not a regular file"),
        ("/dev/null", true, .invalidInput, "is not a regular file"),
        ("/no/such/file", false, .notFound, "cannot be read"),
    ])
    func bodyFilesAreBounded(path: String, agentCall: Bool, code: BackendError.Code, words: String) {
        let error = refusal(
            request("http://127.0.0.1/") { $0.bodyFile = path }, limits: LoadLimits(restrictHosts: agentCall))
        #expect(error?.code == code)
        #expect(error?.message.contains(words) == true, "\(String(describing: error))")
    }

    @Test func aPersonsBodyFileMayBeADevice() throws {
        let plan = try LoadPlan.make(
            request("http://127.0.0.1/") { $0.bodyFile = "/dev/null" }, url: "http://127.0.0.1/",
            limits: LoadLimits(restrictHosts: false))
        #expect(plan.method == "POST")
    }

    @Test func aBaselineMustBeARegularFile() {
        #expect(throws: BackendError.self) { try LoadTester.loadBaseline("/dev/zero") }
    }

    /// What save_baseline and output may write over, checked before any traffic. Paths are relative to a
    /// fresh folder holding: a folder `dir`, a pipe `fifo`, a link `link` to `notes.txt` (not a baseline),
    /// and `reports/` whose `load-test.json` is a pipe.
    @Test(
        arguments: [
            ("save_baseline", "/dev/null", BackendError.Code.refused, "not a regular file"),
            ("save_baseline", "dir", .refused, "not a regular file"),
            ("save_baseline", "fifo", .refused, "not a regular file"),
            ("save_baseline", "link", .refused, "symbolic link"),
            ("save_baseline", "notes.txt", .refused, "not a load-test baseline"),
            ("save_baseline", "missing/baseline.json", .notFound, "does not exist"),
            ("save_baseline", "new-baseline.json", nil, ""),
            ("output", "notes.txt", .refused, "is not a folder"),
            ("output", "reports", .refused, "not a regular file"),
            ("output", "new/reports", nil, ""),
        ] as [(String, String, BackendError.Code?, String)])
    func reportDestinationsAreCheckedBeforeTheRun(
        field: String, path: String, code: BackendError.Code?, words: String
    )
        throws
    {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("load-destinations-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/dir", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/reports", withIntermediateDirectories: true)
        try "my notes\n".write(toFile: root + "/notes.txt", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: root + "/notes.txt")
        #expect(mkfifo(root + "/fifo", 0o600) == 0)
        #expect(mkfifo(root + "/reports/load-test.json", 0o600) == 0)

        let full = path.hasPrefix("/") ? path : root + "/" + path
        let loadRequest = request("http://127.0.0.1/") {
            if field == "output" { $0.output = full } else { $0.saveBaseline = full }
        }
        var refusal: BackendError?
        do { try LoadTester.checkDestinations(loadRequest) } catch { refusal = error }
        #expect(refusal?.code == code, "\(String(describing: refusal))")
        #expect(refusal == nil || refusal?.message.contains(words) == true, "\(String(describing: refusal))")
        // Nothing was touched.
        #expect(try String(contentsOfFile: root + "/notes.txt", encoding: .utf8) == "my notes\n")
    }

    @Test(arguments: [
        (LoadLimits.maxDurationVariable, "1e12"), (LoadLimits.maxDurationVariable, "0"),
        (LoadLimits.maxDurationVariable, "inf"), (LoadLimits.maxConcurrencyVariable, "1000000"),
        (LoadLimits.maxConcurrencyVariable, "-1"),
    ])
    func capVariablesOutOfRangeAreRefused(name: String, value: String) {
        #expect(throws: BackendError.self) { try LoadLimits.from(environment: [name: value], restrictHosts: true) }
    }

    struct CompareShape: Sendable, CustomStringConvertible {
        var duration: Double?
        var requests: Int?
        var warmup: Double
        /// The rounds' (duration, requests), or nil when the compare does not fit the 60 s cap.
        var rounds: [Double]?
        var roundRequests: [Int?] = []
        var description: String { "duration \(duration ?? 0) requests \(requests ?? 0) warmup \(warmup)" }
    }

    /// A two-URL compare runs A B A B: each URL gets the whole duration (or every request) over its rounds, and
    /// all rounds with their warmups fit in the cap.
    @Test(arguments: [
        CompareShape(duration: 10, warmup: 0, rounds: [5, 5], roundRequests: [nil, nil]),
        CompareShape(duration: 30, warmup: 0, rounds: [15, 15], roundRequests: [nil, nil]),
        CompareShape(duration: 10, warmup: 10, rounds: [5, 5], roundRequests: [nil, nil]),
        CompareShape(duration: 31, warmup: 0, rounds: nil),
        CompareShape(duration: 10, warmup: 11, rounds: nil),
        CompareShape(requests: 1, warmup: 0, rounds: [30], roundRequests: [1]),
        CompareShape(requests: 5, warmup: 0, rounds: [15, 15], roundRequests: [3, 2]),
        CompareShape(requests: 200, warmup: 5, rounds: [10, 10], roundRequests: [100, 100]),
        CompareShape(requests: 200, warmup: 15, rounds: nil),
    ])
    func compareRoundsFitTheCap(_ shape: CompareShape) throws {
        let limits = LoadLimits(restrictHosts: true)
        let plan = try LoadPlan.make(
            request("http://127.0.0.1/") {
                $0.duration = shape.duration
                $0.requests = shape.requests
                $0.warmup = shape.warmup
            }, url: "http://127.0.0.1/", limits: limits)
        guard let expected = shape.rounds else {
            #expect(throws: BackendError.self) { try LoadTester.interleavedRounds(plan, limits: limits) }
            return
        }
        let rounds = try LoadTester.interleavedRounds(plan, limits: limits)
        #expect(rounds.map(\.duration) == expected)
        #expect(rounds.map(\.requests) == shape.roundRequests)
    }

    @Test func secretHeaderValuesAreMaskedInTheReportedHeaders() throws {
        let plan = try LoadPlan.make(
            request("http://127.0.0.1/") { $0.headers = ["Authorization: Bearer s3cr3t-token-value"] },
            url: "http://127.0.0.1/", limits: agent)
        #expect(plan.headerLines == ["Authorization: ***"])
        #expect(SecretRedactor.redact("sent s3cr3t-token-value") == "sent ***")
    }

    struct ParsedURL: Sendable {
        var url: String
        var tls: Bool
        var port: Int
        var hostHeader: String
        var serverName: String?
        var display: String
    }

    /// https: port 443 by default (left out of Host), SNI from a host name, none for an IP address.
    @Test(arguments: [
        ParsedURL(
            url: "https://api.example.com/v1", tls: true, port: 443, hostHeader: "api.example.com",
            serverName: "api.example.com", display: "https://api.example.com/v1"),
        ParsedURL(
            url: "HTTPS://localhost:8443", tls: true, port: 8443, hostHeader: "localhost:8443",
            serverName: "localhost", display: "https://localhost:8443/"),
        ParsedURL(
            url: "https://127.0.0.1:443/x?y=1", tls: true, port: 443, hostHeader: "127.0.0.1", serverName: nil,
            display: "https://127.0.0.1/x?y=1"),
        ParsedURL(
            url: "https://[::1]/", tls: true, port: 443, hostHeader: "[::1]", serverName: nil,
            display: "https://[::1]/"),
        ParsedURL(
            url: "http://127.0.0.1:443/", tls: false, port: 443, hostHeader: "127.0.0.1:443", serverName: nil,
            display: "http://127.0.0.1:443/"),
    ])
    func httpsURLsParse(_ expected: ParsedURL) throws {
        let target = try Target.parse(expected.url)
        #expect(target.tls == expected.tls)
        #expect(target.port == expected.port)
        #expect(target.hostHeader == expected.hostHeader)
        #expect(target.serverName == expected.serverName)
        #expect(target.display == expected.display)
    }

    @Test(arguments: [("0-1", 2), ("1", 1), ("0-3,6,8-9", 7), (" 2-2", 1), ("", nil), ("3-1", nil), ("x", nil)])
    func affinityListsAreCounted(list: String, count: Int?) {
        #expect(LoadPlan.affinityCount(Substring(list)) == count)
    }

    @Test func ipv6TargetsKeepTheirBrackets() throws {
        let target = try Target.parse("http://[::1]:8080/x")
        #expect(target.host == "::1")
        #expect(target.hostHeader == "[::1]:8080")
    }
}
