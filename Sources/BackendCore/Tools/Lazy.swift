import Foundation

/// A value built on first use, once, from any thread; a failure is kept and thrown on every use.
///
/// Tools build their state (profiles, routers) lazily so that `serve` answers `initialize` without
/// parsing anything it may never need.
public final class Lazy<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Value, BackendError>?
    private let make: @Sendable () throws(BackendError) -> Value

    public init(_ make: @escaping @Sendable () throws(BackendError) -> Value) {
        self.make = make
    }

    public func get() throws(BackendError) -> Value {
        let outcome = lock.withLock {
            if let result { return result }
            let made = Result { () throws(BackendError) in try make() }
            result = made
            return made
        }
        return try outcome.get()
    }
}
