import Foundation

/// Runs blocking work (libpq calls, file I/O) on a thread of its own, so it never occupies one of the
/// few cooperative threads that every other call shares. Cancelling the calling task cancels the
/// thread's `CancellationScope`, which stops a running PostgreSQL statement. The thread also gets the
/// call's `FileAccess`, so that files found inside folders are checked against the same roots.
public enum BlockingWork {
    public static func run<T: Sendable>(
        _ work: @escaping @Sendable () throws(BackendError) -> T
    ) async throws(BackendError) -> T {
        let scope = CancellationScope()
        let access = FileAccess.Holder(FileAccess.current)
        let result: Result<T, BackendError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    Thread.current.threadDictionary[CancellationScope.threadKey] = scope
                    Thread.current.threadDictionary[FileAccess.threadKey] = access
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
