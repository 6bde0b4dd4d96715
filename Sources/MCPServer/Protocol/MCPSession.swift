import BackendCore
import Foundation
import Logging

/// One client's session: turns frames into replies, runs tool calls concurrently, tracks cancellation.
///
/// `receive` is called on the reading thread, one frame at a time, and answers everything but
/// `tools/call` inline, so `ping` is never queued behind a running tool. Tool calls run as tasks; their
/// replies and progress go through the single `LineWriter`, under the lock that also records
/// cancellation, so nothing is written for a call once it is cancelled.
public final class MCPSession: @unchecked Sendable {
    private let catalog: Catalog
    private let configuration: ServerConfiguration
    private let writer: any LineWriter
    private let logger: Logger

    private let lock = NSLock()
    private var running: [String: RunningCall] = [:]
    /// No log notifications until the client sets a level.
    private var logThreshold: LogLevel?

    public init(catalog: Catalog, configuration: ServerConfiguration, writer: any LineWriter, logger: Logger) {
        self.catalog = catalog
        self.configuration = configuration
        self.writer = writer
        self.logger = logger
    }

    // MARK: Framing and JSON-RPC envelope

    public func receive(_ frame: LineFramer.Frame) {
        switch frame {
        case .oversized(let length, let prefix):
            let id = Self.leadingId(in: prefix) ?? .null
            logger.warning("dropped a message of \(length) bytes (limit \(configuration.maxMessageBytes))")
            sendError(
                id: id,
                .invalidRequest(
                    "message of \(length) bytes exceeds the limit of \(configuration.maxMessageBytes) bytes; send large inputs as file paths, or raise SENIOR_BACKEND_MAX_MESSAGE_MIB"
                ))
        case .line(let bytes):
            guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
            let message: JSONValue
            do {
                message = try JSONParser.parse(bytes)
            } catch {
                sendError(id: .null, .parse(error.description))
                return
            }
            dispatch(message)
        }
    }

    private func dispatch(_ message: JSONValue) {
        guard case .object(let envelope) = message else {
            if case .array = message {
                sendError(
                    id: .null,
                    .invalidRequest(
                        "JSON-RPC batches are not supported (MCP 2025-06-18 removed them); send one message per line"))
            } else {
                sendError(id: .null, .invalidRequest("a message must be a JSON object"))
            }
            return
        }
        let rawId = envelope["id"]
        let id: JSONValue? = rawId.flatMap { value in
            switch value {
            case .string, .number: value
            default: nil
            }
        }
        if envelope["method"] == nil, envelope["result"] != nil || envelope["error"] != nil {
            return  // a response to a request we never send; nothing to answer
        }
        guard envelope["jsonrpc"] == .string("2.0") else {
            sendError(id: id ?? .null, .invalidRequest("\"jsonrpc\" must be \"2.0\""))
            return
        }
        guard let method = envelope["method"]?.stringValue else {
            sendError(id: id ?? .null, .invalidRequest("\"method\" must be a string"))
            return
        }
        if rawId != nil, id == nil {
            sendError(id: .null, .invalidRequest("\"id\" must be a string or a number"))
            return
        }
        let params = envelope["params"]
        if let params, params.objectValue == nil {
            if let id { sendError(id: id, .invalidParams("\"params\" must be an object")) }
            return
        }
        guard let id else {
            handleNotification(method, params: params?.objectValue ?? JSONObject())
            return
        }
        logger.debug("request \(method)")
        do {
            if let result = try handleRequest(method, id: id, params: params?.objectValue ?? JSONObject()) {
                sendResult(id: id, result)
            }
        } catch let error as JSONRPCError {
            sendError(id: id, error)
        } catch {
            sendError(id: id, .internalError("\(error)"))
        }
    }

    /// Reads `"id": value` from the start of a message too long to parse, so its sender still gets an answer.
    static func leadingId(in prefix: [UInt8]) -> JSONValue? {
        let text = String(decoding: prefix, as: UTF8.self)
        guard
            let match = text.range(
                of: #""id"\s*:\s*(-?[0-9]+(\.[0-9]+)?|"[^"\\]{0,200}")"#, options: .regularExpression)
        else { return nil }
        let literal = text[match].drop(while: { $0 != ":" }).dropFirst().trimmingCharacters(in: .whitespaces)
        return try? JSONParser.parse(literal)
    }

    // MARK: Methods

    private func handleNotification(_ method: String, params: JSONObject) {
        switch method {
        case "notifications/cancelled":
            guard let requestId = params["requestId"], requestId.stringValue != nil || requestId.doubleValue != nil
            else { return }
            cancel(key: JSONWriter.string(requestId))
        default:
            break  // notifications/initialized and unknown notifications need no reply
        }
    }

    private func handleRequest(_ method: String, id: JSONValue, params: JSONObject) throws -> JSONValue? {
        switch method {
        case "initialize": return try initialize(params)
        case "ping": return .object(JSONObject())
        case "tools/list":
            return try page(
                catalog.tools.map(describe), key: "tools", list: "tools", cursor: params["cursor"])
        case "tools/call":
            try startCall(id: id, params: params)
            return nil
        case "resources/list":
            return try page(
                catalog.resources.map { resource in
                    .object(
                        JSONObject([
                            "uri": .string(resource.uri), "name": .string(resource.name),
                            "title": .string(resource.title), "description": .string(resource.description),
                            "mimeType": .string(resource.mimeType), "size": .integer(resource.text.utf8.count),
                        ]))
                }, key: "resources", list: "resources", cursor: params["cursor"])
        case "resources/templates/list":
            return .object(JSONObject(["resourceTemplates": .array([])]))
        case "resources/read": return try readResource(params)
        case "prompts/list":
            return try page(catalog.prompts.map(describe), key: "prompts", list: "prompts", cursor: params["cursor"])
        case "prompts/get": return try getPrompt(params)
        case "logging/setLevel":
            guard let name = params["level"]?.stringValue, let level = LogLevel(rawValue: name) else {
                throw JSONRPCError.invalidParams(
                    "level must be one of \(LogLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            lock.withLock { logThreshold = level }
            return .object(JSONObject())
        default:
            throw JSONRPCError.methodNotFound(method)
        }
    }

    private func initialize(_ params: JSONObject) throws -> JSONValue {
        guard let requested = params["protocolVersion"]?.stringValue else {
            throw JSONRPCError.invalidParams("initialize needs \"protocolVersion\" (a string such as \"2025-11-25\")")
        }
        let version =
            ServerConfiguration.supportedVersions.contains(requested)
            ? requested : ServerConfiguration.supportedVersions[0]
        let capabilities = JSONObject([
            "tools": .object(JSONObject(["listChanged": .bool(false)])),
            "resources": .object(JSONObject(["listChanged": .bool(false), "subscribe": .bool(false)])),
            "prompts": .object(JSONObject(["listChanged": .bool(false)])),
            "logging": .object(JSONObject()),
        ])
        return .object(
            JSONObject([
                "protocolVersion": .string(version),
                "capabilities": .object(capabilities),
                "serverInfo": .object(
                    JSONObject([
                        "name": .string(configuration.name), "title": .string(configuration.title),
                        "version": .string(configuration.version),
                    ])),
                "instructions": .string(configuration.instructions),
            ]))
    }

    private func page(_ items: [JSONValue], key: String, list: String, cursor: JSONValue?) throws -> JSONValue {
        var offset = 0
        if let cursor, cursor != .null {
            guard let text = cursor.stringValue,
                let decoded = PageCursor.decode(text, list: list, count: items.count)
            else { throw JSONRPCError.invalidParams("cursor is not one this server issued for \(list)/list") }
            offset = decoded
        }
        let end = min(items.count, offset + configuration.pageSize)
        var result = JSONObject([key: .array(Array(items[offset..<end]))])
        if end < items.count { result["nextCursor"] = .string(PageCursor.encode(offset: end, list: list)) }
        return .object(result)
    }

    private func describe(_ tool: Tool) -> JSONValue {
        let annotations = JSONObject([
            "title": .string(tool.title),
            "readOnlyHint": .bool(tool.annotations.readOnly),
            "destructiveHint": .bool(tool.annotations.destructive),
            "idempotentHint": .bool(tool.annotations.idempotent),
            "openWorldHint": .bool(tool.annotations.openWorld),
        ])
        return .object(
            JSONObject([
                "name": .string(tool.name), "title": .string(tool.title), "description": .string(tool.description),
                "inputSchema": tool.inputSchema, "outputSchema": tool.outputSchema,
                "annotations": .object(annotations),
            ]))
    }

    private func describe(_ prompt: Prompt) -> JSONValue {
        .object(
            JSONObject([
                "name": .string(prompt.name), "title": .string(prompt.title),
                "description": .string(prompt.description),
                "arguments": .array(
                    prompt.arguments.map {
                        .object(
                            JSONObject([
                                "name": .string($0.name), "description": .string($0.description),
                                "required": .bool($0.required),
                            ]))
                    }),
            ]))
    }

    private func readResource(_ params: JSONObject) throws -> JSONValue {
        guard let uri = params["uri"]?.stringValue else {
            throw JSONRPCError.invalidParams("resources/read needs \"uri\"")
        }
        guard let resource = catalog.resources.first(where: { $0.uri == uri }) else {
            throw JSONRPCError.resourceNotFound(uri)
        }
        let contents = JSONObject([
            "uri": .string(resource.uri), "mimeType": .string(resource.mimeType), "text": .string(resource.text),
        ])
        return .object(JSONObject(["contents": .array([.object(contents)])]))
    }

    private func getPrompt(_ params: JSONObject) throws -> JSONValue {
        guard let name = params["name"]?.stringValue else {
            throw JSONRPCError.invalidParams("prompts/get needs \"name\"")
        }
        guard let prompt = catalog.prompts.first(where: { $0.name == name }) else {
            throw JSONRPCError.invalidParams(
                "unknown prompt \(JSONRPCError.quote(name)); known: \(catalog.prompts.map(\.name).joined(separator: ", "))"
            )
        }
        var values: [String: String] = [:]
        for member in params["arguments"]?.objectValue ?? JSONObject() {
            guard let text = member.value.stringValue else {
                throw JSONRPCError.invalidParams("prompt argument \(JSONRPCError.quote(member.key)) must be a string")
            }
            values[member.key] = text
        }
        let text: String
        do {
            text = try prompt.render(values)
        } catch {
            throw JSONRPCError.invalidParams(error.message)
        }
        let message = JSONObject([
            "role": .string("user"),
            "content": .object(JSONObject(["type": .string("text"), "text": .string(text)])),
        ])
        return .object(
            JSONObject(["description": .string(prompt.description), "messages": .array([.object(message)])]))
    }

    // MARK: Tool calls

    private final class RunningCall {
        var task: Task<Void, Never>?
        var cancelled = false
        var lastProgress = -Double.infinity
    }

    private func startCall(id: JSONValue, params: JSONObject) throws {
        guard let name = params["name"]?.stringValue else {
            throw JSONRPCError.invalidParams("tools/call needs \"name\", the tool to call")
        }
        guard let tool = catalog.tool(named: name) else {
            throw JSONRPCError.invalidParams(
                "unknown tool \(JSONRPCError.quote(name)); tools/list names: \(catalog.tools.map(\.name).joined(separator: ", "))"
            )
        }
        let key = JSONWriter.string(id)
        let token = params["_meta"]?["progressToken"].flatMap {
            $0.stringValue != nil || $0.doubleValue != nil ? $0 : nil
        }
        let call = RunningCall()
        try lock.withLock {
            guard running[key] == nil else {
                throw JSONRPCError.invalidRequest("id \(key) is already in use by a running request")
            }
            running[key] = call
        }
        let context = CallContext(session: self, key: key, progressToken: token)
        let arguments = params["arguments"]
        let task = Task { [self] in
            let outcome: ToolCallResult
            do {
                outcome = try await tool.call(arguments, context: context)
            } catch {
                finish(key: key, reply: nil)
                return
            }
            finish(key: key, reply: Self.envelope(id: id, result: Self.render(outcome)))
        }
        // A cancel that arrived before the task existed still cancels it.
        lock.withLock {
            call.task = task
            if call.cancelled { task.cancel() }
        }
    }

    static func render(_ outcome: ToolCallResult) -> JSONValue {
        var result = JSONObject([
            "content": .array([.object(JSONObject(["type": .string("text"), "text": .string(outcome.digest)]))])
        ])
        if let structured = outcome.structured { result["structuredContent"] = structured }
        result["isError"] = .bool(outcome.isError)
        return .object(result)
    }

    /// Writes the reply unless the call was cancelled, and forgets the call, in one step under the lock.
    private func finish(key: String, reply: JSONValue?) {
        let bytes = reply.map(JSONWriter.bytes)
        lock.withLock {
            guard let call = running.removeValue(forKey: key) else { return }
            if !call.cancelled, let bytes { writer.write(bytes) }
        }
    }

    private func cancel(key: String) {
        lock.withLock {
            guard let call = running[key], !call.cancelled else { return }
            call.cancelled = true
            call.task?.cancel()
        }
        logger.debug("cancelled request \(key)")
    }

    fileprivate func progress(key: String, token: JSONValue, progress: Double, total: Double?, message: String?) {
        var params = JSONObject(["progressToken": token, "progress": .double(progress)])
        if let total { params["total"] = .double(total) }
        if let message { params["message"] = .string(SecretRedactor.redact(message)) }
        let bytes = JSONWriter.bytes(Self.notification("notifications/progress", params: params))
        lock.withLock {
            guard let call = running[key], !call.cancelled, progress > call.lastProgress else { return }
            call.lastProgress = progress
            writer.write(bytes)
        }
    }

    fileprivate func log(_ level: LogLevel, _ message: String) {
        let text = SecretRedactor.redact(message)
        logger.log(level: level.swiftLogLevel, "\(text)")
        let threshold = lock.withLock { logThreshold }
        guard let threshold, level >= threshold else { return }
        let params = JSONObject([
            "level": .string(level.rawValue), "logger": .string(configuration.name), "data": .string(text),
        ])
        writer.write(JSONWriter.bytes(Self.notification("notifications/message", params: params)))
    }

    /// Waits until every call in flight has written its reply (used at end of input).
    public func drain() async {
        while true {
            let tasks = lock.withLock { running.values.compactMap(\.task) }
            if tasks.isEmpty { break }
            for task in tasks { await task.value }
        }
        await writer.flush()
    }

    // MARK: Writing

    private static func envelope(id: JSONValue, result: JSONValue) -> JSONValue {
        .object(JSONObject(["jsonrpc": .string("2.0"), "id": id, "result": result]))
    }

    private static func notification(_ method: String, params: JSONObject) -> JSONValue {
        .object(JSONObject(["jsonrpc": .string("2.0"), "method": .string(method), "params": .object(params)]))
    }

    private func sendResult(id: JSONValue, _ result: JSONValue) {
        writer.write(JSONWriter.bytes(Self.envelope(id: id, result: result)))
    }

    private func sendError(id: JSONValue, _ error: JSONRPCError) {
        writer.write(
            JSONWriter.bytes(.object(JSONObject(["jsonrpc": .string("2.0"), "id": id, "error": error.json]))))
    }
}

/// The context handed to a running tool: progress and logs go back to this session's client.
private struct CallContext: ToolContext {
    let session: MCPSession
    let key: String
    let progressToken: JSONValue?

    func reportProgress(_ progress: Double, total: Double?, message: String?) {
        guard let progressToken else { return }
        session.progress(key: key, token: progressToken, progress: progress, total: total, message: message)
    }

    func log(_ level: LogLevel, _ message: String) { session.log(level, message) }
}

extension LogLevel {
    var swiftLogLevel: Logger.Level {
        switch self {
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical, .alert, .emergency: .critical
        }
    }
}
