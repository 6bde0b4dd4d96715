import Foundation

/// Hints a client may use to decide how carefully to call a tool (MCP `ToolAnnotations`).
public struct ToolAnnotations: Sendable, Equatable {
    public var readOnly: Bool
    public var destructive: Bool
    public var idempotent: Bool
    public var openWorld: Bool

    public init(readOnly: Bool, destructive: Bool, idempotent: Bool, openWorld: Bool) {
        self.readOnly = readOnly
        self.destructive = destructive
        self.idempotent = idempotent
        self.openWorld = openWorld
    }
}

/// What a tool returns: its structured output, the digest, and whether a check it made failed.
public struct ToolReport<Output: Encodable & Sendable>: Sendable {
    public var output: Output
    public var digest: Digest
    /// True when the work ran but an expectation failed (kill criterion, regression, expected status):
    /// the call is an error result that still carries the whole structured output.
    public var checkFailed: Bool

    public init(output: Output, digest: Digest, checkFailed: Bool = false) {
        self.output = output
        self.digest = digest
        self.checkFailed = checkFailed
    }
}

/// The outcome of one call as the protocol sends it: digest text, structured result, error flag.
public struct ToolCallResult: Sendable {
    public let digest: String
    public let structured: JSONValue?
    public let isError: Bool

    public init(digest: String, structured: JSONValue?, isError: Bool) {
        self.digest = digest
        self.structured = structured
        self.isError = isError
    }

    /// An error result; its text is a digest like any other, so it too stays within 200 words.
    public static func failure(_ error: BackendError) -> ToolCallResult {
        var digest = Digest("Error (\(error.code))")
        for line in error.message.split(separator: "\n") { digest.add(String(line)) }
        return ToolCallResult(digest: digest.render(), structured: nil, isError: true)
    }
}

/// A tool: its published description and schemas, and a handler that takes a Codable input.
///
/// `call` validates the arguments against the input schema before the handler runs, so handlers only
/// ever see well-formed input; every failure becomes an `isError` result, never a protocol error.
public struct Tool: Sendable {
    public let name: String
    public let title: String
    public let description: String
    public let annotations: ToolAnnotations
    public let inputSchema: JSONValue
    public let outputSchema: JSONValue
    /// A long call (traffic, shadow databases, migrations): a client that supports tasks gets a task
    /// handle to poll instead of waiting on the reply.
    public let longRunning: Bool
    private let validator: JSONSchemaValidator
    private let uses: @Sendable (JSONValue) -> [FileUse]
    private let invoke: @Sendable (JSONValue, any ToolContext) async throws -> ToolCallResult

    public init<Input: Decodable & Sendable, Output: Encodable & Sendable>(
        name: String,
        title: String,
        description: String,
        annotations: ToolAnnotations,
        inputSchema: JSONValue,
        outputSchema: JSONValue,
        longRunning: Bool = false,
        files: @escaping @Sendable (Input) -> [FileUse] = { _ in [] },
        handler: @escaping @Sendable (Input, any ToolContext) async throws -> ToolReport<Output>
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.annotations = annotations
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.longRunning = longRunning
        self.validator = JSONSchemaValidator(schema: inputSchema)
        self.uses = { arguments in (try? arguments.decode(as: Input.self)).map(files) ?? [] }
        self.invoke = { arguments, context in
            let input: Input
            do {
                input = try arguments.decode(as: Input.self)
            } catch {
                return .failure(.invalidInput("arguments do not fit the input schema: \(Tool.explain(error))"))
            }
            try context.files.check(files(input))
            let report = try await context.files.confining { try await handler(input, context) }
            let structured = try JSONValue(encoding: report.output)
            return ToolCallResult(digest: report.digest.render(), structured: structured, isError: report.checkFailed)
        }
    }

    /// The paths these arguments would have the tool read or write (none when they do not decode).
    public func fileUses(_ arguments: JSONValue?) -> [FileUse] {
        uses(arguments ?? .object(JSONObject()))
    }

    /// Runs the tool; only cancellation escapes as an error, everything else is an `isError` result.
    public func call(
        _ arguments: JSONValue?, context: any ToolContext
    ) async throws(CancellationError) -> ToolCallResult {
        let arguments = arguments ?? .object(JSONObject())
        let violations = validator.validate(arguments)
        if !violations.isEmpty {
            let lines = violations.prefix(20).map { "- `\($0.path)`: \($0.expected) [\($0.rule)]" }
            return .failure(
                .invalidInput(
                    "\(name): \(violations.count) argument problem(s); fix and call again:\n"
                        + lines.joined(separator: "\n")))
        }
        do {
            return try await invoke(arguments, context)
        } catch let error as BackendError {
            return .failure(error)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            return .failure(BackendError(.failed, "\(name) failed: \(error)"))
        }
    }

    /// A readable account of a decoding error: the field path and what went wrong.
    public static func explain(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }
            return "arguments" + keys.joined()
        }
        switch decoding {
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)): expected \(type), got null"
        case .keyNotFound(let key, let context): return "\(path(context)).\(key.stringValue) is required"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
