import BackendCore
import Foundation
import LoadTest
import Synchronization

/// Set from a signal handler: the worker leaves the master cleanly at its next turn.
public final class StopSignal: Sendable {
    let flag = Atomic<Bool>(false)
    public init() {}
    public func stop() { flag.store(true, ordering: .relaxed) }
    var stopped: Bool { flag.load(ordering: .relaxed) }
}

/// Our load engine as a worker of a Locust master (`locust/runners.py`, `WorkerRunner`): `client_ready`, then
/// `spawn` (users become connections of the closed model), `stop`, `quit`, `reconnect`, heartbeats both ways,
/// and a `stats` message every 3 s in Locust's format, our exact histogram inside.
///
/// One thread runs the protocol (ZeroMQ sockets are single-threaded); the traffic runs on the engine's loops.
/// `@unchecked Sendable`: it is made on one thread and handed to the protocol thread, which alone uses it.
public final class LocustWorkerSession: @unchecked Sendable {
    /// The Locust version sent in `client_ready`: a master of another minor version logs a warning, no more.
    public static let locustVersion = "2.47.0"
    public static let defaultPort = 5557
    static let heartbeatInterval = 1.0
    static let reportInterval = 3.0
    /// `client_ready` is sent again this often until the master acknowledges it (as Locust's worker does).
    static let readyInterval = 5.0

    public struct Options: Sendable {
        /// `HOST[:PORT]` of the master (port 5557 by default).
        public var master: String
        /// The request options; an empty `url` loads the master's `--host`.
        public var request: LoadTestRequest
        public var limits: LoadLimits
        /// Seconds without a heartbeat from the master before the traffic stops and the worker exits.
        public var heartbeatTimeout: Double
        /// Seconds to wait for the master's `ack` of `client_ready`.
        public var connectTimeout: Double

        public init(
            master: String, request: LoadTestRequest, limits: LoadLimits, heartbeatTimeout: Double = 3,
            connectTimeout: Double = 30
        ) {
            self.master = master
            self.request = request
            self.limits = limits
            self.heartbeatTimeout = heartbeatTimeout
            self.connectTimeout = connectTimeout
        }
    }

    let options: Options
    let endpoint: String
    let nodeID: String
    let stopSignal: StopSignal
    let log: @Sendable (String) -> Void
    var dealer: ZMQDealer

    var acknowledged = false
    var heardHeartbeat = false
    var warnedNoHeartbeat = false
    var state = "ready"
    var live: LiveLoad?
    var liveStart = 0.0
    var runningSeconds = 0.0
    var capNoticed = false
    var report: LocustReport?
    var userClassesCount: [(String, Int)] = []
    var lastSpawnTimestamp = -Double.infinity
    /// Measured but not yet reported (the end of a run stopped by a new spawn or a stop).
    var pending = LiveInterval()
    var total = LiveInterval()
    var requestsReported = 0
    var spawns = 0
    var lastReport = Date().timeIntervalSince1970
    var cpuMark = ProcessUsage.now()

    /// Checks the options and resolves the master; nothing is sent until `run`.
    public init(
        options: Options, stopSignal: StopSignal, log: @escaping @Sendable (String) -> Void
    ) throws(BackendError) {
        guard options.heartbeatTimeout >= 2, options.heartbeatTimeout <= 600 else {
            throw BackendError.invalidInput("the master heartbeat timeout must be from 2 to 600 seconds")
        }
        guard options.connectTimeout > 0, options.connectTimeout <= 3600 else {
            throw BackendError.invalidInput("the master connect timeout must be above 0 and at most 3600 seconds")
        }
        // The request options are checked now, against any URL, so a bad header fails before joining.
        var probe = options.request
        if probe.url.isEmpty { probe.url = "http://127.0.0.1/" }
        probe.concurrency = 1
        probe.duration = options.limits.maxDuration
        _ = try LoadPlan.make(probe, url: probe.url, limits: options.limits)
        self.options = options
        self.endpoint = try LocustWorkerSession.endpoint(options.master)
        self.nodeID =
            "\(ProcessInfo.processInfo.hostName)_senior-backend_\(UUID().uuidString.lowercased().filter { $0 != "-" })"
        self.stopSignal = stopSignal
        self.log = log
        self.dealer = try ZMQDealer(endpoint: endpoint, identity: nodeID)
    }

    /// `HOST[:PORT]` or `[IPv6]:PORT` -> `tcp://address:port`, resolved here so a wrong name is a clear error.
    static func endpoint(_ master: String) throws(BackendError) -> String {
        var text = master.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("tcp://") { text.removeFirst(6) }
        var host = text
        var port = defaultPort
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw BackendError.invalidInput("--locust-master '\(master)': unclosed [ in an IPv6 address")
            }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let value = Int(rest.dropFirst()), (1...65535).contains(value) else {
                    throw BackendError.invalidInput("--locust-master '\(master)': the port must be from 1 to 65535")
                }
                port = value
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            guard let value = Int(text[text.index(after: colon)...]), (1...65535).contains(value) else {
                throw BackendError.invalidInput("--locust-master '\(master)': the port must be from 1 to 65535")
            }
            port = value
        }
        guard !host.isEmpty,
            host.unicodeScalars.allSatisfy({
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-._:".unicodeScalars.contains($0))
            })
        else {
            throw BackendError.invalidInput("--locust-master '\(master)': write HOST[:PORT] (port 5557 by default)")
        }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw BackendError(.unreachable, "--locust-master '\(master)': the host '\(host)' does not resolve")
        }
        defer { freeaddrinfo(list) }
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard
            getnameinfo(
                first.pointee.ai_addr, first.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0,
                NI_NUMERICHOST) == 0
        else {
            throw BackendError(.unreachable, "--locust-master '\(master)': the host '\(host)' does not resolve")
        }
        let address = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return address.contains(":") ? "tcp://[\(address)]:\(port)" : "tcp://\(address):\(port)"
    }

    // MARK: the protocol loop

    /// Joins the master and works until it quits, is lost, or a signal stops us. Errors of the master's side
    /// (garbage, no answer) stop any traffic first, then are thrown.
    public func run() throws(BackendError) -> LocustWorkerResult {
        do {
            let result = try work()
            // The final report and quit go out before the socket closes; a lost master gets no wait.
            dealer.close(lingerMillis: result.status == "master_lost" ? 0 : 2000)
            return result
        } catch {
            stopTraffic()
            // A master that acknowledged us is told we leave, so it does not wait for this worker.
            if acknowledged { send("quit", .nil_) }
            dealer.close(lingerMillis: acknowledged ? 1000 : 0)
            throw error
        }
    }

    func work() throws(BackendError) -> LocustWorkerResult {
        let started = Date().timeIntervalSince1970
        var lastReady = started
        var lastMasterHeartbeat = started
        var nextHeartbeat = started
        var nextReport = started + Self.reportInterval
        send("client_ready", .string(Self.locustVersion))
        log("joining the Locust master at \(options.master) as \(nodeID)")
        while true {
            let now = Date().timeIntervalSince1970
            if stopSignal.stopped {
                sendReport(final: true)
                send("quit", .nil_)
                return finish(
                    "interrupted", reason: "interrupted by a signal: told the master we quit; traffic stopped")
            }
            if !acknowledged {
                if now - started > options.connectTimeout {
                    throw BackendError(
                        .unreachable,
                        "no Locust master answered at \(options.master) (\(endpoint)) within \(format(options.connectTimeout)) s: start `locust --master` there (port 5557 by default) or fix the address"
                    )
                }
                if now - lastReady >= Self.readyInterval {
                    send("client_ready", .string(Self.locustVersion))
                    lastReady = now
                }
            } else if !heardHeartbeat {
                // Masters before Locust 2.19 send workers no heartbeats: then a lost master cannot be noticed.
                if !warnedNoHeartbeat && now - lastMasterHeartbeat > options.heartbeatTimeout {
                    warnedNoHeartbeat = true
                    log(
                        "the master sends no heartbeats (Locust before 2.19?): if it goes away, this worker will not notice; stop it by hand"
                    )
                }
            } else if now - lastMasterHeartbeat > options.heartbeatTimeout {
                let silent = now - lastMasterHeartbeat
                _ = stopTraffic()
                return finish(
                    "master_lost",
                    reason:
                        "lost the Locust master at \(options.master): no heartbeat for \(String(format: "%.1f", silent)) s (limit \(format(options.heartbeatTimeout)) s); traffic stopped"
                )
            }
            if now >= nextHeartbeat {
                sendHeartbeat(now: now)
                nextHeartbeat = now + Self.heartbeatInterval
            }
            if now >= nextReport {
                if acknowledged { sendReport(final: false) }
                nextReport = now + Self.reportInterval
            }
            if let live, !capNoticed, live.finished {
                capNoticed = true
                log(
                    "traffic stopped: the duration cap of \(format(options.limits.maxDuration)) s was reached (\(LoadLimits.maxDurationVariable) raises it)"
                )
            }
            let wait = max(0, min(nextHeartbeat, nextReport, now + 0.2) - Date().timeIntervalSince1970)
            guard let frame = try dealer.receive(timeoutMillis: Int(wait * 1000) + 1) else { continue }
            let message = try LocustMessage.decode(frame)
            switch message.type {
            case "ack":
                if !acknowledged { log("the master acknowledged us; waiting for a test") }
                acknowledged = true
                lastMasterHeartbeat = Date().timeIntervalSince1970
            case "heartbeat":
                heardHeartbeat = true
                lastMasterHeartbeat = Date().timeIntervalSince1970
            case "spawn":
                lastMasterHeartbeat = Date().timeIntervalSince1970
                try spawn(message.data)
            case "stop":
                sendReport(final: true)
                send("client_stopped", .nil_)
                send("client_ready", .string(Self.locustVersion))
                state = "ready"
                log("the master stopped the test")
            case "quit":
                sendReport(final: true)
                return finish("quit", reason: "the master ended the test (quit)")
            case "reconnect":
                log("the master asked us to reconnect")
                dealer.close()
                dealer = try ZMQDealer(endpoint: endpoint, identity: nodeID)
                acknowledged = false
                lastReady = Date().timeIntervalSince1970
                send("client_ready", .string(Self.locustVersion))
            default:
                // update_user_class, spawning_complete, locustfile, other plugins' messages: nothing for us to do.
                break
            }
        }
    }

    /// `spawn`: the users of every class become connections (the closed model: each sends its next request
    /// when the previous reply came). Traffic restarts when the count changes.
    func spawn(_ data: MessagePack) throws(BackendError) {
        send("spawning", .nil_)
        guard case .map(let counts)? = data["user_classes_count"] else {
            throw BackendError(.failed, "the Locust master sent a spawn message without user_classes_count")
        }
        let timestamp = data["timestamp"]?.doubleValue ?? 0
        guard timestamp > lastSpawnTimestamp else { return }  // an older spawn than one already done (as Locust)
        lastSpawnTimestamp = timestamp
        var classes: [(String, Int)] = []
        for (key, value) in counts {
            guard let name = key.stringValue, let count = value.intValue, count >= 0 else {
                throw BackendError(.failed, "the Locust master sent a spawn message with a malformed user count")
            }
            classes.append((name, count))
        }
        let users = classes.reduce(0) { $0 + $1.1 }
        if users != userClassesCount.reduce(0, { $0 + $1.1 }) || live == nil {
            _ = stopTraffic()
            if users > 0 { try startTraffic(users: users, masterHost: data["host"]?.stringValue) }
        }
        userClassesCount = classes
        state = "running"
        send(
            "spawning_complete",
            .object([
                ("user_classes_count", .object(classes.map { ($0.0, .integer($0.1)) })),
                ("user_count", .integer(users)),
            ]))
    }

    func startTraffic(users: Int, masterHost: String?) throws(BackendError) {
        var request = options.request
        if request.url.isEmpty {
            guard let host = masterHost, !host.isEmpty else {
                throw BackendError.invalidInput(
                    "no URL to load: give one to load-test, or start the master with --host http://server:port")
            }
            request.url = host
        }
        let connections = min(users, options.limits.maxConcurrency)
        if connections < users {
            log(
                "the master asked for \(users) users: \(connections) connections are opened (the cap; \(LoadLimits.maxConcurrencyVariable) raises it)"
            )
        }
        request.concurrency = connections
        request.duration = options.limits.maxDuration
        request.requests = nil
        request.rate = nil
        request.warmup = nil
        let plan = try LoadPlan.make(request, url: request.url, limits: options.limits)
        report = LocustReport(
            name: plan.target.pathAndQuery, method: plan.method, target: plan.target.display, nodeID: nodeID,
            concurrency: plan.concurrency, threads: plan.threads, timeout: plan.timeout)
        live = try LiveLoad(plan: plan, limits: options.limits)
        liveStart = Date().timeIntervalSince1970
        capNoticed = false
        spawns += 1
        log("\(users) users: \(connections) connections to \(plan.target.display)")
    }

    /// Stops the traffic; what it measured since the last report waits in `pending`.
    @discardableResult
    func stopTraffic() -> Bool {
        guard let running = live else { return false }
        pending.add(running.stop())
        runningSeconds += Date().timeIntervalSince1970 - liveStart
        live = nil
        return true
    }

    // MARK: messages

    func send(_ type: String, _ data: MessagePack) {
        dealer.send(LocustMessage(type: type, data: data, nodeID: nodeID).encoded())
    }

    func sendHeartbeat(now: Double) {
        let usage = ProcessUsage.now()
        let cpu = cpuMark.percent(to: usage)
        cpuMark = usage
        send(
            "heartbeat",
            .object([
                ("state", .string(state)), ("current_cpu_usage", .double(cpu)),
                ("current_memory_usage", .integer(usage.residentBytes)),
            ]))
    }

    /// A `stats` message, then our histogram of the same requests; `final` stops the traffic first.
    func sendReport(final: Bool) {
        if final { stopTraffic() }
        var interval = pending
        pending = LiveInterval()
        if let live { interval.add(live.take()) }
        let now = Date().timeIntervalSince1970
        let start = lastReport
        lastReport = now
        guard let report else {
            send("stats", LocustReport.emptyStats(userClassesCount: userClassesCount))
            return
        }
        var data = report.stats(interval, from: start, to: now, userClassesCount: userClassesCount)
        if case .map(var pairs) = data {
            pairs.append((.string(LocustReport.histogramKey), report.histogram(interval, from: start, to: now)))
            data = .map(pairs)
        }
        send("stats", data)
        requestsReported += interval.responses + interval.errors.total
        total.add(interval)
        if final { state = "stopped" }
    }

    func finish(_ status: String, reason: String) -> LocustWorkerResult {
        stopTraffic()
        // Measured after the last report (the master was gone): ours, not the master's.
        total.add(pending)
        pending = LiveInterval()
        let running = runningSeconds
        let passed = status == "quit"
        return LocustWorkerResult(
            passed: passed, status: status, master: options.master, nodeID: nodeID, target: report?.target,
            method: report?.method, reason: reason, requestsReported: requestsReported, spawns: spawns,
            metrics: total.metrics(elapsed: running), histogram: .init(total),
            nextStep: passed
                ? "Read the master's report (its CSV or web UI); with the senior-backend plugin (`locust -f` the file `load-test --print-locust-plugin` prints) it also wrote the merged exact percentiles."
                : "Check that the master runs and is reachable from this host, then join again.")
    }
}

func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.1f", value)
}
