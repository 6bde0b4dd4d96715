import ArgumentParser
import BackendCore
import Foundation
import LoadTest
import LocustWorker

struct LoadTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load-test",
        abstract:
            "HTTP/1.1 load test: closed model (--concurrency) or open model (--rate); compare two URLs or a baseline.",
        discussion: """
            load-test URL --concurrency 50 --duration 30
            load-test URL1 URL2 --compare --concurrency 50 --duration 30   (interleaved A B A B)
            load-test URL --compare baseline.json                          (against a saved --save-baseline file)
            load-test https://127.0.0.1:8443/ -k                            (https, certificate not verified)
            load-test [URL] --locust-master HOST[:PORT]                     (a worker of a Locust master)
            load-test --print-locust-plugin > senior_backend_locust.py      (the master's plugin: locust -f it)
            A person may target any host; the caps on duration (SENIOR_BACKEND_LOAD_MAX_DURATION, default 60 s) and \
            concurrency (SENIOR_BACKEND_LOAD_MAX_CONCURRENCY, default 256) still hold. Exit status: 0 passed, 1 an \
            expectation, threshold or comparison failed or not one request got a valid response, 2 bad input, \
            refused, or nothing could be reached.
            """
    )

    @Argument(help: "The URL, then optionally a second URL (with --compare) or the baseline file (after --compare).")
    var targets: [String] = []

    @Option(help: "Connections (closed model: default 10; open model: default 64).") var concurrency: Int?
    @Option(help: "Measured seconds after warmup (default 10 unless --requests).") var duration: Double?
    @Option(help: "Total requests, warmup included.") var requests: Int?
    @Option(help: "Requests per second: open model, latency from the intended send time.") var rate: Double?
    @Option(help: "HTTP method (default GET, POST with a body).") var method: String?
    // -H as in wrk and curl.
    @Option(name: [.customLong("header"), .customShort("H")], help: "A header 'Name: value' (repeatable).")
    var headers: [String] = []
    @Option(help: "Request body (Content-Type defaults to application/json for JSON).") var body: String?
    @Option(help: "File whose bytes are the request body.") var bodyFile: String?
    @Option(help: "Seconds before one request counts as a timeout (default 10).") var timeout: Double?
    @Option(help: "Seconds of traffic not counted at the start.") var warmup: Double?
    @Flag(help: "Compare: two URLs interleaved, or the URL against a baseline file given after the URL.")
    var compare = false
    @Option(help: "Write this run's figures as a baseline file.") var saveBaseline: String?
    @Option(help: "Every response must have this status code.") var expectStatus: Int?
    @Flag(help: "Pass only when the server answers 429 (rate limiting).") var expectRateLimit = false
    @Option(help: "Fail when p99 is over this many milliseconds.") var maxP99Ms: Double?
    @Option(help: "Fail when the error rate (transport errors + 5xx) is over this fraction.") var maxErrorRate: Double?
    @Option(help: "Noise threshold for comparisons, percent (default 5).") var noiseThreshold: Double?
    @Option(help: "Folder for load-test.json and load-test.html.") var output: String?
    @Flag(name: [.customShort("k"), .long], help: "https: skip certificate verification (self-signed test servers).")
    var insecure = false
    @Option(
        help: ArgumentHelp(
            "Run as a worker of this Locust master (HOST[:PORT], port 5557 by default): users become connections.",
            valueName: "host[:port]"))
    var locustMaster: String?
    @Option(help: "Worker: seconds without a heartbeat from the master before the traffic stops (default 3).")
    var locustHeartbeatTimeout: Double = 3
    @Option(help: "Worker: seconds to wait for the master to acknowledge us (default 30).")
    var locustConnectTimeout: Double = 30
    @Flag(help: "Print the master-side Locust plugin (merges our workers' exact percentiles) and exit.")
    var printLocustPlugin = false
    @OptionGroup var report: ReportOptions

    func validate() throws {
        if printLocustPlugin { return }
        if locustMaster != nil {
            guard targets.count <= 1 else {
                throw ValidationError("a Locust worker loads one URL (or the master's --host when none is given)")
            }
            let unused: [(String, Bool)] = [
                ("--compare", compare), ("--duration", duration != nil), ("--requests", requests != nil),
                ("--rate", rate != nil), ("--warmup", warmup != nil), ("--save-baseline", saveBaseline != nil),
                ("--expect-status", expectStatus != nil), ("--expect-rate-limit", expectRateLimit),
                ("--max-p99-ms", maxP99Ms != nil), ("--max-error-rate", maxErrorRate != nil),
                ("--noise-threshold", noiseThreshold != nil), ("--output", output != nil),
                ("--concurrency", concurrency != nil),
            ]
            let given = unused.filter { $0.1 }.map { $0.0 }
            guard given.isEmpty else {
                throw ValidationError(
                    "\(given.joined(separator: ", ")) cannot be used with --locust-master: the master sets the users and the run time (-u, -r, -t), and its plugin writes the report (--senior-backend-report)"
                )
            }
            return
        }
        guard (1...2).contains(targets.count) else {
            throw ValidationError("give one URL, or two with --compare (a second URL or a baseline file)")
        }
        if targets.count == 2 && !compare {
            throw ValidationError("a second URL (or baseline file) needs --compare")
        }
    }

    /// The request the MCP tool would get for these arguments.
    func makeRequest() throws -> LoadTestRequest {
        var request = LoadTestRequest(url: targets[0])
        if targets.count == 2 {
            if targets[1].contains("://") {
                request.compareUrl = targets[1]
            } else {
                request.baseline = targets[1]
            }
        } else if compare {
            throw ValidationError(
                "--compare needs a second URL or a baseline file: load-test URL --compare baseline.json")
        }
        request.method = method
        request.headers = headers.isEmpty ? nil : headers
        request.body = body
        request.bodyFile = bodyFile
        request.concurrency = concurrency
        request.duration = duration
        request.requests = requests
        request.rate = rate
        request.warmup = warmup
        request.timeout = timeout
        request.saveBaseline = saveBaseline
        request.expectStatus = expectStatus
        request.expectRateLimit = expectRateLimit ? true : nil
        request.maxP99Ms = maxP99Ms
        request.maxErrorRate = maxErrorRate
        request.noiseThreshold = noiseThreshold
        request.output = output
        request.insecure = insecure ? true : nil
        return request
    }

    func run() async throws {
        for header in headers {
            // Secrets given on the command line are masked in every line printed from here on.
            if let colon = header.firstIndex(of: ":") {
                let value = header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                let name = header[..<colon].lowercased()
                if ["authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "x-auth-token"].contains(
                    name)
                {
                    SecretRedactor.register(value)
                }
            }
        }
        if printLocustPlugin {
            print(LocustPlugin.source, terminator: "")
            return
        }
        let environment = ProcessInfo.processInfo.environment
        if let master = locustMaster { return try await runWorker(master: master, environment: environment) }
        let request = try makeRequest()
        let live = isatty(2) == 1
        let result: LoadTestResult
        do {
            let limits = try LoadLimits.from(environment: environment, restrictHosts: false)
            result = try await LoadTester(limits: limits).run(request) { progress in
                guard live else { return }
                let line = String(
                    format: "\r%5.1f/%.0f s  %d responses  %d errors ", progress.elapsedSeconds,
                    progress.plannedSeconds, progress.completed, progress.errors)
                FileHandle.standardError.write(Data(line.utf8))
            }
            if live { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        } catch let error as BackendError {
            CommandOutput.printError(error)
            throw ExitCode(error.exitCode)
        }
        try CommandOutput.emit(result, digest: result.digest, json: report.json)
        if result.status == "unreachable" { throw ExitCode(2) }
        if !result.passed { throw ExitCode(1) }
    }

    /// A worker of a Locust master: joins it, loads what it asks, leaves when it quits or is lost.
    func runWorker(master: String, environment: [String: String]) async throws {
        var request = LoadTestRequest(url: targets.first ?? "")
        request.method = method
        request.headers = headers.isEmpty ? nil : headers
        request.body = body
        request.bodyFile = bodyFile
        request.timeout = timeout
        request.insecure = insecure ? true : nil
        let stopSignal = StopSignal()
        // SIGINT and SIGTERM leave the master cleanly (a quit message) instead of killing the traffic mid-report.
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stopSignal.stop() }
            source.resume()
            return source
        }
        defer { for source in sources { source.cancel() } }
        let result: LocustWorkerResult
        do {
            let limits = try LoadLimits.from(environment: environment, restrictHosts: false)
            let options = LocustWorkerSession.Options(
                master: master, request: request, limits: limits, heartbeatTimeout: locustHeartbeatTimeout,
                connectTimeout: locustConnectTimeout)
            let worker = try LocustWorkerSession(options: options, stopSignal: stopSignal) { line in
                FileHandle.standardError.write(Data("locust worker: \(line)\n".utf8))
            }
            // The protocol loop blocks: it runs on a thread of its own, not on the cooperative pool.
            result = try await withCheckedThrowingContinuation { continuation in
                let thread = Thread { continuation.resume(with: Result { try worker.run() }) }
                thread.start()
            }
        } catch let error as BackendError {
            CommandOutput.printError(error)
            throw ExitCode(error.exitCode)
        }
        if !result.passed { CommandOutput.printError(BackendError(.failed, result.reason)) }
        try CommandOutput.emit(result, digest: result.digest, json: report.json)
        if !result.passed { throw ExitCode(1) }
    }
}
