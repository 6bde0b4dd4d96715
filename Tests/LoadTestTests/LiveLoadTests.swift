import BackendCore
import Foundation
import Testing

@testable import LoadTest

/// A live run read out in intervals (what a Locust worker does every 3 s), against the loopback test server.
@Suite struct LiveLoadTests {
    @Test("The intervals of a live run add up to what the server answered; stop waits for the replies still due")
    func intervalsAddUp() async throws {
        // Replies take 20 ms, so stopping always finds requests under way.
        let server = try await TestServer.start { _, _ in .init(delay: .milliseconds(20)) }
        var request = LoadTestRequest(url: server.url + "/live")
        request.concurrency = 4
        request.duration = 60
        let limits = LoadLimits(restrictHosts: false)
        let live = try LiveLoad(plan: try LoadPlan.make(request, url: request.url, limits: limits), limits: limits)
        var total = LiveInterval()
        var parts: [Int] = []
        for _ in 0..<3 {
            try await Task.sleep(for: .milliseconds(300))
            let part = live.take()
            parts.append(part.responses)
            total.add(part)
        }
        let last = live.stop()
        total.add(last)
        #expect(parts.allSatisfy { $0 > 0 })
        #expect(last.responses > 0)
        #expect(total.responses == server.requestCount)
        #expect(total.errors.total == 0)
        #expect(total.statusCounts.map(\.status) == [200])
        #expect(total.buckets.reduce(0) { $0 + $1.count } == UInt64(total.responses))
        #expect(total.perSecond.reduce(0) { $0 + $1.responses } == total.responses)
        // Each response took at least the server's 20 ms, and the exact sum agrees with the histogram's range.
        #expect(try #require(total.minMicros) >= 20_000)
        #expect(total.latencySumMicros >= UInt64(total.responses) * 20_000)
        #expect(total.latencySumMicros <= UInt64(total.responses) * (try #require(total.maxMicros)))
    }
}
