import BackendCore
import Foundation
import Histogram
import NIOCore
import NIOPosix

/// A run driven from outside (a Locust master through `LocustWorker`): started, read out in intervals while
/// it goes on, and stopped on demand. Its calls block the calling thread, which must not be one of its loops.
public final class LiveLoad: Sendable {
    public let plan: LoadPlan
    /// Wall-clock time (seconds since 1970) of the start of the traffic: second 0 of each interval's timeline.
    public let startedAt: Double
    let group: MultiThreadedEventLoopGroup
    let workers: [LoopWorker]

    /// Resolves the target and starts `plan.concurrency` connections; the plan's duration is the longest the
    /// traffic lasts (the cap), its warmup is ignored.
    public init(plan: LoadPlan, limits: LoadLimits) throws(BackendError) {
        var plan = plan
        plan.warmup = 0
        let endpoint = try LoadEngine.resolveNow(
            plan.target, insecure: plan.insecure, loopbackOnly: limits.loopbackAddressesOnly(host: plan.target.host),
            timeout: plan.timeout)
        self.plan = plan
        let group = MultiThreadedEventLoopGroup(numberOfThreads: plan.threads)
        self.group = group
        let loops = (0..<plan.threads).map { _ in group.next() }
        let start = monotonicNanos()
        startedAt = Date().timeIntervalSince1970
        let shared = SharedRunState()
        workers = loops.enumerated().map { index, loop in
            LoopWorker(
                loop: loop, plan: plan, endpoint: endpoint, shared: shared, index: index, loops: loops.count,
                startNanos: start)
        }
        for worker in workers { worker.loop.execute { worker.start() } }
    }

    /// True once every loop ended on its own (the duration cap).
    public var finished: Bool {
        workers.allSatisfy { worker in (try? worker.loop.submit { worker.phase == .finished }.wait()) ?? true }
    }

    /// What happened since the previous call (or the start).
    public func take() -> LiveInterval {
        var total = RunMeasurement()
        total.timeline = []
        for worker in workers {
            if let part = try? worker.loop.submit({ worker.takeMeasurement() }).wait() { total.merge(part) }
        }
        return LiveInterval(measurement: total, startedAt: startedAt)
    }

    /// Stops the traffic: no new requests, the replies still due are awaited for at most `drain` seconds (so
    /// the server's count and ours agree), then the connections close. Returns the last interval.
    public func stop(drain: Double = 1) -> LiveInterval {
        for worker in workers { worker.loop.execute { worker.drain() } }
        let deadline = monotonicNanos() + UInt64(max(drain, 0) * 1e9)
        for worker in workers {
            let left = Int64(deadline) - Int64(monotonicNanos())
            let timer = worker.loop.scheduleTask(in: .nanoseconds(max(left, 0))) { worker.finish(cancelled: true) }
            try? worker.done.futureResult.wait()
            timer.cancel()
        }
        let last = take()
        try? group.syncShutdownGracefully()
        return last
    }
}

/// One bucket of the latency histogram: every recorded value from `lowest` to `highest` microseconds.
public struct HistogramBucket: Codable, Sendable, Equatable {
    public var lowest: UInt64
    public var highest: UInt64
    public var count: UInt64
}

/// The measurements of one interval of a live run, or of several added up.
public struct LiveInterval: Sendable {
    var measurement: RunMeasurement
    /// Sum of the response times, exact (not from the histogram).
    public private(set) var latencySumMicros: UInt64
    /// Responses and transport errors per wall-clock second (seconds since 1970), seconds with neither left out.
    public private(set) var perSecond: [(second: Int, responses: Int, errors: Int)]

    init(measurement: RunMeasurement, startedAt: Double) {
        latencySumMicros = measurement.timeline.reduce(0) { $0 + $1.latencySumMicros }
        perSecond = measurement.timeline.enumerated().compactMap { index, bucket in
            bucket.requests == 0 && bucket.errors == 0
                ? nil
                : (
                    second: Int((startedAt + Double(index)).rounded(.down)), responses: bucket.requests,
                    errors: bucket.errors
                )
        }
        self.measurement = measurement
        self.measurement.timeline = []
    }

    /// Nothing yet: the start of a running total.
    public init() { self.init(measurement: RunMeasurement(), startedAt: 0) }

    /// Adds another interval: counts and per-second counts sum, histograms merge.
    public mutating func add(_ other: LiveInterval) {
        measurement.merge(other.measurement)
        latencySumMicros += other.latencySumMicros
        var seconds: [Int: (Int, Int)] = [:]
        for entry in perSecond + other.perSecond {
            let sum = seconds[entry.second, default: (0, 0)]
            seconds[entry.second] = (sum.0 + entry.responses, sum.1 + entry.errors)
        }
        perSecond = seconds.keys.sorted().map { (second: $0, responses: seconds[$0]!.0, errors: seconds[$0]!.1) }
    }

    /// Responses received.
    public var responses: Int { measurement.completed }
    /// Requests that got no response, by error class.
    public var errors: ErrorCounts { measurement.errors }
    /// Responses by status code.
    public var statusCounts: [(status: Int, count: Int)] {
        measurement.statusCounts.enumerated().filter { $0.element > 0 }.map { (status: $0.offset, count: $0.element) }
    }
    public var bytesRead: Int { measurement.bytesRead }
    /// The first TLS handshake failure and the first reply that was not HTTP/1.1, in words.
    public var tlsFailure: String? { measurement.tlsFailure }
    public var parseFailure: String? { measurement.parseFailure }
    public var cpuMicros: Int { measurement.cpuUserMicros + measurement.cpuSystemMicros }
    /// Lowest and highest response time recorded, exact; nil without responses.
    public var minMicros: UInt64? { measurement.histogram.totalCount == 0 ? nil : measurement.histogram.min }
    public var maxMicros: UInt64? { measurement.histogram.totalCount == 0 ? nil : measurement.histogram.maxRecorded }

    /// The latency histogram's non-empty buckets, lowest first: all a reader needs to merge histograms exactly
    /// and compute the same percentiles (`HistogramBucket`; README, "More than one machine").
    public var buckets: [HistogramBucket] {
        let histogram = measurement.histogram
        return histogram.recordedValues().map {
            HistogramBucket(
                lowest: histogram.lowestEquivalentForValue($0.value),
                highest: histogram.highestEquivalentForValue($0.value), count: UInt64($0.count))
        }
    }

    /// The figures of a single-machine run's report for these measurements over `elapsed` seconds.
    public func metrics(elapsed: Double) -> LoadTestResult.Metrics {
        var copy = measurement
        copy.elapsedNanos = UInt64(max(elapsed, 0) * 1e9)
        return copy.metrics(warmup: 0)
    }
}
