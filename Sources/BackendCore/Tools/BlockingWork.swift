import Foundation

/// Runs blocking work (libpq calls, file I/O) on a thread of its own, so it never occupies one of the
/// few cooperative threads that every other call shares. Cancelling the calling task cancels the
/// thread's `CancellationScope`, which stops a running PostgreSQL statement.
public enum BlockingWork {
    public static func run<T: Sendable>(
        _ work: @escaping @Sendable () throws(BackendError) -> T
    ) async throws(BackendError) -> T {
        let scope = CancellationScope()
        let result: Result<T, BackendError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    Thread.current.threadDictionary[CancellationScope.threadKey] = scope
                    continuation.resume(returning: Result { () throws(BackendError) in try work() })
                }
                thread.name = "senior-backend.blocking"
                thread.start()
            }
        } onCancel: {
            scope.cancel()
        }
        return try result.get()
    }
}
