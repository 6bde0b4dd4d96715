import BackendCore
import NIOCore
import NIOPosix
import NIOSSL

/// Progress of a running load test, reported about once a second.
public struct LoadProgress: Sendable {
    public var elapsedSeconds: Double
    public var plannedSeconds: Double
    public var completed: Int
    public var errors: Int
}

/// Where the connections go: the resolved address and, for https, the TLS context all connections share.
struct Endpoint: Sendable {
    var address: SocketAddress
    var tls: NIOSSLContext?
    var serverName: String?
}

/// Runs one plan: an event loop group of `plan.threads` loops, the connections spread over them.
enum LoadEngine {
    /// Resolves the target and builds its TLS context once, before any traffic (getaddrinfo and reading the
    /// system trust store block, so they run off the cooperative pool).
    ///
    /// With `loopbackOnly` (an agent's call let through because the host is loopback) only loopback addresses
    /// are used, whatever the resolver says `localhost` is. Of several addresses, the first that accepts a
    /// connection is used for the whole run.
    static func resolve(
        _ target: Target, insecure: Bool, loopbackOnly: Bool, timeout: Double
    ) async throws(BackendError) -> Endpoint {
        try await BlockingWork.run { () throws(BackendError) in
            try resolveNow(target, insecure: insecure, loopbackOnly: loopbackOnly, timeout: timeout)
        }
    }

    /// `resolve`, blocking the calling thread (for callers on a thread of their own, such as a Locust worker).
    static func resolveNow(
        _ target: Target, insecure: Bool, loopbackOnly: Bool, timeout: Double
    ) throws(BackendError) -> Endpoint {
        var addresses = try TCPConnector.addresses(host: target.host, port: target.port)
        if loopbackOnly {
            addresses = addresses.filter { Target.isLoopback($0.ipAddress ?? "") }
            guard !addresses.isEmpty else {
                throw BackendError(
                    .invalidInput,
                    "host '\(target.host)' does not resolve to a loopback address, and agent calls only reach loopback and the hosts in \(LoadLimits.allowVariable)"
                )
            }
        }
        let address =
            addresses.count == 1
            ? addresses[0] : TCPConnector.firstAccepting(addresses, timeout: min(timeout, 2)) ?? addresses[0]
        guard target.tls else { return Endpoint(address: address) }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.applicationProtocols = ["http/1.1"]
        if insecure { configuration.certificateVerification = .none }
        do {
            return Endpoint(
                address: address, tls: try NIOSSLContext(configuration: configuration),
                serverName: target.serverName)
        } catch {
            throw BackendError(.failed, "cannot set up TLS (system trust store): \(error)")
        }
    }

    static func run(
        _ plan: LoadPlan, endpoint: Endpoint, progress: (@Sendable (LoadProgress) -> Void)? = nil
    ) async throws -> RunMeasurement {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: plan.threads)
        let loops = (0..<plan.threads).map { _ in group.next() }
        let start = monotonicNanos()
        let shared = SharedRunState()
        let workers = loops.enumerated().map { index, loop in
            LoopWorker(
                loop: loop, plan: plan, endpoint: endpoint, shared: shared, index: index, loops: loops.count,
                startNanos: start)
        }
        let planned = plan.warmup + plan.duration
        let cancelled: Bool = await withTaskCancellationHandler {
            for worker in workers { worker.loop.execute { worker.start() } }
            return await withTaskGroup(of: Void.self) { tasks in
                if let progress {
                    tasks.addTask {
                        while !Task.isCancelled {
                            try? await Task.sleep(nanoseconds: 1_000_000_000)
                            if Task.isCancelled { return }
                            var completed = 0
                            var errors = 0
                            for worker in workers {
                                if let counts = try? await worker.loop.submit({ worker.progress() }).get() {
                                    completed += counts.completed
                                    errors += counts.errors
                                }
                            }
                            progress(
                                LoadProgress(
                                    elapsedSeconds: Double(monotonicNanos() - start) / 1e9, plannedSeconds: planned,
                                    completed: completed, errors: errors))
                        }
                    }
                }
                for worker in workers { try? await worker.done.futureResult.get() }
                tasks.cancelAll()
                return Task.isCancelled
            }
        } onCancel: {
            for worker in workers { worker.loop.execute { worker.finish(cancelled: true) } }
        }
        var total = RunMeasurement()
        total.timeline = []
        let first429 = shared.first429.load(ordering: .relaxed)
        for worker in workers {
            guard var part = try? await worker.loop.submit({ worker.measurement }).get() else { continue }
            // A loop handles one response in microseconds, so only its last counted one can fall in the
            // nanoseconds between another loop's clock read of the first 429 and its publication.
            if first429 != .max && part.beforeFirst429 > 0 && part.lastBeforeFirst429Nanos >= first429 {
                part.beforeFirst429 -= 1
            }
            total.merge(part)
        }
        if first429 != .max { total.first429Nanos = first429 - start }
        try? await group.shutdownGracefully()
        if cancelled { throw CancellationError() }
        return total
    }
}
