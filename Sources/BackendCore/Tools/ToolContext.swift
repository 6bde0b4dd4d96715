/// Severity of a log message, in the order of RFC 5424 (MCP `LoggingLevel`).
public enum LogLevel: String, CaseIterable, Sendable, Comparable, Codable {
    case debug, info, notice, warning, error, critical, alert, emergency

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What a running tool may tell its caller while it works. Cancellation is Swift task cancellation.
public protocol ToolContext: Sendable {
    /// Reports progress; values that do not increase are dropped, so callers see a strictly rising series.
    func reportProgress(_ progress: Double, total: Double?, message: String?)
    /// Sends a log message to the caller when its level is at or above the caller's threshold.
    func log(_ level: LogLevel, _ message: String)
    /// The folders this call may read and write (checked by `Tool.call` before the handler runs).
    var files: FileAccess { get }
}

/// A context that reports nothing; for tests and for CLI runs that have no one to tell.
public struct SilentToolContext: ToolContext {
    public let files: FileAccess

    public init(files: FileAccess = .unconfined) {
        self.files = files
    }

    public func reportProgress(_ progress: Double, total: Double?, message: String?) {}
    public func log(_ level: LogLevel, _ message: String) {}
}
