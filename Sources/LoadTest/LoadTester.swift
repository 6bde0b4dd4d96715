import BackendCore
import Foundation
import NIOCore

/// A saved run to compare later runs against (`save_baseline`, `baseline`).
public struct LoadBaseline: Codable, Sendable {
    public static let formatName = "senior-backend-load-baseline/1"
    public var format: String
    public var target: String
    public var method: String
    public var settings: LoadTestResult.Settings
    public var metrics: LoadTestResult.Metrics
}

/// The `load_test` tool: validates, enforces the safety limits, runs, compares, checks expectations.
public struct LoadTester: Sendable {
    public static let defaultNoiseThreshold = 5.0
    public static let jsonReportName = "load-test.json"
    public static let htmlReportName = "load-test.html"

    public let limits: LoadLimits

    public init(limits: LoadLimits) { self.limits = limits }

    public func run(
        _ request: LoadTestRequest, progress: (@Sendable (LoadProgress) -> Void)? = nil
    ) async throws -> LoadTestResult {
        if request.compareUrl != nil && request.baseline != nil {
            throw BackendError.invalidInput("give compare_url (two URLs) or baseline (a saved run), not both")
        }
        if let rate = request.maxErrorRate, !(0...1).contains(rate) {
            throw BackendError.invalidInput("max_error_rate is a fraction from 0 to 1 (0.01 = 1%)")
        }
        if let p99 = request.maxP99Ms, !(p99 > 0) { throw BackendError.invalidInput("max_p99_ms must be above 0") }
        if let status = request.expectStatus, !(100...599).contains(status) {
            throw BackendError.invalidInput("expect_status must be an HTTP status code from 100 to 599")
        }
        let threshold = request.noiseThreshold ?? Self.defaultNoiseThreshold
        guard threshold > 0, threshold <= 1000 else {
            throw BackendError.invalidInput("noise_threshold is a percentage above 0 (default 5)")
        }
        let plan = try LoadPlan.make(request, url: request.url, limits: limits)
        let comparePlan = try request.compareUrl.map { url throws(BackendError) in
            try LoadPlan.make(request, url: url, limits: limits)
        }
        // Refused before anything is resolved or sent when the compare's rounds do not fit the cap.
        let rounds = comparePlan == nil ? [] : try Self.interleavedRounds(plan, limits: limits)
        let baseline = try request.baseline.map { path throws(BackendError) in try Self.loadBaseline(path) }
        try Self.checkDestinations(request)
        let endpoint = try await resolve(plan)
        var compareEndpoint: Endpoint?
        if let comparePlan { compareEndpoint = try await resolve(comparePlan) }

        var measured: RunMeasurement
        var compared: RunMeasurement?
        var warmups = 1.0
        if let comparePlan, let compareEndpoint {
            warmups = Double(rounds.count)
            // Progress keeps rising across the rounds.
            let roundSeconds = plan.warmup + rounds[0].duration
            let planned = Double(2 * rounds.count) * roundSeconds
            func report(_ round: Int) -> (@Sendable (LoadProgress) -> Void)? {
                guard let progress else { return nil }
                return { step in
                    var step = step
                    step.elapsedSeconds += Double(round) * roundSeconds
                    step.plannedSeconds = planned
                    progress(step)
                }
            }
            var a = RunMeasurement()
            var b = RunMeasurement()
            for (index, round) in rounds.enumerated() {
                a.append(
                    round: try await LoadEngine.run(plan.slice(round), endpoint: endpoint, progress: report(2 * index)))
                b.append(
                    round: try await LoadEngine.run(
                        comparePlan.slice(round), endpoint: compareEndpoint, progress: report(2 * index + 1)))
            }
            measured = a
            compared = b
        } else {
            measured = try await LoadEngine.run(plan, endpoint: endpoint, progress: progress)
        }
        let metrics = measured.metrics(warmup: warmups * plan.warmup)
        let compareMetrics = compared?.metrics(warmup: warmups * plan.warmup)
        let settings = LoadTestResult.Settings(
            concurrency: plan.concurrency, threads: plan.threads, durationS: plan.durationGiven ? plan.duration : nil,
            requests: plan.requests, rate: plan.rate, warmupS: plan.warmup, timeoutS: plan.timeout)

        var comparison: LoadTestResult.Comparison?
        if let compareMetrics, let comparePlan {
            comparison = Self.compare(
                baseline: metrics, candidate: compareMetrics, thresholdPercent: threshold, kind: "two_urls",
                baselineLabel: plan.target.display, candidateLabel: comparePlan.target.display)
        } else if let baseline, let path = request.baseline {
            comparison = Self.compare(
                baseline: baseline.metrics, candidate: metrics, thresholdPercent: threshold, kind: "baseline",
                baselineLabel: "baseline \(path) (\(baseline.target))", candidateLabel: plan.target.display)
            comparison?.noteSettingDifferences(
                Self.settingDifferences(baseline, method: plan.method, settings: settings))
        }

        // Expectations look at every response of the run (both URLs when two are compared).
        var all = metrics
        if let compareMetrics { all = Self.combined(metrics, compareMetrics) }
        var expectations: [LoadTestResult.Expectation] = []
        var rateLimit: LoadTestResult.RateLimitReport?
        if let status = request.expectStatus { expectations.append(Self.expectStatus(status, all)) }
        var sides = [(target: plan.target.display, measurement: measured)]
        if let comparePlan, let compared { sides.append((comparePlan.target.display, compared)) }
        if request.expectRateLimit == true || sides.contains(where: { $0.measurement.first429Nanos != nil }) {
            rateLimit = Self.rateLimitReport(sides, all, warmup: plan.warmup)
        }
        if request.expectRateLimit == true, let rateLimit {
            expectations.append(
                .init(
                    name: "expect_rate_limit", passed: rateLimit.limited,
                    detail: rateLimit.limited
                        ? "the server limited: \(rateLimit.count429) responses were 429 (\(percent(rateLimit.share)))"
                            + (rateLimit.firstAfterS.map { ", the first \(String(format: "%.3f", $0)) s into the run" }
                                ?? "")
                            + (rateLimit.requestsBeforeFirst.map { " after \($0) other responses" } ?? "")
                            + (compared != nil ? rateLimit.firstTarget.map { " from \($0)" } ?? "" : "")
                            + (rateLimit.headers.isEmpty
                                ? "; no Retry-After or RateLimit headers were sent"
                                : "; headers: \(rateLimit.headers.joined(separator: "; "))")
                        : "the server never answered 429 in \(all.requests) responses: it does not rate limit at this load"
                ))
        }
        if let limit = request.maxP99Ms {
            let passed = all.requests > 0 && all.latencyMs.p99 <= limit
            expectations.append(
                .init(
                    name: "max_p99_ms", passed: passed,
                    detail: all.requests == 0
                        ? "no responses, so no p99"
                        : "p99 \(ms(all.latencyMs.p99)) \(passed ? "is within" : "is over") the limit of \(ms(limit))"))
        }
        if let limit = request.maxErrorRate {
            let passed = all.errorRate <= limit && (all.requests + all.failed) > 0
            expectations.append(
                .init(
                    name: "max_error_rate", passed: passed,
                    detail:
                        "error rate \(percent(all.errorRate)) \(passed ? "is within" : "is over") the limit of \(percent(limit))"
                ))
        }
        // Unreachable: no connection could be made (refused, or still connecting when the run ended), or none got
        // through its TLS handshake; nothing was tested, so nothing passed.
        let noConnection = !measured.connectedOnce && !(compared?.connectedOnce ?? false)
        let noHandshake = all.requests == 0 && all.errors.tls > 0
        let unreachable = noConnection || noHandshake
        let regressions = comparison?.regressions ?? []
        // Connected, but not one reply in the measured window was a valid response (all broken, reset, late or
        // still out): nothing about the server was measured, so the run fails whatever the thresholds say.
        let unanswered = !unreachable && (metrics.requests == 0 || compareMetrics?.requests == 0)
        let passed = expectations.allSatisfy(\.passed) && regressions.isEmpty && !unreachable && !unanswered

        var result = LoadTestResult(
            passed: passed, status: unreachable ? "unreachable" : (passed ? "passed" : "failed"),
            model: plan.model.rawValue, target: plan.target.display, method: plan.method, headers: plan.headerLines,
            settings: settings, metrics: metrics, compareTarget: comparePlan?.target.display,
            compareMetrics: compareMetrics, comparison: comparison, expectations: expectations, rateLimit: rateLimit,
            files: [], nextStep: "")
        result.nextStep = Self.nextStep(result)
        if let path = request.saveBaseline {
            let saved = LoadBaseline(
                format: LoadBaseline.formatName, target: plan.target.display, method: plan.method, settings: settings,
                metrics: metrics)
            try Self.write(saved, to: path)
            result.files.append(path)
        }
        if let folder = request.output {
            let (json, html) = Self.reportFiles(in: folder)
            result.files += [json, html]
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw BackendError(.failed, "cannot create output folder '\(folder)': \(error.localizedDescription)")
            }
            try Self.write(result, to: json)
            try Self.writeText(HTMLReport.render(result), to: html)
        }
        return result
    }

    // MARK: comparison

    /// The rounds of a two-URL compare, each run for A then for B (A B A B): together they give each URL the
    /// plan's duration (or requests), and all of them, each with its warmup, fit in the duration cap.
    static func interleavedRounds(_ plan: LoadPlan, limits: LoadLimits) throws(BackendError) -> [LoadPlan.Round] {
        if plan.durationGiven {
            let total = 2 * plan.duration + 4 * plan.warmup
            guard total <= limits.maxDuration else {
                throw BackendError(
                    .refused,
                    "a two-URL compare runs four rounds (A B A B) of duration/2 = \(format(plan.duration / 2)) s, each after a warmup of \(format(plan.warmup)) s: \(format(total)) s in all, over the cap of \(format(limits.maxDuration)) s; shorten duration or warmup, or raise \(LoadLimits.maxDurationVariable)"
                )
            }
            return [
                .init(duration: plan.duration / 2, requests: nil), .init(duration: plan.duration / 2, requests: nil),
            ]
        }
        // A request-count run: ceil(r/2) then floor(r/2) requests per URL (one round when r is 1), each round
        // limited to its share of the cap.
        let requests = plan.requests ?? 1
        let shares = [(requests + 1) / 2, requests / 2].filter { $0 > 0 }
        let roundLimit = limits.maxDuration / Double(2 * shares.count) - plan.warmup
        guard roundLimit > 0 else {
            throw BackendError(
                .refused,
                "a two-URL compare runs \(2 * shares.count) rounds, each after a warmup of \(format(plan.warmup)) s: over the cap of \(format(limits.maxDuration)) s; shorten warmup or raise \(LoadLimits.maxDurationVariable)"
            )
        }
        return shares.map { .init(duration: roundLimit, requests: $0) }
    }

    /// Settings of this run that differ from the baseline's, in words ("concurrency 50 -> 10"): such a comparison
    /// is not like for like.
    static func settingDifferences(
        _ baseline: LoadBaseline, method: String, settings: LoadTestResult.Settings
    ) -> [String] {
        let saved = baseline.settings
        let pairs: [(String, String, String)] = [
            ("method", baseline.method, method),
            ("concurrency", "\(saved.concurrency)", "\(settings.concurrency)"),
            (
                "rate", saved.rate.map { format($0) } ?? "none (closed model)",
                settings.rate.map { format($0) } ?? "none (closed model)"
            ),
            ("warmup_s", format(saved.warmupS), format(settings.warmupS)),
        ]
        return pairs.filter { $0.1 != $0.2 }.map { "\($0.0) \($0.1) -> \($0.2)" }
    }

    /// Compares `candidate` with `baseline`: throughput higher is better, latency and errors lower is better.
    public static func compare(
        baseline: LoadTestResult.Metrics, candidate: LoadTestResult.Metrics, thresholdPercent: Double, kind: String,
        baselineLabel: String, candidateLabel: String
    ) -> LoadTestResult.Comparison {
        let rows: [(String, String, Double, Double, Bool)] = [
            ("requests_per_second", "req/s", baseline.requestsPerSecond, candidate.requestsPerSecond, true),
            ("p50", "ms", baseline.latencyMs.p50, candidate.latencyMs.p50, false),
            ("p75", "ms", baseline.latencyMs.p75, candidate.latencyMs.p75, false),
            ("p90", "ms", baseline.latencyMs.p90, candidate.latencyMs.p90, false),
            ("p95", "ms", baseline.latencyMs.p95, candidate.latencyMs.p95, false),
            ("p99", "ms", baseline.latencyMs.p99, candidate.latencyMs.p99, false),
            ("p99_9", "ms", baseline.latencyMs.p99_9, candidate.latencyMs.p99_9, false),
            ("error_rate", "fraction", baseline.errorRate, candidate.errorRate, false),
        ]
        var changes: [LoadTestResult.MetricChange] = []
        for (name, unit, before, after, higherIsBetter) in rows {
            let change: Double? = before != 0 ? (after - before) / abs(before) * 100 : nil
            let direction: String
            if after == before {
                direction = "same"
            } else {
                direction = (after > before) == higherIsBetter ? "better" : "worse"
            }
            var beyond: Bool
            if let change {
                beyond = abs(change) > thresholdPercent
            } else {
                beyond = after != before
            }
            // An error rate moving by less than 0.1 percentage point is noise whatever its relative change.
            if name == "error_rate" && abs(after - before) < 0.001 { beyond = false }
            let figures = "\(figure(before, unit)) -> \(figure(after, unit))"
            let summary: String
            if direction == "same" {
                summary = "\(name) unchanged at \(figure(after, unit))"
            } else if let change {
                summary =
                    "\(name) \(direction) by \(String(format: "%.1f", abs(change)))% (\(figures)), "
                    + (beyond ? "beyond" : "within") + " the \(format(thresholdPercent))% noise threshold"
            } else {
                summary = "\(name) \(direction) (\(figures))" + (beyond ? ", beyond the noise threshold" : "")
            }
            changes.append(
                .init(
                    name: name, unit: unit, baseline: before, candidate: after, changePercent: change,
                    direction: direction, beyondNoise: beyond, summary: summary))
        }
        let regressions = changes.filter { $0.direction == "worse" && $0.beyondNoise }.map(\.name)
        let improvements = changes.filter { $0.direction == "better" && $0.beyondNoise }.map(\.name)
        let verdict: String
        if !regressions.isEmpty {
            verdict =
                "\(candidateLabel) is worse than \(baselineLabel) beyond the \(format(thresholdPercent))% noise threshold on \(regressions.joined(separator: ", "))"
        } else if !improvements.isEmpty {
            verdict =
                "\(candidateLabel) is better than \(baselineLabel) on \(improvements.joined(separator: ", ")) and worse on nothing beyond noise"
        } else {
            verdict =
                "no difference beyond the \(format(thresholdPercent))% noise threshold between \(candidateLabel) and \(baselineLabel)"
        }
        return .init(
            kind: kind, baseline: baselineLabel, candidate: candidateLabel, thresholdPercent: thresholdPercent,
            metrics: changes, regressions: regressions, verdict: verdict)
    }

    static func combined(_ a: LoadTestResult.Metrics, _ b: LoadTestResult.Metrics) -> LoadTestResult.Metrics {
        var all = a
        all.requests += b.requests
        all.failed += b.failed
        all.errors.add(b.errors)
        var counts: [Int: Int] = [:]
        for entry in a.statusCounts + b.statusCounts { counts[entry.status, default: 0] += entry.count }
        all.statusCounts = counts.sorted { $0.key < $1.key }.map { .init(status: $0.key, count: $0.value) }
        let attempts = Double(a.requests + a.failed + b.requests + b.failed)
        all.errorRate =
            attempts == 0
            ? 0 : (a.errorRate * Double(a.requests + a.failed) + b.errorRate * Double(b.requests + b.failed)) / attempts
        all.latencyMs.p99 = max(a.latencyMs.p99, b.latencyMs.p99)
        return all
    }

    // MARK: expectations

    static func expectStatus(_ status: Int, _ metrics: LoadTestResult.Metrics) -> LoadTestResult.Expectation {
        let matching = metrics.count(status: status)
        let others = metrics.statusCounts.filter { $0.status != status }
        let passed = metrics.requests > 0 && others.isEmpty && metrics.failed == 0
        var detail: String
        if passed {
            detail = "all \(metrics.requests) responses were \(status)"
        } else {
            let counts = metrics.statusCounts.map { "\($0.status): \($0.count)" }.joined(separator: ", ")
            detail = "expected \(status) on every response; got \(counts.isEmpty ? "no responses" : counts)"
            if metrics.failed > 0 { detail += "; \(metrics.failed) requests failed without a response" }
            detail += " (\(matching) matched)"
        }
        return .init(name: "expect_status", passed: passed, detail: detail)
    }

    /// The 429s of every URL of the run (`all`); when the first came is told for the first URL that got one.
    static func rateLimitReport(
        _ sides: [(target: String, measurement: RunMeasurement)], _ all: LoadTestResult.Metrics, warmup: Double
    ) -> LoadTestResult.RateLimitReport {
        let count = all.count(status: 429)
        let limitedSide = sides.first { $0.measurement.first429Nanos != nil }
        let first = limitedSide?.measurement.first429Nanos.map { Double($0) / 1e9 }
        var headers: [String: String] = [:]
        for side in sides { headers.merge(side.measurement.rateLimitHeaders) { first, _ in first } }
        return .init(
            limited: count > 0, count429: count,
            share: all.requests == 0 ? 0 : Double(count) / Double(all.requests),
            firstAfterS: first.map { max(0, $0 - warmup) },
            requestsBeforeFirst: limitedSide?.measurement.beforeFirst429, firstTarget: limitedSide?.target,
            headers: headers.keys.sorted().compactMap { headers[$0] })
    }

    /// The error classes that occurred and the requests left unanswered, in words ("parse 30, unfinished 2").
    static func outcomes(_ metrics: LoadTestResult.Metrics) -> String {
        let errors = metrics.errors
        let counts = [
            ("connect", errors.connect), ("timeout", errors.timeout), ("read", errors.read), ("write", errors.write),
            ("parse", errors.parse), ("tls", errors.tls), ("unfinished", metrics.unfinished),
        ]
        let seen = counts.filter { $0.1 > 0 }.map { name, count in
            "\(name) \(count)" + (name == "parse" ? metrics.parseFailure.map { ": \($0)" } ?? "" : "")
        }
        return seen.isEmpty ? "no request completed" : seen.joined(separator: ", ")
    }

    static func nextStep(_ result: LoadTestResult) -> String {
        if result.status == "unreachable" {
            if let failure = result.metrics.tlsFailure {
                return
                    "No TLS handshake succeeded at \(result.target) (\(failure)): fix the certificate, or pass insecure for a test server you trust, then run again."
            }
            return "Nothing answered at \(result.target): start the server or fix the URL, then run again."
        }
        var sides = [(target: result.target, metrics: result.metrics)]
        if let target = result.compareTarget, let metrics = result.compareMetrics { sides.append((target, metrics)) }
        if let side = sides.first(where: { $0.metrics.requests == 0 }) {
            // A TLS server asked in plain HTTP often just closes the connection.
            let closedOnly = side.metrics.errors.read > 0 && side.metrics.errors.read == side.metrics.failed
            let hint =
                closedOnly && side.target.hasPrefix("http://")
                ? " (an https server closes like this: try https://)" : ""
            return
                "Not one request got a valid response from \(side.target) (\(Self.outcomes(side.metrics)))\(hint): look at what it sends (curl -v), then run again."
        }
        if let failed = result.expectations.first(where: { !$0.passed }) {
            return "Fix what \(failed.name) found (\(failed.detail)), then run the same load again."
        }
        if let comparison = result.comparison, !comparison.regressions.isEmpty {
            return
                "Find what made \(comparison.regressions.joined(separator: ", ")) worse (profile the slower side), then compare again."
        }
        if result.metrics.generatorCpu.percentOfOneCore > Double(result.settings.threads) * 90 {
            return
                "The generator itself was saturated: run it on a separate machine or lower the load before trusting the numbers."
        }
        if result.model == "closed" {
            return
                "Closed-model latency hides queueing; for latency goals repeat with rate (open model) at the target QPS."
        }
        return "Keep this run as a baseline (save_baseline) and compare after each change."
    }

    // MARK: files

    func resolve(_ plan: LoadPlan) async throws(BackendError) -> Endpoint {
        try await LoadEngine.resolve(
            plan.target, insecure: plan.insecure, loopbackOnly: limits.loopbackAddressesOnly(host: plan.target.host),
            timeout: plan.timeout)
    }

    static func loadBaseline(_ path: String) throws(BackendError) -> LoadBaseline {
        let data: Data
        do {
            data = try LoadPlan.readFile(path, "baseline", limit: 16 << 20, regularOnly: true)
        } catch let error where error.code == .notFound {
            throw BackendError(.notFound, "baseline '\(path)' cannot be read; write one with save_baseline first")
        }
        do {
            let value = try JSONParser.parse(Array(data))
            let baseline = try value.decode(as: LoadBaseline.self)
            guard baseline.format == LoadBaseline.formatName else {
                throw BackendError.invalidInput(
                    "baseline '\(path)' is not a load-test baseline (format \(baseline.format))")
            }
            return baseline
        } catch let error as BackendError {
            throw error
        } catch {
            throw BackendError.invalidInput("baseline '\(path)' is not a load-test baseline: \(error)")
        }
    }

    /// Checked before any traffic, so a long run does not end in a write that cannot or must not happen. The
    /// files are replaced by rename: a folder, device, pipe or link at the path would be swapped for a file, and
    /// any other file lost, so only regular files are replaced, and save_baseline replaces only a baseline.
    static func checkDestinations(_ request: LoadTestRequest) throws(BackendError) {
        if let path = request.saveBaseline {
            if try replaceable(path, "save_baseline") {
                do {
                    _ = try loadBaseline(path)
                } catch {
                    throw BackendError(
                        .refused,
                        "save_baseline '\(path)' is a file that is not a load-test baseline; choose another path or remove it first"
                    )
                }
            } else {
                let folder = (path as NSString).deletingLastPathComponent
                guard LoadPlan.fileType(folder.isEmpty ? "." : folder) == S_IFDIR else {
                    throw BackendError(.notFound, "save_baseline '\(path)': the folder '\(folder)' does not exist")
                }
            }
        }
        if let folder = request.output {
            if let type = LoadPlan.fileType(folder), type != S_IFDIR {
                throw BackendError(
                    .refused, "output '\(folder)' is not a folder; output names a folder for the reports")
            }
            let (json, html) = reportFiles(in: folder)
            _ = try replaceable(json, "output")
            _ = try replaceable(html, "output")
        }
    }

    /// The JSON and HTML reports that `output` names a folder for.
    static func reportFiles(in folder: String) -> (json: String, html: String) {
        (
            (folder as NSString).appendingPathComponent(jsonReportName),
            (folder as NSString).appendingPathComponent(htmlReportName)
        )
    }

    /// True when `path` is a regular file that may be replaced, false when nothing is there; refused otherwise.
    static func replaceable(_ path: String, _ what: String) throws(BackendError) -> Bool {
        var status = stat()
        guard lstat(path, &status) == 0 else { return false }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return true
        case S_IFLNK: throw BackendError(.refused, "\(what) '\(path)' is a symbolic link; name the file itself")
        default:
            throw BackendError(
                .refused, "\(what) '\(path)' is not a regular file (a folder, device or pipe); name a file to write")
        }
    }

    static func write(_ value: some Encodable, to path: String) throws(BackendError) {
        let json: JSONValue
        do {
            json = try JSONValue(encoding: value)
        } catch {
            throw BackendError(.failed, "cannot encode \(path): \(error)")
        }
        try writeText(JSONWriter.string(json) + "\n", to: path)
    }

    static func writeText(_ text: String, to path: String) throws(BackendError) {
        do {
            try Data(SecretRedactor.redact(text).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw BackendError(.failed, "cannot write \(path): \(error.localizedDescription)")
        }
    }
}

func ms(_ value: Double) -> String { String(format: value < 10 ? "%.2f ms" : "%.1f ms", value) }

func percent(_ fraction: Double) -> String { String(format: "%.2f%%", fraction * 100) }

func figure(_ value: Double, _ unit: String) -> String {
    switch unit {
    case "ms": ms(value)
    case "fraction": percent(value)
    default: "\(String(format: "%.0f", value)) \(unit)"
    }
}
