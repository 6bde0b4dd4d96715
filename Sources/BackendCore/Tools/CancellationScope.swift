import Foundation

/// Cancellation for blocking work: `BlockingWork` gives its thread a scope and cancels it when the calling
/// task is cancelled; resources that can stop early (a PostgreSQL statement: `PQcancel`) register here.
///
/// Handlers run under the scope's lock, and unregistering takes the same lock, so a handler never runs
/// after its owner has unregistered (and freed what the handler uses).
public final class CancellationScope: @unchecked Sendable {
    private let lock = NSLock()
    private var handlers: [Int: @Sendable () -> Void] = [:]
    private var nextToken = 0
    private var cancelled = false

    public init() {}

    static let threadKey = "senior-backend.cancellation-scope"

    /// The scope of the blocking work running on this thread, if any.
    public static var current: CancellationScope? {
        Thread.current.threadDictionary[threadKey] as? CancellationScope
    }

    public var isCancelled: Bool { lock.withLock { cancelled } }

    /// Registers `handler`; when the scope is already cancelled it runs at once. Returns the token to remove it.
    public func register(_ handler: @escaping @Sendable () -> Void) -> Int {
        lock.withLock {
            if cancelled { handler() }
            nextToken += 1
            handlers[nextToken] = handler
            return nextToken
        }
    }

    public func unregister(_ token: Int) {
        lock.withLock { _ = handlers.removeValue(forKey: token) }
    }

    /// Marks the scope cancelled and runs every registered handler once.
    public func cancel() {
        lock.withLock {
            guard !cancelled else { return }
            cancelled = true
            for handler in handlers.values { handler() }
        }
    }
}
