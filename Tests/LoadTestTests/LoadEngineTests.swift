import BackendCore
import Foundation
import NIOCore
import Testing

@testable import LoadTest

/// Runs against loopback servers started here; serialized so timing tests do not share the CPU with each other.
@Suite(.serialized) struct LoadEngineTests {
    let tester = LoadTester(limits: LoadLimits(restrictHosts: true))

    func run(_ url: String, _ change: (inout LoadTestRequest) -> Void) async throws -> LoadTestResult {
        var request = LoadTestRequest(url: url)
        request.timeout = 3
        change(&request)
        return try await tester.run(request)
    }

    /// Every reply held for 100 ms on the server. The truth is what the server really did: it records each
    /// hold (its timer fires late by up to a millisecond or more on this virtual machine), and the client
    /// adds only loopback and its own wake-ups on top, which the server's clock cannot see. Tolerance: the
    /// issue's 5% or 0.2 ms of the server's own median for p50; for p99 5% + 5 ms, because a client loop
    /// descheduled for a few ms among ~80 replies moves p99. Holds of 100 ms, not 20: CI measured that unseen
    /// part at 1.15 ms (p50 21.42 against 20.27), more than 5% of 20 ms, and a loaded run here 2.9 ms at 50 ms
    /// (every wake-up can wait a scheduler slice); 5% of 100 ms leaves room for it and still fails a tool
    /// that adds a few milliseconds of its own. One server thread per connection: on one
    /// thread the four replies, due at the same moment, went out one after the other.
    @Test func fixedDelayPercentilesMatchTheTruth() async throws {
        let server = try await TestServer.start(threads: 4) { _, _ in .init(delay: .milliseconds(100)) }
        let result = try await run(server.url) {
            $0.concurrency = 4
            $0.duration = 2
        }
        await server.stop()
        let holds = server.counter.holdTimes.sorted()
        let truth50 = holds[holds.count / 2]
        let truth99 = holds[min(holds.count - 1, Int(Double(holds.count) * 0.99))]
        let latency = result.metrics.latencyMs
        #expect(
            latency.p50 >= truth50 && latency.p50 <= max(truth50 * 1.05, truth50 + 0.2),
            "p50 \(latency.p50) truth \(truth50)")
        #expect(latency.p99 >= truth50 && latency.p99 <= truth99 * 1.05 + 5, "p99 \(latency.p99) truth \(truth99)")
        #expect(latency.min >= 100)
        // The server's own count equals the tool's (replies in flight at the end are waited for).
        #expect(result.metrics.requests == server.requestCount)
        #expect(result.metrics.failed == 0)
        #expect(result.metrics.requestsPerSecond > 30 && result.metrics.requestsPerSecond < 41)
        #expect(result.metrics.timeline.count >= 1)
        #expect(result.passed && result.status == "passed")
    }

    /// 90% of replies after 100 ms, every tenth after 500 ms: p50 is the fast mode and p99 the slow one.
    /// Truth: the server's own hold times (its timers fire a little late on this machine). The server measures
    /// from the parsed request to its write, so the reply's loopback trip and two thread wake-ups (request read,
    /// reply read) are not in it: 0.25-0.55 ms idle here, 1.15 ms seen in CI, 2.9 ms on a loaded machine. Modes
    /// of 100 and 500 ms keep that inside the tolerance, 5% or 0.2 ms (at 2 ms p50 failed 3 runs in 8;
    /// at 20 ms once in CI; at 50 ms once under a load of 6 on two cores).
    @Test func bimodalServerShowsBothModes() async throws {
        let server = try await TestServer.start { index, _ in
            .init(delay: .milliseconds(index % 10 == 9 ? 500 : 100))
        }
        let result = try await run(server.url) {
            $0.concurrency = 4
            $0.requests = 200
        }
        await server.stop()
        let latency = result.metrics.latencyMs
        #expect(result.metrics.requests == 200)
        #expect(server.requestCount == 200)
        let holds = server.counter.holdTimes.sorted()
        let truth50 = holds[holds.count / 2]
        let truth99 = holds[Int(Double(holds.count) * 0.99)]
        #expect(truth50 < 200 && truth99 >= 500)
        #expect(
            latency.p50 >= truth50 && latency.p50 <= max(truth50 * 1.05, truth50 + 0.2),
            "p50 \(latency.p50) truth \(truth50)")
        #expect(
            latency.p99 >= truth50 && latency.p99 <= max(truth99 * 1.05, truth99 + 0.2),
            "p99 \(latency.p99) truth \(truth99)")
    }

    /// A server that answers in 1 ms but stalls for one second mid-run: every reply due between 0.5 s and 1.5 s
    /// waits until 1.5 s. The open model measures from the intended send time, so the stall dominates its tail;
    /// the closed model (same server) only sees one slow reply per connection and under-reports: that is
    /// coordinated omission.
    @Test func openModelShowsAStallThatTheClosedModelHides() async throws {
        func stalling() async throws -> TestServer {
            try await TestServer.start { _, elapsed in
                let stall = elapsed >= 0.5 && elapsed < 1.5
                return .init(delay: stall ? .nanoseconds(Int64((1.5 - elapsed) * 1e9)) : .milliseconds(1))
            }
        }
        let open = try await stalling()
        let openResult = try await run(open.url) {
            $0.rate = 200
            $0.duration = 2.5
            $0.concurrency = 8
        }
        await open.stop()
        let closed = try await stalling()
        let closedResult = try await run(closed.url) {
            $0.concurrency = 4
            $0.duration = 2.5
        }
        await closed.stop()
        #expect(openResult.model == "open")
        #expect(openResult.metrics.latencyMs.p99 >= 800, "open p99 \(openResult.metrics.latencyMs.p99)")
        #expect(openResult.metrics.lateSends > 0)
        #expect(openResult.metrics.requests >= 450 && openResult.metrics.requests <= 501)
        #expect(closedResult.metrics.latencyMs.max >= 800)
        #expect(closedResult.metrics.latencyMs.p99 < 50, "closed p99 \(closedResult.metrics.latencyMs.p99)")
    }

    @Test func chunkedRepliesAreRead() async throws {
        let server = try await TestServer.start { _, _ in .init(chunked: true, body: "first-chunk") }
        let result = try await run(server.url) {
            $0.requests = 50
            $0.concurrency = 2
        }
        await server.stop()
        #expect(result.metrics.requests == 50)
        #expect(result.metrics.count(status: 200) == 50)
        #expect(result.metrics.errors.total == 0)
        #expect(result.metrics.reconnects == 0)
    }

    /// Content-Length 2 with these bodies. A longer body (a server counting characters instead of bytes) breaks
    /// the connection's framing: each request has one outcome, and those whose reply came with extra bytes are
    /// parse errors, not clean 200s. A stray CRLF after the body is tolerated.
    @Test(arguments: [("okEXTRA", true), ("ok\r\n", false), ("ok", false)])
    func bytesPastTheEndOfAReply(body: String, broken: Bool) async throws {
        let server = try await TestServer.start { _, _ in .init(body: body, declaredLength: 2) }
        let result = try await run(server.url) {
            $0.requests = 20
            $0.concurrency = 1
        }
        await server.stop()
        #expect(result.metrics.requests + result.metrics.errors.parse == 20)
        #expect(result.metrics.errors.total == result.metrics.errors.parse)
        if broken {
            #expect(result.metrics.errors.parse >= 10)
            // No thresholds: a run passes while some replies were valid, and fails when none were.
            #expect(result.passed == (result.metrics.requests > 0))
            #expect(result.metrics.parseFailure?.contains("bytes past the end of a reply") == true)
        } else {
            #expect(result.metrics.errors.parse == 0)
        }
    }

    @Test func serverClosingConnectionsIsCountedAsReconnects() async throws {
        let server = try await TestServer.start { index, _ in .init(close: index % 5 == 4) }
        let result = try await run(server.url) {
            $0.requests = 50
            $0.concurrency = 1
        }
        await server.stop()
        #expect(result.metrics.requests == 50)
        #expect(result.metrics.errors.total == 0)
        #expect(result.metrics.reconnects >= 9 && result.metrics.reconnects <= 10)
        #expect(server.requestCount == 50)
    }

    /// https against a self-signed loopback server with `insecure`: chunked replies and server-closed
    /// connections (each reconnect a new handshake) included, the server answered exactly what the tool counts.
    @Test func httpsWithInsecureCountsWhatTheServerAnswered() async throws {
        let server = try await TestServer.start(tls: try TestServer.selfSignedContext()) { index, _ in
            .init(close: index % 7 == 6, chunked: index % 2 == 0)
        }
        let result = try await run(server.url) {
            $0.requests = 200
            $0.concurrency = 4
            $0.insecure = true
        }
        await server.stop()
        #expect(result.status == "passed")
        #expect(result.target.hasPrefix("https://127.0.0.1:"))
        #expect(result.metrics.requests == 200)
        #expect(result.metrics.count(status: 200) == 200)
        #expect(result.metrics.errors.total == 0)
        #expect(result.metrics.reconnects >= 20)
        #expect(server.requestCount == 200)
    }

    struct TLSFailureCase: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var serverSpeaksTLS: Bool
        var insecure: Bool
        var reason: String
    }

    /// A handshake that fails is a `tls` error with its reason, the run is unreachable and never passes.
    @Test(arguments: [
        TLSFailureCase(
            testDescription: "self-signed certificate, verification on", serverSpeaksTLS: true, insecure: false,
            reason: "not trusted by the system trust store"),
        TLSFailureCase(
            testDescription: "plain HTTP on the port", serverSpeaksTLS: false, insecure: true,
            reason: "does not speak TLS"),
    ])
    func failedHandshakesAreTLSErrors(_ failure: TLSFailureCase) async throws {
        let server = try await TestServer.start(tls: failure.serverSpeaksTLS ? try TestServer.selfSignedContext() : nil)
        {
            _, _ in .init()
        }
        let url = "https://127.0.0.1:\(server.port)/"
        let result = try await run(url) {
            $0.requests = 3
            $0.concurrency = 1
            $0.insecure = failure.insecure
        }
        await server.stop()
        #expect(result.status == "unreachable")
        #expect(!result.passed)
        #expect(result.metrics.requests == 0)
        #expect(result.metrics.errors.tls == 3)
        #expect(result.metrics.errors.total == 3)
        let reason = try #require(result.metrics.tlsFailure)
        #expect(reason.contains(failure.reason), "\(reason)")
        #expect(result.nextStep.contains("TLS handshake"))
        #expect(server.requestCount == 0)
    }

    @Test func statusCountsAndExpectStatus() async throws {
        let mixed = try await TestServer.start { index, _ in .init(status: index % 4 == 3 ? 404 : 200) }
        let failed = try await run(mixed.url) {
            $0.requests = 40
            $0.concurrency = 1
            $0.expectStatus = 200
        }
        await mixed.stop()
        #expect(failed.metrics.count(status: 200) == 30)
        #expect(failed.metrics.count(status: 404) == 10)
        #expect(!failed.passed)
        #expect(failed.expectations.first?.detail.contains("404: 10") == true)

        let created = try await TestServer.start { _, _ in .init(status: 400, body: "{\"error\":{}}") }
        let passed = try await run(created.url) {
            $0.method = "POST"
            $0.body = "{\"email\": \"not-an-email\"}"
            $0.requests = 20
            $0.expectStatus = 400
        }
        await created.stop()
        #expect(passed.passed)
        #expect(
            passed.expectations == [.init(name: "expect_status", passed: true, detail: "all 20 responses were 400")])
    }

    @Test func expectRateLimitPassesOnlyWhenTheServerLimits() async throws {
        let limiting = try await TestServer.start { index, _ in
            index < 20
                ? .init(headers: [("RateLimit-Limit", "20"), ("RateLimit-Remaining", "\(19 - index)")])
                : .init(status: 429, headers: [("Retry-After", "7"), ("RateLimit-Remaining", "0")])
        }
        let limited = try await run(limiting.url) {
            $0.requests = 60
            $0.concurrency = 1
            $0.expectRateLimit = true
        }
        await limiting.stop()
        let report = try #require(limited.rateLimit)
        #expect(limited.passed)
        #expect(report.count429 == 40)
        #expect(abs(report.share - 40.0 / 60.0) < 0.001)
        #expect(report.firstAfterS != nil)
        #expect(report.requestsBeforeFirst == 20)
        #expect(limited.expectations.first?.detail.contains("after 20 other responses") == true)
        #expect(report.headers.contains("Retry-After: 7"))
        #expect(report.headers.contains { $0.hasPrefix("RateLimit-Limit") })

        // Over several connections and event loops, 200s already on their way on other connections may be
        // read after the first 429, so the count is at most the server's 20 and at least 20 - (connections - 1).
        let timed = try await TestServer.start { _, elapsed in
            elapsed < 0.3 ? .init(delay: .milliseconds(2)) : .init(status: 429, delay: .milliseconds(2))
        }
        let overLoops = try await run(timed.url) {
            $0.duration = 0.6
            $0.concurrency = 4
            $0.expectRateLimit = true
        }
        await timed.stop()
        let timedReport = try #require(overLoops.rateLimit)
        let answered200 = overLoops.metrics.count(status: 200)
        let before = try #require(timedReport.requestsBeforeFirst)
        #expect(before <= answered200 && before >= answered200 - 3, "\(before) of \(answered200)")
        let firstAfter = try #require(timedReport.firstAfterS)
        #expect(firstAfter >= 0.29 && firstAfter < 0.45, "first 429 after \(firstAfter) s")

        let open = try await TestServer.start { _, _ in .init() }
        let never = try await run(open.url) {
            $0.requests = 30
            $0.expectRateLimit = true
        }
        await open.stop()
        #expect(!never.passed)
        #expect(never.expectations.first?.detail.contains("never answered 429") == true)
    }

    @Test func thresholdsFailTheCheck() async throws {
        let server = try await TestServer.start { index, _ in
            .init(status: index % 2 == 0 ? 500 : 200, delay: .milliseconds(5))
        }
        let result = try await run(server.url) {
            $0.requests = 40
            $0.maxP99Ms = 1
            $0.maxErrorRate = 0.1
        }
        await server.stop()
        #expect(!result.passed)
        #expect(result.expectations.map(\.passed) == [false, false])
        #expect(abs(result.metrics.errorRate - 0.5) < 0.001)
    }

    @Test func twoURLsAreComparedInterleavedWithVerdictWords() async throws {
        let fast = try await TestServer.start { _, _ in .init(delay: .milliseconds(1)) }
        let slow = try await TestServer.start { _, _ in .init(delay: .milliseconds(10)) }
        let result = try await run(fast.url + "/a") {
            $0.compareUrl = slow.url + "/b"
            $0.requests = 201
            $0.concurrency = 2
        }
        await fast.stop()
        await slow.stop()
        let comparison = try #require(result.comparison)
        #expect(comparison.kind == "two_urls")
        // Each URL gets all the requests, in rounds of 101 and 100.
        #expect(fast.requestCount == 201 && slow.requestCount == 201)
        #expect(comparison.regressions.contains("p50"))
        #expect(comparison.regressions.contains("requests_per_second"))
        let p50 = try #require(comparison.metrics.first { $0.name == "p50" })
        #expect(p50.direction == "worse")
        #expect(p50.summary.contains("worse by"))
        #expect(comparison.verdict.contains("is worse than"))
        #expect(!result.passed)
    }

    @Test func baselineIsSavedAndComparedAgainst() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("load-baseline-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "-baseline.json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let server = try await TestServer.start { _, _ in .init(delay: .milliseconds(2)) }
        let first = try await run(server.url) {
            $0.requests = 100
            $0.saveBaseline = path
            $0.output = folder
            $0.headers = ["Authorization: Bearer baseline-secret-9876"]
        }
        await server.stop()
        #expect(first.files.contains(path))
        let html = try String(contentsOfFile: folder + "/load-test.html", encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("polyline"))
        for file in [path, folder + "/load-test.json", folder + "/load-test.html"] {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(!text.contains("baseline-secret-9876"), "\(file) leaks the token")
        }
        #expect(!first.digest.render().contains("baseline-secret-9876"))

        // 50 times slower, so that every percentile is worse even when a loaded machine stretched the first
        // run's tail (its p99 has reached 30 ms under a load of 5 on two cores).
        let slower = try await TestServer.start { _, _ in .init(delay: .milliseconds(100)) }
        let second = try await run(slower.url) {
            $0.requests = 60
            $0.concurrency = 2
            $0.baseline = path
            $0.saveBaseline = path
        }
        await slower.stop()
        // A baseline may be replaced by the run compared against it.
        #expect(try LoadTester.loadBaseline(path).settings.concurrency == 2)
        let comparison = try #require(second.comparison)
        #expect(comparison.kind == "baseline")
        #expect(comparison.regressions.contains("p99"))
        #expect(comparison.settingDifferences == ["concurrency 10 -> 2"])
        #expect(comparison.verdict.hasSuffix("not like for like: concurrency 10 -> 2"))
        #expect(!second.passed)
        #expect(second.digest.render().contains("worse"))
    }

    /// Two URLs where only B limits: the check passes and names B; the 429s of both URLs are counted.
    @Test func expectRateLimitLooksAtBothComparedURLs() async throws {
        let open = try await TestServer.start { _, _ in .init() }
        let limiting = try await TestServer.start { index, _ in index < 10 ? .init() : .init(status: 429) }
        let limitingURL = limiting.url + "/b"
        let result = try await run(open.url) {
            $0.compareUrl = limitingURL
            $0.requests = 40
            $0.concurrency = 1
            $0.expectRateLimit = true
        }
        await open.stop()
        await limiting.stop()
        let report = try #require(result.rateLimit)
        #expect(report.limited && report.count429 == 30)
        #expect(report.firstTarget == limitingURL)
        #expect(report.requestsBeforeFirst == 10)
        #expect(result.expectations.first { $0.name == "expect_rate_limit" }?.passed == true)
    }

    /// Each URL's rounds follow each other in its timeline with no empty seconds between them (each round's
    /// spare buckets and warmup are left out), and the generator's CPU share counts the warmups' time too.
    @Test func aComparedTimelineHasNoGapsBetweenRounds() async throws {
        let server = try await TestServer.start { _, _ in .init(delay: .milliseconds(1)) }
        let result = try await run(server.url + "/a") {
            $0.compareUrl = server.url + "/b"
            $0.duration = 2
            $0.warmup = 0.3
            $0.concurrency = 2
        }
        await server.stop()
        for metrics in [result.metrics, try #require(result.compareMetrics)] {
            // Two rounds of 1 s: each its second and, at most, a second holding the replies that came after its
            // end (before this change, its warmup, timeout and spare seconds came between them as empty ones).
            #expect(metrics.timeline.count >= 2 && metrics.timeline.count <= 4, "\(metrics.timeline.map(\.requests))")
            #expect(metrics.timeline.allSatisfy { $0.requests > 0 }, "\(metrics.timeline.map(\.requests))")
            #expect(metrics.generatorCpu.percentOfOneCore <= 100 * Double(result.settings.threads))
        }
    }

    /// A request-count run ends at the duration cap, and waits at most min(timeout, 2 s) after it for replies.
    @Test func aRequestCountRunEndsNearTheCapWhateverTheTimeout() async throws {
        let silent = try await TestServer.start { _, _ in .init(delay: .seconds(30)) }
        let started = Date()
        var request = LoadTestRequest(url: silent.url)
        request.requests = 2
        request.concurrency = 1
        request.timeout = 20
        let result = try await LoadTester(limits: LoadLimits(restrictHosts: true, maxDuration: 1)).run(request)
        let took = Date().timeIntervalSince(started)
        await silent.stop()
        #expect(took < 4, "took \(took) s")
        #expect(result.metrics.unfinished == 1)
        #expect(result.status == "failed")
    }

    @Test func compareWordsDependOnTheMetricsDirection() {
        var base = LoadTestResult.Metrics.sample(rps: 1000, p99: 20, errorRate: 0)
        var candidate = LoadTestResult.Metrics.sample(rps: 1100, p99: 19.5, errorRate: 0)
        var comparison = LoadTester.compare(
            baseline: base, candidate: candidate, thresholdPercent: 5, kind: "baseline", baselineLabel: "A",
            candidateLabel: "B")
        let rps = comparison.metrics.first { $0.name == "requests_per_second" }!
        #expect(rps.direction == "better" && rps.beyondNoise)
        let p99 = comparison.metrics.first { $0.name == "p99" }!
        #expect(p99.direction == "better" && !p99.beyondNoise)
        #expect(comparison.regressions.isEmpty)
        #expect(comparison.verdict == "B is better than A on requests_per_second and worse on nothing beyond noise")

        base.errorRate = 0
        candidate = .sample(rps: 990, p99: 30, errorRate: 0.05)
        comparison = LoadTester.compare(
            baseline: base, candidate: candidate, thresholdPercent: 5, kind: "baseline", baselineLabel: "A",
            candidateLabel: "B")
        #expect(comparison.regressions == ["p99", "p99_9", "error_rate"])
        #expect(comparison.metrics.first { $0.name == "requests_per_second" }!.summary.contains("within the 5%"))
        #expect(comparison.metrics.first { $0.name == "p99" }!.summary.contains("worse by 50.0%"))
    }

    @Test func unreachableTargetIsReportedNotThrown() async throws {
        // Port 1 on loopback: nothing listens, the connect is refused at once.
        let result = try await run("http://127.0.0.1:1/") { $0.requests = 1 }
        #expect(result.status == "unreachable")
        #expect(result.metrics.errors.connect == 1)
        #expect(!result.passed)
    }

    /// The engine opens its sockets itself (plain-HTTP requests then go out with one send): a refused connect
    /// is a connect error in either model, nothing else is counted, and a run against a dead port ends by itself.
    @Test(arguments: ["requests", "duration", "rate"])
    func refusedConnectsAreConnectErrors(_ shape: String) async throws {
        let started = Date()
        let result = try await run("http://127.0.0.1:1/") { request in
            request.concurrency = 3
            switch shape {
            case "requests": request.requests = 5
            case "duration": request.duration = 0.5
            default:
                request.rate = 100
                request.duration = 0.5
            }
        }
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(result.status == "unreachable")
        #expect(result.metrics.errors.connect >= (shape == "requests" ? 5 : 3))
        #expect(result.metrics.errors.total == result.metrics.errors.connect)
        #expect(result.metrics.requests == 0 && result.metrics.connectionsOpened == 0)
    }

    /// A listener whose accept queue is full drops SYNs, so the connect never completes: after `timeout` that
    /// is a connect error (not a request timeout), and the run still ends on time.
    @Test func aConnectThatNeverCompletesIsAConnectError() async throws {
        let listener = try StalledListener()
        defer { listener.close() }
        let started = Date()
        let result = try await run("http://127.0.0.1:\(listener.port)/") {
            $0.concurrency = 1
            $0.duration = 1
            $0.timeout = 0.3
        }
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(result.metrics.errors.connect >= 1)
        #expect(result.metrics.errors.timeout == 0)
        #expect(result.metrics.requests == 0 && result.metrics.connectionsOpened == 0)
        #expect(result.status == "unreachable")
    }

    /// A duration run waits at most 2 s for late replies; requests still out then are reported as unfinished,
    /// not as errors (closing their connections is the tool's doing, not the server's).
    @Test func repliesStillOutAtTheEndAreUnfinishedNotErrors() async throws {
        let server = try await TestServer.start { _, _ in .init(delay: .seconds(5)) }
        let result = try await run(server.url) {
            $0.concurrency = 2
            $0.duration = 0.2
            $0.timeout = 4
        }
        await server.stop()
        #expect(result.metrics.unfinished == 2)
        #expect(result.metrics.failed == 0 && result.metrics.requests == 0)
        // Reached, but nothing answered in time: nothing was measured, so it does not pass.
        #expect(result.status == "failed" && !result.passed)
        #expect(result.nextStep.contains("Not one request got a valid response"))
        #expect(result.nextStep.contains("unfinished 2"))
    }

    /// A request larger than the socket takes at once: the engine's direct send writes what it can and NIO
    /// writes the rest, so every body arrives whole.
    @Test func aBodyLargerThanTheSocketBufferArrivesWhole() async throws {
        let server = try await TestServer.start { _, _ in .init() }
        let result = try await upload(to: server, concurrency: 2, requests: 12)
        await server.stop()
        #expect(result.metrics.requests == 12 && result.metrics.failed == 0)
        #expect(server.counter.bodySizes == [Int](repeating: Self.uploadSize, count: 12))
    }

    /// Bodies bigger than a loopback socket takes at once.
    static let uploadSize = 6 * 1024 * 1024

    /// POSTs `requests` bodies of `uploadSize` bytes (from a temporary file) to `server`.
    func upload(to server: TestServer, concurrency: Int, requests: Int) async throws -> LoadTestResult {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("load-body-\(UUID().uuidString)")
        try Data(repeating: 0x61, count: Self.uploadSize).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await run(server.url) {
            $0.method = "POST"
            $0.bodyFile = file.path
            $0.concurrency = concurrency
            $0.requests = requests
        }
    }

    /// A server that refuses an upload as soon as it sees the head, and reads the body afterwards: the next
    /// request must not be written into the middle of the previous body still leaving through NIO (it was: the
    /// server answered 400 to the mixed bytes).
    @Test func anAnswerBeforeTheBodyEndsDoesNotInterleaveRequests() async throws {
        let server = try await TestServer.start(answerBeforeBody: true) { _, _ in .init(status: 413) }
        let result = try await upload(to: server, concurrency: 1, requests: 6)
        await server.stop()
        #expect(result.metrics.failed == 0)
        #expect(
            result.metrics.statusCounts.map(\.count).reduce(0, +) == 6,
            "\(result.metrics.statusCounts) \(result.metrics.errors) reconnects \(result.metrics.reconnects)")
        // Every head reached the server as a head and every body it finished is whole (the run ends, and closes,
        // once the six answers are in: the last bodies may still have been on their way).
        #expect(
            server.requestCount == 6,
            "\(result.metrics.statusCounts) reconnects \(result.metrics.reconnects) opened \(result.metrics.connectionsOpened)"
        )
        let bodies = server.counter.bodySizes
        #expect(!bodies.isEmpty && bodies.allSatisfy { $0 == Self.uploadSize }, "\(bodies)")
    }

    /// Each connection is counted once, when its connect completes; a keep-alive run opens exactly `concurrency`.
    @Test func connectionsAreCountedWhenEstablished() async throws {
        let server = try await TestServer.start { _, _ in .init() }
        let result = try await run(server.url) {
            $0.concurrency = 6
            $0.requests = 600
        }
        await server.stop()
        #expect(result.metrics.connectionsOpened == 6)
        #expect(result.metrics.reconnects == 0)
        #expect(result.metrics.requests == 600 && server.requestCount == 600)
    }

    @Test func cancellationStopsTheTrafficAtOnce() async throws {
        let server = try await TestServer.start { _, _ in .init(delay: .milliseconds(1)) }
        let tester = self.tester
        let url = server.url
        let task = Task {
            var request = LoadTestRequest(url: url)
            request.duration = 30
            request.concurrency = 4
            return try await tester.run(request)
        }
        try await Task.sleep(nanoseconds: 400_000_000)
        let cancelledAt = Date()
        task.cancel()
        let outcome = await task.result
        let stopped = Date().timeIntervalSince(cancelledAt)
        let countAtStop = server.requestCount
        try await Task.sleep(nanoseconds: 200_000_000)
        let countLater = server.requestCount
        await server.stop()
        #expect(stopped < 1, "took \(stopped) s to stop")
        #expect(throws: CancellationError.self) { try outcome.get() }
        // Requests already on the wire when the task was cancelled (at most one per connection) may still
        // reach a busy server's counter; nothing new is sent after that.
        #expect(countLater - countAtStop <= 4, "traffic went on after cancellation: \(countLater - countAtStop) more")
        #expect(countAtStop > 10)
    }
}

extension LoadTestResult.Metrics {
    static func sample(rps: Double, p99: Double, errorRate: Double) -> Self {
        .init(
            requests: 1000, failed: 0, requestsPerSecond: rps, elapsedS: 1, errorRate: errorRate,
            latencyMs: .init(min: 1, mean: 2, p50: 2, p75: 3, p90: 4, p95: 5, p99: p99, p99_9: p99, max: p99),
            statusCounts: [.init(status: 200, count: 1000)], errors: ErrorCounts(), bytesRead: 0, bytesWritten: 0,
            reconnects: 0, connectionsOpened: 1, lateSends: 0, unsent: 0, unfinished: 0,
            generatorCpu: .init(userS: 0, systemS: 0, percentOfOneCore: 0, microsPerRequest: 0), timeline: [],
            percentileCurve: [])
    }
}
