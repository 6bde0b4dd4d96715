import Histogram
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Monotonic nanoseconds (the clock of `NIODeadline`).
@inline(__always) func monotonicNanos() -> UInt64 { NIODeadline.now().uptimeNanoseconds }

/// The traffic of one event loop: its connections, its histogram and counters.
///
/// Everything here is touched only on `loop` (handlers, timers and callbacks all run there), which is why
/// the class can be `@unchecked Sendable`: it crosses threads only to be started, stopped and read out,
/// each time through `loop.execute`/`submit`.
///
/// Its stored `var`s and those of `ConnectionHandler` are `@exclusivity(unchecked)`: confined to one thread, and
/// no access to one of them spans a call that reaches it again. The runtime's dynamic checks of these accesses
/// cost ~500 of the ~8,500 user-space instructions per request (bench/README.md, "What changed in 7bf966b").
final class LoopWorker: @unchecked Sendable {
    enum Phase { case running, draining, finished }

    let loop: any EventLoop
    let plan: LoadPlan
    let endpoint: Endpoint
    let shared: SharedRunState
    let request: ByteBuffer
    /// The same bytes at a fixed address, for direct sends (no reference counting per request).
    let requestBytes: UnsafeMutableRawBufferPointer
    let requestSize: Int
    let headRequest: Bool
    let done: EventLoopPromise<Void>

    let startNanos: UInt64
    let measureStartNanos: UInt64
    let endNanos: UInt64
    let drainNanos: UInt64
    let timeoutNanos: UInt64
    let connectionCount: Int
    @exclusivity(unchecked) var budget: Int
    // Open model: intended send times are start + phase + k * interval.
    let intervalNanos: Double
    let phaseNanos: Double
    @exclusivity(unchecked) var nextSlot = 0
    let initialBudget: Int
    @exclusivity(unchecked) var tickPending = false

    @exclusivity(unchecked) var phase = Phase.running
    @exclusivity(unchecked) var connections: [ConnectionHandler] = []
    @exclusivity(unchecked) var idle: [ConnectionHandler] = []
    @exclusivity(unchecked) var pendingConnects = 0
    @exclusivity(unchecked) var inFlight = 0
    @exclusivity(unchecked) var sweepTask: RepeatedTask?
    @exclusivity(unchecked) var measurement = RunMeasurement()
    @exclusivity(unchecked) var cpuStart = (user: 0, system: 0)
    @exclusivity(unchecked) var lastEventNanos: UInt64 = 0
    @exclusivity(unchecked) var captureRateLimitHeaders = true
    /// The timeline's last bucket (it never grows during the run).
    let lastSecond: Int

    static let lateNanos: UInt64 = 1_000_000

    init(
        loop: any EventLoop, plan: LoadPlan, endpoint: Endpoint, shared: SharedRunState, index: Int, loops: Int,
        startNanos: UInt64
    ) {
        self.loop = loop
        self.plan = plan
        self.endpoint = endpoint
        self.shared = shared
        var buffer = ByteBufferAllocator().buffer(capacity: plan.requestBytes.count)
        buffer.writeBytes(plan.requestBytes)
        self.request = buffer
        self.requestBytes = .allocate(byteCount: plan.requestBytes.count, alignment: 16)
        self.requestBytes.copyBytes(from: plan.requestBytes)
        self.requestSize = plan.requestBytes.count
        self.headRequest = plan.method == "HEAD"
        self.done = loop.makePromise(of: Void.self)
        self.startNanos = startNanos
        self.measureStartNanos = startNanos + UInt64(plan.warmup * 1e9)
        self.endNanos = measureStartNanos + UInt64(plan.duration * 1e9)
        self.timeoutNanos = UInt64(plan.timeout * 1e9)
        // After the end (the duration, or the cap for a request-count run) late replies get min(timeout, 2 s), so a
        // run never outlasts its cap by more; a request-count run that sent everything earlier waits until then.
        self.drainNanos = min(timeoutNanos, 2_000_000_000)
        self.connectionCount = plan.concurrency / loops + (index < plan.concurrency % loops ? 1 : 0)
        if let requests = plan.requests {
            budget = requests / loops + (index < requests % loops ? 1 : 0)
        } else {
            budget = Int.max
        }
        initialBudget = budget
        if let rate = plan.rate {
            intervalNanos = Double(loops) * 1e9 / rate
            phaseNanos = Double(index) * 1e9 / rate
        } else {
            intervalNanos = 0
            phaseNanos = 0
        }
        // Seconds of the measured window, numbered from the end of warmup, and the drain after it.
        let seconds = min(Int((plan.duration + Double(drainNanos) / 1e9).rounded(.up)) + 2, 4000)
        // Replies after a timed send window (the drain) count in its last second, so the timeline ends with a
        // rate over the window, not with a few stragglers; a request-count run keeps every second it used.
        lastSecond =
            plan.durationGiven ? min(max(Int(plan.duration.rounded(.up)) - 1, 0), seconds - 1) : seconds - 1
        measurement = RunMeasurement(seconds: seconds)
    }

    deinit { requestBytes.deallocate() }

    // MARK: lifecycle (on the loop)

    func start() {
        cpuStart = Self.threadCPU()
        let sweep = TimeAmount.nanoseconds(Int64(min(max(timeoutNanos / 4, 5_000_000), 50_000_000)))
        sweepTask = loop.scheduleRepeatedTask(initialDelay: sweep, delay: sweep) { [self] _ in self.sweep() }
        // A request-count run opens no more connections than it has requests.
        let count = min(connectionCount, budget)
        for _ in 0..<count { connect() }
        if count == 0 { finish(cancelled: false) }
    }

    func connect() {
        guard let descriptor = TCPConnector.start(endpoint.address) else { return connectFailed() }
        pendingConnects += 1
        let worker = self
        let tls = endpoint.tls
        let serverName = endpoint.serverName
        ClientBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        // TLS below our handler: it sees plain HTTP bytes either way.
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        ConnectionHandler(worker: worker, descriptor: descriptor, directWrites: tls == nil))
                }
            }
            .withConnectedSocket(descriptor)
            .whenComplete { result in
                worker.pendingConnects -= 1
                switch result {
                case .success(let channel):
                    if worker.phase == .finished { channel.close(promise: nil) }
                case .failure:
                    worker.connectFailed()
                }
            }
    }

    func connectFailed() {
        let now = monotonicNanos()
        recordError(.connect, now: now)
        guard phase == .running else { return checkFinished(now: now) }
        // A failed connect uses up a request, so a request-count run against a dead port ends.
        if budget != Int.max && budget > 0 { budget -= 1 }
        if budget > 0 { reconnectSoon() }
        checkFinished(now: now)
    }

    /// Connects again after 50 ms, so a dead port or a refused certificate is not hammered in a busy loop.
    func reconnectSoon() {
        pendingConnects += 1  // the retry keeps the run from ending meanwhile
        loop.scheduleTask(in: .milliseconds(50)) { [self] in
            self.pendingConnects -= 1
            if self.phase == .running { self.connect() } else { self.checkFinished(now: monotonicNanos()) }
        }
    }

    /// A channel is registered; its TCP connect may still be under way.
    func connected(_ handler: ConnectionHandler) {
        connections.append(handler)
        handler.parser.captureRateLimitHeaders = captureRateLimitHeaders
        guard phase == .running else {
            handler.close()
            return
        }
        let now = monotonicNanos()
        handler.openedNanos = now
        if plan.rate == nil {
            sendNext(handler, now: now)
        } else {
            idle.append(handler)
            dispatchDue(now: now)
        }
    }

    /// The TCP connect of `handler` finished: its first write went out, a reply came or the sweep saw it.
    func established(_ handler: ConnectionHandler) {
        guard !handler.established else { return }
        handler.established = true
        measurement.connectedOnce = true
        measurement.connectionsOpened += 1
    }

    func disconnected(_ handler: ConnectionHandler) {
        if let index = connections.firstIndex(where: { $0 === handler }) { connections.remove(at: index) }
        if let index = idle.firstIndex(where: { $0 === handler }) { idle.remove(at: index) }
        // The run ended and closed it: a request still on it is reported as unfinished, not as an error.
        guard phase != .finished else { return }
        let now = monotonicNanos()
        if !handler.established {
            // The connect failed or timed out: a request waiting on it never left; otherwise, as for a connect
            // that failed at once, a request is used up so that a request-count run against a dead port ends.
            if handler.inFlight {
                handler.inFlight = false
                inFlight -= 1
            } else if budget != Int.max && budget > 0 {
                budget -= 1
            }
            // Unless this engine closed it (the run was over) or already counted why.
            if !handler.errorCounted && !handler.closing { recordError(.connect, now: now) }
            guard phase == .running && budget > 0 else { return checkFinished(now: now) }
            return reconnectSoon()
        }
        if handler.inFlight {
            handler.inFlight = false
            inFlight -= 1
            if handler.parser.endOfStream() {
                completed(handler, status: handler.parser.status, now: now)
            } else if !handler.errorCounted {
                recordError(handler.pendingError ?? .read, now: now)
            }
        }
        // A request-count run whose requests are all sent opens no new connection.
        if phase == .running && budget > 0 {
            measurement.reconnects += 1
            if handler.tlsFailed { reconnectSoon() } else { connect() }
        } else {
            checkFinished(now: now)
        }
    }

    func finish(cancelled: Bool) {
        guard phase != .finished else { return }
        let now = monotonicNanos()
        phase = .finished
        measurement.cancelled = cancelled
        measurement.unfinished = inFlight
        sweepTask?.cancel()
        for handler in connections { handler.close() }
        if intervalNanos > 0 {
            // Open model: slots whose time came before the end but that were never sent.
            let due = Int(max(0, (Double(endNanos - startNanos) - phaseNanos) / intervalNanos).rounded(.up))
            measurement.unsent = max(0, min(initialBudget, due) - nextSlot)
        }
        let cpu = Self.threadCPU()
        measurement.cpuUserMicros = cpu.user - cpuStart.user
        measurement.cpuSystemMicros = cpu.system - cpuStart.system
        let last = max(min(lastEventNanos, max(now, endNanos)), measureStartNanos)
        measurement.elapsedNanos = last - measureStartNanos
        // How much of each second the run covered. The last second runs to the last reply, so the replies that
        // came after the send window are counted over the time they took: a rate, neither a drop nor a spike.
        let window = last - measureStartNanos
        for second in 0...lastSecond {
            let start = UInt64(second) * 1_000_000_000
            let span = window > start ? window - start : 0
            measurement.timeline[second].spanNanos = second == lastSecond ? span : min(span, 1_000_000_000)
        }
        done.succeed(())
    }

    // MARK: traffic

    @inline(__always) func sendNext(_ handler: ConnectionHandler, now: UInt64) {
        guard budget > 0 else { return checkFinished(now: now) }
        if budget != Int.max { budget -= 1 }
        handler.send(request, origin: now, now: now)
        inFlight += 1
        measurement.bytesWritten += requestSize
    }

    func dispatchDue(now: UInt64) {
        while budget > 0, !idle.isEmpty {
            let intended = startNanos + UInt64(phaseNanos + Double(nextSlot) * intervalNanos)
            if intended > now { break }
            if intended >= endNanos {
                phase = .draining
                return checkFinished(now: now)
            }
            let handler = idle.removeLast()
            nextSlot += 1
            if budget != Int.max { budget -= 1 }
            if now - intended > Self.lateNanos && intended >= measureStartNanos { measurement.lateSends += 1 }
            handler.send(request, origin: intended, now: now)
            inFlight += 1
            measurement.bytesWritten += requestSize
        }
        if budget == 0 && phase == .running {
            phase = .draining
            return checkFinished(now: now)
        }
        if !tickPending, budget > 0, !idle.isEmpty, phase == .running {
            let intended = startNanos + UInt64(phaseNanos + Double(nextSlot) * intervalNanos)
            tickPending = true
            // At most one timer in flight, and at most one per 100 µs, however high the rate.
            let at = max(intended, now + 100_000)
            loop.scheduleTask(deadline: .uptimeNanoseconds(at)) { [self] in
                self.tickPending = false
                if self.phase == .running { self.dispatchDue(now: monotonicNanos()) }
            }
        }
    }

    /// A whole response arrived on `handler`.
    func responded(_ handler: ConnectionHandler, keepAlive: Bool) {
        let now = monotonicNanos()
        handler.inFlight = false
        inFlight -= 1
        completed(handler, status: handler.parser.status, now: now)
        if !handler.parser.rateLimitHeaders.isEmpty { keepRateLimitHeaders(handler) }
        handler.parser.reset()
        if !keepAlive {
            handler.close()
            return
        }
        if phase != .running { return checkFinished(now: now) }
        if plan.rate == nil {
            if now >= endNanos {
                phase = .draining
                return checkFinished(now: now)
            }
            sendNext(handler, now: now)
        } else {
            idle.append(handler)
            dispatchDue(now: now)
        }
    }

    @inline(__always) func completed(_ handler: ConnectionHandler, status: Int, now: UInt64) {
        lastEventNanos = now
        let origin = handler.origin
        guard origin >= measureStartNanos else { return }
        let micros = min(max((now &- origin) / 1000, 1), RunMeasurement.highestMicros)
        let second = min(Int((now - measureStartNanos) / 1_000_000_000), lastSecond)
        if status == 429 { noteRateLimited(at: now) }
        let beforeFirst429 = status != 429 && now < shared.first429.load(ordering: .relaxed)
        measurement.record(micros: micros, status: status, second: second, now: now, beforeFirst429: beforeFirst429)
    }

    /// Publishes the earliest 429 time of the run to every loop (they stop counting responses before it).
    func noteRateLimited(at now: UInt64) {
        var current = shared.first429.load(ordering: .relaxed)
        while now < current {
            let (exchanged, original) = shared.first429.compareExchange(
                expected: current, desired: now, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
    }

    func keepRateLimitHeaders(_ handler: ConnectionHandler) {
        for (name, value) in handler.parser.rateLimitHeaders
        where measurement.rateLimitHeaders[name.lowercased()] == nil {
            if measurement.rateLimitHeaders.count < 16 {
                measurement.rateLimitHeaders[name.lowercased()] = "\(name): \(value)"
            }
        }
        // One sample per connection is enough: after a 429's headers stop capturing; after another
        // status's, capture only on a 429 (so strings are not made for every response).
        if handler.parser.status == 429 {
            handler.parser.captureRateLimitHeaders = false
        } else {
            handler.parser.captureOnly429 = true
        }
    }

    func recordError(_ kind: ErrorClass, now: UInt64) {
        lastEventNanos = now
        guard now >= measureStartNanos else { return }
        switch kind {
        case .connect: measurement.errors.connect += 1
        case .timeout: measurement.errors.timeout += 1
        case .read: measurement.errors.read += 1
        case .write: measurement.errors.write += 1
        case .parse: measurement.errors.parse += 1
        case .tls: measurement.errors.tls += 1
        }
        let second = min(Int((now - measureStartNanos) / 1_000_000_000), lastSecond)
        measurement.timeline[second].errors += 1
    }

    /// A TLS handshake failed on `handler`: the first reason is kept for the report.
    func tlsFailed(_ handler: ConnectionHandler, _ error: any Error) {
        handler.tlsFailed = true
        if measurement.tlsFailure == nil { measurement.tlsFailure = TLSFailure.describe(error) }
    }

    /// A reply on `handler` was not valid HTTP/1.1: the first reason is kept for the report.
    func parseFailed(_ handler: ConnectionHandler, _ failure: ResponseParser.Failure) {
        if handler.inFlight && !handler.errorCounted && measurement.parseFailure == nil {
            measurement.parseFailure = failure.rawValue
        }
        failed(handler, .parse)
    }

    /// A request failed on `handler` in a way the handler saw (parse error, reset); the connection closes.
    func failed(_ handler: ConnectionHandler, _ kind: ErrorClass) {
        guard handler.inFlight, !handler.errorCounted else {
            handler.close()
            return
        }
        handler.errorCounted = true
        recordError(kind, now: monotonicNanos())
        handler.close()
    }

    /// Every few milliseconds: ends the run on time, times out slow requests, checks for the end.
    func sweep() {
        let now = monotonicNanos()
        if phase == .running && now >= endNanos {
            phase = .draining
        }
        for handler in connections where !handler.errorCounted {
            if !handler.established {
                if handler.active && TCPConnector.isConnected(handler.descriptor) {
                    established(handler)
                } else if now - handler.openedNanos > timeoutNanos {
                    handler.errorCounted = true
                    recordError(.connect, now: now)
                    handler.close()
                }
            } else if handler.inFlight && now - handler.sentNanos > timeoutNanos {
                handler.errorCounted = true
                recordError(.timeout, now: now)
                handler.close()
            }
        }
        if plan.rate != nil && phase == .running && !tickPending { dispatchDue(now: now) }
        checkFinished(now: now)
    }

    func checkFinished(now: UInt64) {
        guard phase != .finished else { return }
        if phase == .running && budget == 0 { phase = .draining }
        guard phase == .draining else { return }
        if (inFlight == 0 && pendingConnects == 0) || now >= endNanos + drainNanos {
            finish(cancelled: false)
        }
    }

    func progress() -> (completed: Int, errors: Int) { (measurement.completed, measurement.errors.total) }

    /// Sends no new request; the run finishes when the replies still due have come (or `finish` is called).
    func drain() {
        guard phase == .running else { return }
        phase = .draining
        checkFinished(now: monotonicNanos())
    }

    /// What was measured since the last call (a live run read out in intervals); counting goes on from zero.
    func takeMeasurement() -> RunMeasurement {
        var taken = measurement
        if phase != .finished {
            let cpu = Self.threadCPU()
            taken.cpuUserMicros = cpu.user - cpuStart.user
            taken.cpuSystemMicros = cpu.system - cpuStart.system
            cpuStart = cpu
        }
        measurement = RunMeasurement(seconds: lastSecond + 1)
        measurement.connectedOnce = taken.connectedOnce
        return taken
    }

    /// CPU time of the calling thread (this loop's thread), in microseconds.
    static func threadCPU() -> (user: Int, system: Int) {
        var usage = rusage()
        #if os(Linux)
            _ = getrusage(__rusage_who_t(1), &usage)  // RUSAGE_THREAD (not imported by Glibc)
        #else
            _ = getrusage(RUSAGE_SELF, &usage)
        #endif
        return (
            Int(usage.ru_utime.tv_sec) * 1_000_000 + Int(usage.ru_utime.tv_usec),
            Int(usage.ru_stime.tv_sec) * 1_000_000 + Int(usage.ru_stime.tv_usec)
        )
    }
}

/// One keep-alive connection: writes the shared request buffer, parses replies, reports to its worker.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let worker: LoopWorker
    /// The socket, opened by `TCPConnector`; NIO owns it (closes it), this handler only writes to it.
    let descriptor: CInt
    /// Plain HTTP: once connected, requests go out with one `send(2)` (TLS must go through NIOSSL).
    let directWrites: Bool
    @exclusivity(unchecked) var context: ChannelHandlerContext?
    @exclusivity(unchecked) var parser = ResponseParser()
    @exclusivity(unchecked) var inFlight = false
    @exclusivity(unchecked) var errorCounted = false
    @exclusivity(unchecked) var pendingError: ErrorClass?
    /// Where latency counts from: the send time (closed model) or the intended send time (open model).
    @exclusivity(unchecked) var origin: UInt64 = 0
    @exclusivity(unchecked) var sentNanos: UInt64 = 0
    @exclusivity(unchecked) var openedNanos: UInt64 = 0
    /// The TCP connect finished (until then writes wait in NIO, which sends them when the socket is writable).
    @exclusivity(unchecked) var established = false
    /// Writes handed to NIO and not yet done (a connection's first request, a partial send's rest).
    @exclusivity(unchecked) var queuedInNIO = 0
    @exclusivity(unchecked) var closing = false
    /// Between channelActive and channelInactive (kept here: asking the channel costs a call per request).
    /// The descriptor is only written while this is true: NIO closes it just before channelInactive.
    @exclusivity(unchecked) var active = false
    @exclusivity(unchecked) var tlsFailed = false

    init(worker: LoopWorker, descriptor: CInt, directWrites: Bool) {
        self.worker = worker
        self.descriptor = descriptor
        self.directWrites = directWrites
        parser.headRequest = worker.headRequest
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelActive(context: ChannelHandlerContext) {
        active = true
        worker.connected(self)
    }

    @inline(__always) func send(_ request: ByteBuffer, origin: UInt64, now: UInt64) {
        inFlight = true
        errorCounted = false
        pendingError = nil
        self.origin = origin
        sentNanos = now
        guard context != nil, active, !closing else {
            pendingError = .write
            return
        }
        var written = 0
        if established && directWrites && queuedInNIO == 0 {
            written = TCPConnector.send(descriptor, UnsafeRawBufferPointer(worker.requestBytes))
            if written == worker.requestSize { return }
        }
        sendThroughNIO(request, skipping: written)
    }

    /// Everything but a whole direct send: https, a connection's first request, the rest of a partial send.
    func sendThroughNIO(_ request: ByteBuffer, skipping written: Int) {
        guard let context else { return }
        if established {
            guard directWrites else { return context.writeAndFlush(wrapOutboundOut(request), promise: nil) }
            var unsent = request
            unsent.moveReaderIndex(forwardBy: written)
            // NIO writes what the socket did not take, and sends skip the descriptor until it has: a server
            // that answers before reading the whole body must not get the next request inside that body.
            queuedInNIO += 1
            let flushed = context.eventLoop.makePromise(of: Void.self)
            flushed.futureResult.assumeIsolated().whenComplete { [self] _ in queuedInNIO -= 1 }
            context.writeAndFlush(wrapOutboundOut(unsent), promise: flushed)
            return
        }
        // The first request of a connection waits in NIO until the connect (and TLS handshake) is done; as with
        // wrk, the closed model's latency counts from when it was written, not from the connect.
        queuedInNIO += 1
        let firstWritten = context.eventLoop.makePromise(of: Void.self)
        firstWritten.futureResult.assumeIsolated().whenComplete { [self] result in
            queuedInNIO -= 1
            guard case .success = result else { return }
            worker.established(self)
            if worker.plan.rate == nil && inFlight { sentNanos = monotonicNanos(); self.origin = sentNanos }
        }
        context.writeAndFlush(wrapOutboundOut(request), promise: firstWritten)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        worker.measurement.bytesRead += buffer.readableBytes
        if !established { worker.established(self) }
        guard inFlight, !errorCounted else {
            if !closing { worker.failed(self, .parse) }
            return
        }
        switch parser.parse(buffer) {
        case .incomplete:
            return
        case .complete(let consumed):
            // Bytes past the end of the reply (say a body longer than its Content-Length): the connection's
            // framing is broken, so the request failed, however well the rest of it parsed.
            guard consumed == buffer.readableBytes || ResponseParser.onlyLineBreaks(buffer, from: consumed) else {
                return worker.parseFailed(self, .bytesPastEnd)
            }
            worker.responded(self, keepAlive: parser.keepAlive)
        case .invalid(let failure):
            worker.parseFailed(self, failure)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        active = false
        worker.disconnected(self)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? IOError, error.errnoCode == EPIPE {
            pendingError = .write
        }
        let kind =
            TLSFailure.isHandshakeFailure(error) ? ErrorClass.tls : !established ? .connect : pendingError ?? .read
        if kind == .tls { worker.tlsFailed(self, error) }
        // A failed connect or handshake counts even with no request on the connection yet (open model, idle).
        if !errorCounted && (inFlight || kind == .tls || kind == .connect) {
            errorCounted = true
            worker.recordError(kind, now: monotonicNanos())
        }
        close()
    }

    func close() {
        guard !closing else { return }
        closing = true
        context?.close(promise: nil)
    }
}

/// State the loops of one run share: the monotonic time of the run's first 429 (`UInt64.max` until one came),
/// read on every response so each loop counts exactly its responses before it.
final class SharedRunState: Sendable {
    let first429 = Atomic<UInt64>(.max)
}

/// TLS errors as a clear error class and a reason in words.
enum TLSFailure {
    /// True for errors of the TLS layer itself; an unclean shutdown (the peer closed TCP without close_notify)
    /// is a read error like any other closed connection.
    static func isHandshakeFailure(_ error: any Error) -> Bool {
        if let error = error as? NIOSSLError {
            if case .uncleanShutdown = error { return false }
            return true
        }
        return error is NIOSSLExtraError || error is BoringSSLError
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return
                "certificate verification failed: the server's certificate is not trusted by the system trust store (self-signed or unknown issuer); use insecure for a test server you trust"
        }
        if text.contains("failedToValidateHostname") {
            return "certificate verification failed: the certificate does not name this host"
        }
        if text.contains("WRONG_VERSION_NUMBER") {
            return "TLS handshake failed: the server does not speak TLS on this port (plain HTTP? use http://)"
        }
        return "TLS handshake failed: \(text.prefix(200))"
    }
}
