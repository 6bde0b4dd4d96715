import BackendCore
import Foundation
import LoadTest

/// What one worker did between joining the master and leaving it (`load-test --locust-master ... --json`).
public struct LocustWorkerResult: Codable, Sendable {
    /// False when the worker left because it lost the master or was interrupted.
    public var passed: Bool
    /// `quit` (the master ended the test), `master_lost` (no heartbeat from the master), `interrupted` (a signal).
    public var status: String
    public var master: String
    public var nodeID: String
    /// The URL loaded (ours, or the master's host); absent when no test was started.
    public var target: String?
    public var method: String?
    /// Why the worker stopped, in words.
    public var reason: String
    /// Requests reported to the master in `stats` messages (responses plus requests without one).
    public var requestsReported: Int
    /// Tests the master started (spawn messages that started traffic).
    public var spawns: Int
    /// Every response and error of the whole time, as a single-machine run reports them (no timeline).
    public var metrics: LoadTestResult.Metrics
    /// The whole latency histogram, in the format of the `senior_backend_hdr` entry of our stats messages.
    public var histogram: HistogramExport
    public var nextStep: String

    enum CodingKeys: String, CodingKey {
        case passed, status, master
        case nodeID = "node_id"
        case target, method, reason
        case requestsReported = "requests_reported"
        case spawns, metrics, histogram
        case nextStep = "next_step"
    }

    /// A latency histogram in microseconds: its non-empty buckets and the exact lowest and highest values.
    public struct HistogramExport: Codable, Sendable, Equatable {
        public var format: String
        public var unit: String
        public var count: Int
        public var min: UInt64?
        public var max: UInt64?
        /// `[lowest, highest, count]` per bucket, lowest first.
        public var buckets: [[UInt64]]

        init(_ interval: LiveInterval) {
            format = LocustReport.histogramFormat
            unit = "us"
            count = interval.responses
            min = interval.minMicros
            max = interval.maxMicros
            buckets = interval.buckets.map { [$0.lowest, $0.highest, $0.count] }
        }
    }

    public var digest: Digest {
        var digest = Digest(
            passed
                ? "Locust worker \(nodeID): the master ended the test"
                : "Locust worker \(nodeID) stopped: \(status == "master_lost" ? "lost the master" : status)")
        digest.add(reason)
        let latency = metrics.latencyMs
        digest.add(
            "\(metrics.requests) responses, \(metrics.failed) requests without a response, \(requestsReported) requests reported to the master at \(master)"
                + (target.map { " (\(method ?? "GET") \($0))" } ?? "") + ".")
        if metrics.requests > 0 {
            digest.add(
                String(
                    format: "Latency p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; generator CPU %.2f s.",
                    latency.p50, latency.p99, latency.p99_9, latency.max,
                    metrics.generatorCpu.userS + metrics.generatorCpu.systemS))
        }
        digest.next(nextStep)
        return digest
    }
}
