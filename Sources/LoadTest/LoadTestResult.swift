import BackendCore
import Foundation
import Histogram

/// Output of `load_test` (schema: `schemas/load_test.output.json`).
public struct LoadTestResult: Codable, Sendable {
    /// False when an expectation, threshold or comparison failed.
    public var passed: Bool
    /// `passed`, `failed`, or `unreachable` (no connection could be made).
    public var status: String
    public var model: String
    public var target: String
    public var method: String
    public var headers: [String]
    public var settings: Settings
    public var metrics: Metrics
    public var compareTarget: String?
    public var compareMetrics: Metrics?
    public var comparison: Comparison?
    public var expectations: [Expectation]
    public var rateLimit: RateLimitReport?
    public var files: [String]
    public var nextStep: String

    enum CodingKeys: String, CodingKey {
        case passed, status, model, target, method, headers, settings, metrics
        case compareTarget = "compare_target"
        case compareMetrics = "compare_metrics"
        case comparison, expectations
        case rateLimit = "rate_limit"
        case files
        case nextStep = "next_step"
    }

    public struct Settings: Codable, Sendable, Equatable {
        public var concurrency: Int
        public var threads: Int
        public var durationS: Double?
        public var requests: Int?
        public var rate: Double?
        public var warmupS: Double
        public var timeoutS: Double

        enum CodingKeys: String, CodingKey {
            case concurrency, threads
            case durationS = "duration_s"
            case requests, rate
            case warmupS = "warmup_s"
            case timeoutS = "timeout_s"
        }
    }

    public struct Latency: Codable, Sendable, Equatable {
        public var min: Double
        public var mean: Double
        public var p50: Double
        public var p75: Double
        public var p90: Double
        public var p95: Double
        public var p99: Double
        public var p99_9: Double
        public var max: Double
    }

    public struct StatusCount: Codable, Sendable, Equatable {
        public var status: Int
        public var count: Int
    }

    public struct CPU: Codable, Sendable, Equatable {
        public var userS: Double
        public var systemS: Double
        /// CPU time over wall time, in percent of one core (200 = two cores busy).
        public var percentOfOneCore: Double
        public var microsPerRequest: Double

        enum CodingKeys: String, CodingKey {
            case userS = "user_s"
            case systemS = "system_s"
            case percentOfOneCore = "percent_of_one_core"
            case microsPerRequest = "micros_per_request"
        }
    }

    public struct Second: Codable, Sendable, Equatable {
        public var second: Int
        public var requests: Int
        public var errors: Int
        public var meanMs: Double
        public var maxMs: Double
        /// The part of this second the run covered: 1; the last second runs to the last reply (often less).
        public var spanS: Double
        /// Responses in this second divided by its span: the last, partial second is a rate like the others.
        public var requestsPerSecond: Double
        /// Median and 99th percentile latency of this second's responses (±3%: log-linear buckets).
        public var p50Ms: Double
        public var p99Ms: Double

        enum CodingKeys: String, CodingKey {
            case second, requests, errors
            case meanMs = "mean_ms"
            case maxMs = "max_ms"
            case spanS = "span_s"
            case requestsPerSecond = "requests_per_second"
            case p50Ms = "p50_ms"
            case p99Ms = "p99_ms"
        }

        public init(
            second: Int, requests: Int, errors: Int, meanMs: Double, maxMs: Double, spanS: Double = 1,
            requestsPerSecond: Double? = nil, p50Ms: Double = 0, p99Ms: Double = 0
        ) {
            self.second = second
            self.requests = requests
            self.errors = errors
            self.meanMs = meanMs
            self.maxMs = maxMs
            self.spanS = spanS
            self.requestsPerSecond = requestsPerSecond ?? Double(requests) / max(spanS, 1e-3)
            self.p50Ms = p50Ms
            self.p99Ms = p99Ms
        }

        /// Baselines saved before the per-second rate and percentiles existed decode as whole seconds.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            second = try container.decode(Int.self, forKey: .second)
            requests = try container.decode(Int.self, forKey: .requests)
            errors = try container.decode(Int.self, forKey: .errors)
            meanMs = try container.decode(Double.self, forKey: .meanMs)
            maxMs = try container.decode(Double.self, forKey: .maxMs)
            spanS = try container.decodeIfPresent(Double.self, forKey: .spanS) ?? 1
            requestsPerSecond =
                try container.decodeIfPresent(Double.self, forKey: .requestsPerSecond) ?? Double(requests) / spanS
            p50Ms = try container.decodeIfPresent(Double.self, forKey: .p50Ms) ?? 0
            p99Ms = try container.decodeIfPresent(Double.self, forKey: .p99Ms) ?? 0
        }
    }

    public struct CurvePoint: Codable, Sendable, Equatable {
        public var percentile: Double
        public var ms: Double
    }

    public struct Metrics: Codable, Sendable, Equatable {
        /// Responses received in the measured window (after warmup).
        public var requests: Int
        /// Requests that got no response (connect, timeout, read, write, parse errors).
        public var failed: Int
        public var requestsPerSecond: Double
        public var elapsedS: Double
        /// (transport errors + 5xx responses) / (responses + transport errors).
        public var errorRate: Double
        public var latencyMs: Latency
        public var statusCounts: [StatusCount]
        public var errors: ErrorCounts
        public var bytesRead: Int
        public var bytesWritten: Int
        public var reconnects: Int
        public var connectionsOpened: Int
        public var lateSends: Int
        public var unsent: Int
        public var unfinished: Int
        public var generatorCpu: CPU
        public var timeline: [Second]
        public var percentileCurve: [CurvePoint]
        /// The first TLS handshake failure, in words (https only).
        public var tlsFailure: String?
        /// The first reply that was not valid HTTP/1.1, in words.
        public var parseFailure: String?

        enum CodingKeys: String, CodingKey {
            case requests, failed
            case requestsPerSecond = "requests_per_second"
            case elapsedS = "elapsed_s"
            case errorRate = "error_rate"
            case latencyMs = "latency_ms"
            case statusCounts = "status_counts"
            case errors
            case bytesRead = "bytes_read"
            case bytesWritten = "bytes_written"
            case reconnects
            case connectionsOpened = "connections_opened"
            case lateSends = "late_sends"
            case unsent, unfinished
            case generatorCpu = "generator_cpu"
            case timeline
            case percentileCurve = "percentile_curve"
            case tlsFailure = "tls_failure"
            case parseFailure = "parse_failure"
        }

        public func count(status: Int) -> Int { statusCounts.first { $0.status == status }?.count ?? 0 }
    }

    public struct MetricChange: Codable, Sendable, Equatable {
        public var name: String
        public var unit: String
        public var baseline: Double
        public var candidate: Double
        /// Relative change in percent; absent when the baseline is zero.
        public var changePercent: Double?
        /// `better`, `worse` or `same`, in words.
        public var direction: String
        public var beyondNoise: Bool
        public var summary: String

        enum CodingKeys: String, CodingKey {
            case name, unit, baseline, candidate
            case changePercent = "change_percent"
            case direction
            case beyondNoise = "beyond_noise"
            case summary
        }
    }

    public struct Comparison: Codable, Sendable, Equatable {
        /// `two_urls` (run interleaved A B A B) or `baseline` (this run against a saved baseline.json).
        public var kind: String
        public var baseline: String
        public var candidate: String
        public var thresholdPercent: Double
        public var metrics: [MetricChange]
        public var regressions: [String]
        public var verdict: String
        /// Settings in which this run differs from the baseline ("concurrency 50 -> 10"); absent when none.
        public var settingDifferences: [String]?

        enum CodingKeys: String, CodingKey {
            case kind, baseline, candidate
            case thresholdPercent = "threshold_percent"
            case metrics, regressions, verdict
            case settingDifferences = "setting_differences"
        }

        /// Names what makes the comparison not like for like, in the verdict too (the digest shows it).
        mutating func noteSettingDifferences(_ differences: [String]) {
            guard !differences.isEmpty else { return }
            settingDifferences = differences
            verdict += "; not like for like: \(differences.joined(separator: ", "))"
        }
    }

    public struct Expectation: Codable, Sendable, Equatable {
        public var name: String
        public var passed: Bool
        public var detail: String
    }

    public struct RateLimitReport: Codable, Sendable, Equatable {
        public var limited: Bool
        public var count429: Int
        public var share: Double
        public var firstAfterS: Double?
        /// Responses received before the first 429 (in the measured window).
        public var requestsBeforeFirst: Int?
        /// The URL that sent the first 429 (of two compared, the first that limited).
        public var firstTarget: String?
        public var headers: [String]

        enum CodingKeys: String, CodingKey {
            case limited
            case count429 = "count_429"
            case share
            case firstAfterS = "first_after_s"
            case requestsBeforeFirst = "requests_before_first"
            case firstTarget = "first_target"
            case headers
        }
    }
}

extension RunMeasurement {
    /// Reports one measurement (or merged rounds) as figures in milliseconds and seconds.
    func metrics(warmup: Double) -> LoadTestResult.Metrics {
        let empty = histogram.totalCount == 0
        func ms(_ micros: UInt64) -> Double { Double(micros) / 1000 }
        func at(_ percentile: Double) -> Double { empty ? 0 : ms(histogram.valueAtPercentile(percentile)) }
        let latency = LoadTestResult.Latency(
            min: empty ? 0 : ms(histogram.min), mean: empty ? 0 : histogram.mean / 1000, p50: at(50), p75: at(75),
            p90: at(90), p95: at(95), p99: at(99), p99_9: at(99.9), max: empty ? 0 : ms(histogram.max))
        let statuses = statusCounts.enumerated().filter { $0.element > 0 }.map {
            LoadTestResult.StatusCount(status: $0.offset, count: $0.element)
        }
        let serverErrors = statuses.filter { $0.status >= 500 }.reduce(0) { $0 + $1.count }
        let attempts = completed + errors.total
        let elapsed = Double(elapsedNanos) / 1e9
        let cpuTotal = Double(cpuUserMicros + cpuSystemMicros)
        let seconds = timeline.enumerated().map { index, bucket in
            // A second the worker never stamped (a measurement built by hand) counts as a whole one.
            let span = bucket.spanNanos == 0 ? 1 : max(Double(bucket.spanNanos) / 1e9, 1e-3)
            return LoadTestResult.Second(
                second: index, requests: bucket.requests, errors: bucket.errors,
                meanMs: bucket.requests == 0 ? 0 : Double(bucket.latencySumMicros) / Double(bucket.requests) / 1000,
                maxMs: Double(bucket.maxMicros) / 1000, spanS: span, requestsPerSecond: Double(bucket.requests) / span,
                p50Ms: (secondHistograms.value(second: index, percentile: 50) ?? 0) / 1000,
                p99Ms: (secondHistograms.value(second: index, percentile: 99) ?? 0) / 1000)
        }
        // Drop the empty tail (the drain and spare seconds).
        let lastBusy = seconds.lastIndex { $0.requests > 0 || $0.errors > 0 } ?? -1
        var curve: [LoadTestResult.CurvePoint] = []
        if !empty {
            for step in 0...20 {
                let percentile = 100 * (1 - pow(10, -Double(step) / 4))
                curve.append(.init(percentile: percentile, ms: at(percentile)))
            }
            curve.append(.init(percentile: 100, ms: latency.max))
        }
        return LoadTestResult.Metrics(
            requests: completed, failed: errors.total,
            requestsPerSecond: elapsed > 0 ? Double(completed) / elapsed : 0, elapsedS: elapsed,
            errorRate: attempts == 0 ? 0 : Double(errors.total + serverErrors) / Double(attempts),
            latencyMs: latency, statusCounts: statuses, errors: errors, bytesRead: bytesRead,
            bytesWritten: bytesWritten,
            reconnects: reconnects, connectionsOpened: connectionsOpened, lateSends: lateSends, unsent: unsent,
            unfinished: unfinished,
            generatorCpu: .init(
                userS: Double(cpuUserMicros) / 1e6, systemS: Double(cpuSystemMicros) / 1e6,
                percentOfOneCore: elapsed > 0 ? cpuTotal / 1e6 / max(elapsed + warmup, 1e-9) * 100 : 0,
                microsPerRequest: attempts > 0 ? cpuTotal / Double(attempts) : 0),
            timeline: Array(seconds.prefix(lastBusy + 1)), percentileCurve: curve, tlsFailure: tlsFailure,
            parseFailure: parseFailure)
    }

    /// Rounds of the same URL added together: counts sum, elapsed times add, timelines follow each other (each
    /// round's measured seconds, without the spare buckets after them), and the first 429 is counted in the
    /// measured time of the rounds before it.
    mutating func append(round other: RunMeasurement) {
        let elapsed = elapsedNanos + other.elapsedNanos
        // The seconds this round's send window covered (the later ones are spare buckets).
        let spanned = self.timeline.prefix { $0.spanNanos > 0 }.count
        let timeline = Array(self.timeline.prefix(spanned)) + other.timeline
        let histograms = secondHistograms.appending(other.secondHistograms, after: spanned)
        // Before a 429 of a later round come all responses of the earlier rounds without one.
        let before = first429Nanos != nil ? beforeFirst429 : completed + other.beforeFirst429
        let first429 = first429Nanos ?? other.first429Nanos.map { elapsedNanos + $0 }
        merge(other)
        beforeFirst429 = before
        first429Nanos = first429
        elapsedNanos = elapsed
        self.timeline = timeline
        secondHistograms = histograms
    }
}
