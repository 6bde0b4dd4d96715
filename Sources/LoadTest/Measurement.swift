import Histogram

/// Error classes of failed requests.
public struct ErrorCounts: Codable, Sendable, Equatable {
    public var connect = 0
    public var timeout = 0
    public var read = 0
    public var write = 0
    public var parse = 0
    /// TLS handshakes that failed (untrusted certificate, wrong host, no TLS on the port).
    public var tls = 0

    public init() {}

    /// Decodes baselines saved before the `tls` class existed as well.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        connect = try container.decode(Int.self, forKey: .connect)
        timeout = try container.decode(Int.self, forKey: .timeout)
        read = try container.decode(Int.self, forKey: .read)
        write = try container.decode(Int.self, forKey: .write)
        parse = try container.decode(Int.self, forKey: .parse)
        tls = try container.decodeIfPresent(Int.self, forKey: .tls) ?? 0
    }

    public var total: Int { connect + timeout + read + write + parse + tls }

    mutating func add(_ other: ErrorCounts) {
        connect += other.connect
        timeout += other.timeout
        read += other.read
        write += other.write
        parse += other.parse
        tls += other.tls
    }
}

enum ErrorClass { case connect, timeout, read, write, parse, tls }

/// One second of the measured window, numbered from the end of warmup.
struct TimelineBucket: Sendable {
    var requests = 0
    var errors = 0
    var latencySumMicros: UInt64 = 0
    var maxMicros: UInt64 = 0
    /// How much of this second the run covered: 1 s; the last second runs to the last reply (a timed run's
    /// drain included), so it is often less and may be more; 0 for the spare seconds after it.
    var spanNanos: UInt64 = 0

    mutating func add(_ other: TimelineBucket) {
        requests += other.requests
        errors += other.errors
        latencySumMicros += other.latencySumMicros
        maxMicros = max(maxMicros, other.maxMicros)
        spanNanos = max(spanNanos, other.spanNanos)
    }
}

/// What one event loop measured (or, merged, the whole run).
struct RunMeasurement: Sendable {
    static let highestMicros: UInt64 = 3_600_000_000

    var histogram = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: RunMeasurement.highestMicros,
        numberOfSignificantValueDigits: .three)
    /// Index = status code (100-599).
    var statusCounts = [Int](repeating: 0, count: 600)
    var errors = ErrorCounts()
    var completed = 0
    var bytesRead = 0
    var bytesWritten = 0
    var reconnects = 0
    var connectionsOpened = 0
    var lateSends = 0
    var unsent = 0
    var unfinished = 0
    var timeline: [TimelineBucket] = []
    /// Latency per second of the timeline, for its p50 and p99.
    var secondHistograms = SecondHistograms()
    /// Nanoseconds from the start to the first 429.
    var first429Nanos: UInt64?
    /// Responses (measured window) received before the run's first 429, and when the last of them came.
    var beforeFirst429 = 0
    var lastBeforeFirst429Nanos: UInt64 = 0
    /// The first TLS handshake failure, in words.
    var tlsFailure: String?
    /// The first reply that was not valid HTTP/1.1, in words.
    var parseFailure: String?
    /// First value seen of each rate-limit header, by lower-case name.
    var rateLimitHeaders: [String: String] = [:]
    var cpuUserMicros = 0
    var cpuSystemMicros = 0
    /// Measured window: from the end of warmup to the last event, in nanoseconds.
    var elapsedNanos: UInt64 = 0
    var connectedOnce = false
    var cancelled = false

    /// An empty measurement with room for `seconds` seconds: the timeline and its latency histograms are
    /// always sized together, since a response is recorded in both by the same second.
    init(seconds: Int) {
        timeline = [TimelineBucket](repeating: TimelineBucket(), count: seconds)
        secondHistograms = SecondHistograms(seconds: seconds)
    }

    init() {}

    /// One response of the measured window: a single mutation of the measurement per response.
    @inline(__always) mutating func record(
        micros: UInt64, status: Int, second: Int, now: UInt64, beforeFirst429: Bool
    ) {
        _ = histogram.record(micros)
        completed += 1
        statusCounts[status] += 1
        timeline[second].requests += 1
        timeline[second].latencySumMicros += micros
        if micros > timeline[second].maxMicros { timeline[second].maxMicros = micros }
        secondHistograms.record(second: second, micros: micros)
        if beforeFirst429 {
            self.beforeFirst429 += 1
            lastBeforeFirst429Nanos = now
        }
    }

    mutating func merge(_ other: RunMeasurement) {
        histogram.add(other.histogram)
        for index in statusCounts.indices { statusCounts[index] += other.statusCounts[index] }
        errors.add(other.errors)
        completed += other.completed
        bytesRead += other.bytesRead
        bytesWritten += other.bytesWritten
        reconnects += other.reconnects
        connectionsOpened += other.connectionsOpened
        lateSends += other.lateSends
        unsent += other.unsent
        unfinished += other.unfinished
        if timeline.count < other.timeline.count {
            timeline += [TimelineBucket](repeating: TimelineBucket(), count: other.timeline.count - timeline.count)
        }
        for (index, bucket) in other.timeline.enumerated() { timeline[index].add(bucket) }
        secondHistograms.add(other.secondHistograms)
        if let time = other.first429Nanos { first429Nanos = min(first429Nanos ?? time, time) }
        beforeFirst429 += other.beforeFirst429
        if tlsFailure == nil { tlsFailure = other.tlsFailure }
        if parseFailure == nil { parseFailure = other.parseFailure }
        rateLimitHeaders.merge(other.rateLimitHeaders) { first, _ in first }
        cpuUserMicros += other.cpuUserMicros
        cpuSystemMicros += other.cpuSystemMicros
        elapsedNanos = max(elapsedNanos, other.elapsedNanos)
        connectedOnce = connectedOnce || other.connectedOnce
        cancelled = cancelled || other.cancelled
    }
}
