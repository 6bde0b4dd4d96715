/// Input of `load_test` (schema: `schemas/load_test.input.json`); the CLI fills the same fields.
public struct LoadTestRequest: Codable, Sendable, Equatable {
    /// The target, `http(s)://host[:port]/path?query`.
    public var url: String
    /// A second URL run interleaved with the first (A B A B) and compared with it.
    public var compareUrl: String?
    /// A `baseline.json` written by `save_baseline`, to compare this run against.
    public var baseline: String?
    /// Where to write this run's figures as a baseline.
    public var saveBaseline: String?
    public var method: String?
    /// Header lines, `Name: value`.
    public var headers: [String]?
    public var body: String?
    public var bodyFile: String?
    /// Connections (closed model: each sends when the previous reply arrived; open model: the pool).
    public var concurrency: Int?
    /// Seconds of measured traffic (after warmup).
    public var duration: Double?
    /// Total requests to send (warmup included); the run ends when they are answered.
    public var requests: Int?
    /// Requests per second: the open model, latency from the intended send time.
    public var rate: Double?
    public var warmup: Double?
    /// Seconds one request may take before it counts as a timeout.
    public var timeout: Double?
    public var expectStatus: Int?
    public var expectRateLimit: Bool?
    public var maxP99Ms: Double?
    public var maxErrorRate: Double?
    /// Relative change, in percent, under which a compared metric counts as noise.
    public var noiseThreshold: Double?
    /// Folder for `load-test.json` and `load-test.html`.
    public var output: String?
    /// https: skip certificate verification (off by default).
    public var insecure: Bool?

    public init(url: String) { self.url = url }

    enum CodingKeys: String, CodingKey {
        case url
        case compareUrl = "compare_url"
        case baseline
        case saveBaseline = "save_baseline"
        case method, headers, body
        case bodyFile = "body_file"
        case concurrency, duration, requests, rate, warmup, timeout
        case expectStatus = "expect_status"
        case expectRateLimit = "expect_rate_limit"
        case maxP99Ms = "max_p99_ms"
        case maxErrorRate = "max_error_rate"
        case noiseThreshold = "noise_threshold"
        case output, insecure
    }
}
