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
    /// Puts a form (a flat JSON Schema) to the person through the client (MCP elicitation). nil: no answer
    /// now (the client cannot show forms, or, in 2026-07-28, it answers on a retry): return what you have.
    func elicit(_ message: String, schema: JSONValue) async -> ElicitationAnswer?
    /// The client can show forms: `elicit` puts them (or, in 2026-07-28, returns nil and the form goes back
    /// with the reply). A tool that must not go on unconfirmed tells "no forms" from "answer later" by this.
    var canElicit: Bool { get }
    /// 2026-07-28: this call is the retry that carries the person's answer, so the work done before the
    /// form was put is already recorded and must not be done twice.
    var resumesElicitation: Bool { get }
}

/// What the person did with a form.
public enum ElicitationAnswer: Sendable {
    case accepted(JSONObject)
    /// Declined, cancelled, or not answered in time.
    case declined
}

extension ToolContext {
    public func elicit(_ message: String, schema: JSONValue) async -> ElicitationAnswer? { nil }
    public var resumesElicitation: Bool { false }
    public var canElicit: Bool { false }
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
