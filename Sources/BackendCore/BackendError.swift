/// The one error type of senior-backend: a code, a message that says what to change, and no secrets.
///
/// The message is redacted when the error is made, so neither `description` nor a log line can leak a
/// password, token or header value that was part of the input.
public struct BackendError: Error, Sendable, CustomStringConvertible, Equatable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The caller's input is wrong; the message names the field and what is expected.
        public static let invalidInput = Code("invalid_input")
        /// A file, profile, session or other named thing does not exist.
        public static let notFound = Code("not_found")
        /// A server, database or host could not be reached.
        public static let unreachable = Code("unreachable")
        /// The work ran and a check or expectation it was asked to make failed.
        public static let checkFailed = Code("check_failed")
        /// The work could not be done for a reason on our side or the target's.
        public static let failed = Code("failed")
        /// The request was refused by a safety rule (allowed hosts, caps, confinement).
        public static let refused = Code("refused")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = SecretRedactor.redact(message)
    }

    public static func invalidInput(_ message: String) -> BackendError { BackendError(.invalidInput, message) }

    public var description: String { "\(code): \(message)" }

    /// The CLI's exit status: 1 when a check failed, 2 for bad input or an unreachable target.
    public var exitCode: Int32 {
        switch code {
        case .checkFailed, .failed: 1
        default: 2
        }
    }
}
