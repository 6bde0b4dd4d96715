import Foundation
import LoadTest

/// Turns one interval of our measurements into the data of Locust's `stats` message (what `report_to_master`
/// fills in `locust/stats.py`), with our exact histogram of the same requests under `senior_backend_hdr`.
struct LocustReport {
    /// The key of our histogram in the `stats` message's data. Inside Locust's own message, not a message of its
    /// own: the master handles each message whole, so the histogram and Locust's counts of the same requests
    /// never part (as a separate message, the final one was lost in one run of four when the master's half
    /// second of waiting after `quit` ended between the two).
    static let histogramKey = "senior_backend_hdr"
    static let histogramFormat = "senior-backend-hdr/1"

    /// Locust's entry name: the path (and query), as Locust names requests by default.
    var name: String
    var method: String
    var target: String
    var nodeID: String
    var concurrency: Int
    var threads: Int
    var timeout: Double

    /// Locust keeps response times in milliseconds rounded to about two significant digits
    /// (`bucket_response_time`: 1..99, 100, 110 .. 990, 1000, 1100 ...); Python's round() rounds half to even.
    static func bucket(ms: Double) -> Int {
        func round(_ value: Double, to unit: Double) -> Int { Int((value / unit).rounded(.toNearestOrEven) * unit) }
        if ms < 100 { return round(ms, to: 1) }
        if ms < 1000 { return round(ms, to: 10) }
        if ms < 10000 { return round(ms, to: 100) }
        return round(ms, to: 1000)
    }

    /// The interval's failures in Locust's sense: requests without a response (our error classes) and responses
    /// with a status of 400 or more (as Locust's HttpUser counts them), each kind with its error text.
    static func failures(_ interval: LiveInterval) -> [(error: String, count: Int)] {
        var failures: [(error: String, count: Int)] = []
        let errors = interval.errors
        let classes: [(error: String, count: Int)] = [
            ("connect error: the connection could not be opened", errors.connect),
            ("timeout: no response within the timeout", errors.timeout),
            ("read error: the connection closed before the whole response", errors.read),
            ("write error: the request could not be sent", errors.write),
            ("parse error: " + (interval.parseFailure ?? "the reply is not HTTP/1.1"), errors.parse),
            ("tls error: " + (interval.tlsFailure ?? "the TLS handshake failed"), errors.tls),
        ]
        failures += classes.filter { $0.count > 0 }
        for entry in interval.statusCounts where entry.status >= 400 {
            failures.append((error: "HTTP \(entry.status)", count: entry.count))
        }
        return failures
    }

    /// `data` of a `stats` message: `stats` (one entry, or none when nothing happened), `stats_total`, `errors`,
    /// and the user counts the master keeps per worker.
    func stats(
        _ interval: LiveInterval, from start: Double, to end: Double, userClassesCount: [(String, Int)]
    ) -> MessagePack {
        let failures = Self.failures(interval)
        let transportErrors = interval.errors.total
        let requests = interval.responses + transportErrors
        let failureCount = failures.reduce(0) { $0 + $1.count }
        var responseTimes: [Int: Int] = [:]
        for bucket in interval.buckets {
            // The bucket's middle, as HdrHistogram's mean counts it.
            let middle = bucket.lowest + (bucket.highest - bucket.lowest + 1) / 2
            responseTimes[Self.bucket(ms: Double(middle) / 1000), default: 0] += Int(bucket.count)
        }
        var perSecond: [Int: Int] = [:]
        var failedPerSecond: [Int: Int] = [:]
        for second in interval.perSecond {
            perSecond[second.second, default: 0] += second.responses + second.errors
            if second.errors > 0 { failedPerSecond[second.second, default: 0] += second.errors }
        }
        // Responses with a failing status are not kept per second: they count in the interval's last second.
        let httpFailures = failureCount - transportErrors
        if httpFailures > 0 { failedPerSecond[Int(end.rounded(.down)), default: 0] += httpFailures }
        func intMap(_ map: [Int: Int]) -> MessagePack {
            .map(map.keys.sorted().map { (.integer($0), .integer(map[$0]!)) })
        }
        func entry(name: String, method: String) -> MessagePack {
            .object([
                ("name", .string(name)),
                ("method", .string(method)),
                ("last_request_timestamp", requests > 0 ? .double(end) : .nil_),
                ("start_time", .double(start)),
                ("num_requests", .integer(requests)),
                ("num_none_requests", .integer(transportErrors)),
                ("num_failures", .integer(failureCount)),
                ("total_response_time", .double(Double(interval.latencySumMicros) / 1000)),
                ("max_response_time", .double(Double(interval.maxMicros ?? 0) / 1000)),
                ("min_response_time", interval.minMicros.map { MessagePack.double(Double($0) / 1000) } ?? .nil_),
                ("total_content_length", .integer(interval.bytesRead)),
                ("response_times", intMap(responseTimes)),
                ("num_reqs_per_sec", intMap(perSecond)),
                ("num_fail_per_sec", intMap(failedPerSecond)),
            ])
        }
        let errors: [(MessagePack, MessagePack)] = failures.map { failure in
            (
                .string("\(method).\(name).\(failure.error)"),
                .object([
                    ("name", .string(name)), ("method", .string(method)), ("error", .string(failure.error)),
                    ("occurrences", .integer(failure.count)), ("first_seen", .double(start)),
                    ("last_seen", .double(end)),
                ])
            )
        }
        return .object([
            ("stats", .array(requests > 0 ? [entry(name: name, method: method)] : [])),
            ("stats_total", entry(name: "Aggregated", method: "")),
            ("errors", .map(errors)),
            ("user_classes_count", .object(userClassesCount.map { ($0.0, .integer($0.1)) })),
            ("user_count", .integer(userClassesCount.reduce(0) { $0 + $1.1 })),
        ])
    }

    /// `data` of a `stats` message before any test: no entries, a zero total, no errors.
    static func emptyStats(userClassesCount: [(String, Int)]) -> MessagePack {
        let none = LocustReport(name: "", method: "", target: "", nodeID: "", concurrency: 0, threads: 0, timeout: 0)
        let now = Date().timeIntervalSince1970
        return none.stats(LiveInterval(), from: now, to: now, userClassesCount: userClassesCount)
    }

    /// Our `senior_backend_hdr` entry: the interval's exact latency histogram and our own counts
    /// (README, "More than one machine", documents the format; the plugin merges these by summing).
    func histogram(_ interval: LiveInterval, from start: Double, to end: Double) -> MessagePack {
        let errors = interval.errors
        return .object([
            ("format", .string(Self.histogramFormat)),
            ("node_id", .string(nodeID)),
            ("target", .string(target)),
            ("method", .string(method)),
            (
                "settings",
                .object([
                    ("concurrency", .integer(concurrency)), ("threads", .integer(threads)),
                    ("timeout_s", .double(timeout)),
                ])
            ),
            ("start", .double(start)),
            ("end", .double(end)),
            ("unit", .string("us")),
            ("count", .integer(interval.responses)),
            ("min", interval.minMicros.map { MessagePack.uint($0) } ?? .nil_),
            ("max", interval.maxMicros.map { MessagePack.uint($0) } ?? .nil_),
            ("latency_sum", .uint(interval.latencySumMicros)),
            (
                "buckets",
                .array(interval.buckets.map { .array([.uint($0.lowest), .uint($0.highest), .uint($0.count)]) })
            ),
            ("status_counts", .map(interval.statusCounts.map { (.integer($0.status), .integer($0.count)) })),
            (
                "errors",
                .object([
                    ("connect", .integer(errors.connect)), ("timeout", .integer(errors.timeout)),
                    ("read", .integer(errors.read)), ("write", .integer(errors.write)),
                    ("parse", .integer(errors.parse)),
                    ("tls", .integer(errors.tls)),
                ])
            ),
            ("bytes_read", .integer(interval.bytesRead)),
            ("cpu_us", .integer(interval.cpuMicros)),
        ])
    }
}
