import Foundation

/// Runs blocking work (libpq calls, file I/O) on a thread of its own, so it never occupies one of the
/// few cooperative threads that every other call shares.
public enum BlockingWork {
    public static func run<T: Sendable>(
        _ work: @escaping @Sendable () throws(BackendError) -> T
    ) async throws(BackendError) -> T {
        let result: Result<T, BackendError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: Result { () throws(BackendError) in try work() })
            }
            thread.name = "senior-backend.blocking"
            thread.start()
        }
        return try result.get()
    }
}
