import BackendCore
import NIOCore
import NIOPosix

/// Progress of a running load test, reported about once a second.
public struct LoadProgress: Sendable {
    public var elapsedSeconds: Double
    public var plannedSeconds: Double
    public var completed: Int
    public var errors: Int
}

/// Runs one plan: an event loop group of `plan.threads` loops, the connections spread over them.
enum LoadEngine {
    /// Resolves the target once, before any traffic (blocking getaddrinfo runs off the cooperative pool).
    static func resolve(_ target: Target) async throws(BackendError) -> SocketAddress {
        try await BlockingWork.run { () throws(BackendError) in
            do {
                return try SocketAddress.makeAddressResolvingHost(target.host, port: target.port)
            } catch {
                throw BackendError(.unreachable, "cannot resolve host '\(target.host)': \(error)")
            }
        }
    }

    static func run(
        _ plan: LoadPlan, address: SocketAddress, progress: (@Sendable (LoadProgress) -> Void)? = nil
    ) async throws -> RunMeasurement {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: plan.threads)
        let loops = (0..<plan.threads).map { _ in group.next() }
        let start = monotonicNanos()
        let workers = loops.enumerated().map { index, loop in
            LoopWorker(loop: loop, plan: plan, address: address, index: index, loops: loops.count, startNanos: start)
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
        for worker in workers {
            if let part = try? await worker.loop.submit({ worker.measurement }).get() { total.merge(part) }
        }
        try? await group.shutdownGracefully()
        if cancelled { throw CancellationError() }
        return total
    }
}
