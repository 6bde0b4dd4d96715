import BackendCore
import Foundation
import Testing

@testable import LoadTest

/// The per-second timeline: small latency histograms per second, partial seconds as rates, a readable plot.
@Suite struct TimelineReportTests {
    /// Each recorded value comes back within the buckets' bound (1/32 of the value, exact under 16 µs).
    @Test(arguments: [1, 7, 15, 16, 17, 31, 32, 33, 100, 999, 1_000, 4_321, 65_536, 1_000_000, 123_456_789])
    func aBucketHoldsItsValueWithinThreePercent(micros: UInt64) {
        var histograms = SecondHistograms(seconds: 2)
        histograms.record(second: 1, micros: micros)
        let value = try! #require(histograms.value(second: 1, percentile: 50))
        #expect(abs(value - Double(micros)) <= Double(micros) / 32 + 0.5, "\(micros) -> \(value)")
        #expect(histograms.value(second: 0, percentile: 50) == nil)
    }

    @Test func percentilesOfASecondFollowItsValues() throws {
        var histograms = SecondHistograms(seconds: 1)
        for micros in 1...1000 { histograms.record(second: 0, micros: UInt64(micros) * 100) }
        let p50 = try #require(histograms.value(second: 0, percentile: 50))
        let p99 = try #require(histograms.value(second: 0, percentile: 99))
        #expect(abs(p50 - 50_000) <= 50_000 / 32 + 100)
        #expect(abs(p99 - 99_000) <= 99_000 / 32 + 100)
    }

    @Test func loopsAddUpAndRoundsFollowEachOther() throws {
        var a = SecondHistograms(seconds: 3)
        var b = SecondHistograms(seconds: 3)
        a.record(second: 0, micros: 100)
        b.record(second: 0, micros: 100)
        b.record(second: 2, micros: 5_000)
        a.add(b)
        #expect(a.counts.reduce(0, +) == 3)
        let joined = a.appending(b, after: 1)
        #expect(joined.seconds == 4)
        #expect(try #require(joined.value(second: 3, percentile: 50)) > 4_800)
    }

    /// A run of 1.5 s ends in about half a second: drawn as the requests of that span over it, not as a fall.
    @Test func aPartialLastSecondIsARate() async throws {
        let server = try await TestServer.start { _, _ in .init(delay: .milliseconds(2)) }
        var request = LoadTestRequest(url: server.url)
        request.concurrency = 2
        request.duration = 1.5
        request.timeout = 3
        let result = try await LoadTester(limits: LoadLimits(restrictHosts: true)).run(request)
        await server.stop()
        let timeline = result.metrics.timeline
        #expect(timeline.map(\.second) == [0, 1], "\(timeline)")
        let last = try #require(timeline.last)
        // From 1 s to the last reply: the half second of the send window and the few ms of the drain.
        #expect(last.spanS >= 0.5 && last.spanS < 1, "\(last.spanS)")
        #expect(last.requestsPerSecond == Double(last.requests) / last.spanS)
        #expect(timeline.first?.spanS == 1)
        #expect(timeline.map(\.requests).reduce(0, +) == result.metrics.requests)
        for second in timeline where second.requests > 0 {
            // The server holds every reply 2 ms: no percentile of a second can be under it.
            #expect(
                second.p50Ms >= 2 * 31 / 32 && second.p50Ms <= second.p99Ms && second.p99Ms <= second.maxMs * 33 / 32)
        }
    }

    /// The plots: a tick and unit on every axis, and the partial last second at the level of the others.
    @Test func theReportDrawsRatesWithTicksAndUnits() throws {
        var metrics = LoadTestResult.Metrics.sample(rps: 1000, p99: 9, errorRate: 0)
        metrics.timeline = [
            .init(second: 0, requests: 1000, errors: 0, meanMs: 2, maxMs: 9, p50Ms: 2, p99Ms: 8),
            .init(second: 1, requests: 1000, errors: 0, meanMs: 2, maxMs: 9, p50Ms: 2, p99Ms: 8),
            .init(second: 2, requests: 500, errors: 0, meanMs: 2, maxMs: 9, spanS: 0.5, p50Ms: 2, p99Ms: 8),
        ]
        let throughput = HTMLReport.throughputPlot([("A", metrics, "#1f77b4")])
        for unit in ["requests/s", "time after warmup (s)"] { #expect(throughput.contains(unit)) }
        let line = try #require(throughput.firstMatch(of: /<polyline [^>]*points="([^"]+)"/))
        let heights = line.1.split(separator: " ").map { $0.split(separator: ",")[1] }
        #expect(Set(heights).count == 1, "the partial second is not at the level of the others: \(line.1)")
        let latency = HTMLReport.latencyPlot([("A", metrics, "#1f77b4")])
        #expect(latency.contains("latency (ms)") && latency.contains("p99 A") && latency.contains("stroke-dasharray"))
        // Ticks: 0 to 1000 requests/s in steps of 200, and half seconds on the 2.5 s time axis.
        for label in [">0<", ">200<", ">1000<", ">0.5<", ">2.5<"] { #expect(throughput.contains(label), "\(label)") }
    }

    @Test(arguments: [
        (0.0, 1.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]), (1000, 1000, [0, 200, 400, 600, 800, 1000]),
        (0.37, 0.4, [0, 0.1, 0.2, 0.3, 0.4]), (7.3, 8, [0, 2, 4, 6, 8]), (30, 30, [0, 10, 20, 30]),
    ])
    func axesEndOnANiceNumber(maximum: Double, top: Double, ticks: [Double]) {
        let axis = HTMLReport.Axis(maximum: maximum)
        #expect(abs(axis.top - top) < 1e-9)
        #expect(zip(axis.ticks, ticks).allSatisfy { abs($0 - $1) < 1e-9 } && axis.ticks.count == ticks.count)
    }
}
