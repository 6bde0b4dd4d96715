import BackendCore
import Foundation
import Logging

/// One client's session: turns frames into replies, runs tool calls concurrently, tracks cancellation.
///
/// Two eras on one layer, chosen per request: a request whose `_meta` carries
/// `io.modelcontextprotocol/protocolVersion` is served statelessly by revision 2026-07-28 (`resultType`,
/// caching hints, input-required results instead of requests to the client); any other request follows the
/// revision negotiated by `initialize`. `receive` is called on the reading thread, one frame at a time, and
/// answers everything but `tools/call` inline, so `ping` is never queued behind a running tool. Tool calls
/// run as tasks; their replies and progress go through the single `LineWriter`, under the lock that also
/// records cancellation, so nothing is written for a call once it is cancelled.
public final class MCPSession: @unchecked Sendable {
    /// Built at the first request that needs it: `initialize` and `server/discover` parse no schema.
    private let catalogValue: Lazy<Catalog>
    private let configuration: ServerConfiguration
    private let writer: any LineWriter
    private let logger: Logger

    private let environment: [String: String]

    private let lock = NSLock()
    private var running: [String: RunningCall] = [:]
    /// No log notifications until the client sets a level (legacy era).
    private var logThreshold: LogLevel?
    /// Legacy era: `initialize` was answered, with these client capabilities.
    private var legacyCapabilities: JSONObject?
    /// A request of the 2026-07-28 era was served: from then on a request without `_meta` is malformed
    /// unless `initialize` chose the legacy era.
    private var servedModern = false
    /// Legacy era: the roots the client answered to `roots/list`, until it says they changed.
    private var clientRoots: [String]?
    /// Requests this server sent to the client (legacy `roots/list`), by id, waiting for the answer.
    private var awaitingClient: [String: CheckedContinuation<JSONValue?, Never>] = [:]
    private var nextClientRequest = 0
    /// Long calls a client follows by polling (both eras' tasks).
    private let tasks = TaskRegistry()

    public convenience init(
        catalog: Catalog, configuration: ServerConfiguration, writer: any LineWriter, logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.init(
            makeCatalog: { catalog }, configuration: configuration, writer: writer, logger: logger,
            environment: environment)
    }

    public init(
        makeCatalog: @escaping @Sendable () throws(BackendError) -> Catalog, configuration: ServerConfiguration,
        writer: any LineWriter, logger: Logger, environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.catalogValue = Lazy(makeCatalog)
        self.configuration = configuration
        self.writer = writer
        self.logger = logger
        self.environment = environment
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
            if let key = id?.stringValue { answerFromClient(key: key, result: envelope["result"]) }
            return  // a response needs no answer
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
            let request = try classify(method, params: params?.objectValue ?? JSONObject())
            if let result = try handleRequest(method, id: id, request: request) {
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

    private func catalog() throws -> Catalog {
        do {
            return try catalogValue.get()
        } catch {
            throw JSONRPCError.internalError("the tool catalog could not be built: \(error.message)")
        }
    }

    // MARK: Eras

    /// The `_meta` keys of revision 2026-07-28.
    enum MetaKey {
        static let protocolVersion = "io.modelcontextprotocol/protocolVersion"
        static let clientCapabilities = "io.modelcontextprotocol/clientCapabilities"
        static let logLevel = "io.modelcontextprotocol/logLevel"
        static let serverInfo = "io.modelcontextprotocol/serverInfo"
    }

    /// One request as its era reads it.
    struct Request: Sendable {
        enum Era: Sendable { case legacy, modern }
        let era: Era
        let params: JSONObject
        /// Modern: the request's own capabilities; legacy: those declared at `initialize`.
        let clientCapabilities: JSONObject
        /// Modern: the request's `logLevel`; nil means no log notifications for it.
        let logLevel: LogLevel?
    }

    /// Decides the era of a request and checks the 2026-07-28 `_meta` fields.
    private func classify(_ method: String, params: JSONObject) throws -> Request {
        let meta = params["_meta"]?.objectValue ?? JSONObject()
        let modern =
            method == "server/discover" || meta[MetaKey.protocolVersion] != nil
            || meta[MetaKey.clientCapabilities] != nil
        if method == "initialize" || !modern {
            let legacy = try lock.withLock { () throws -> JSONObject? in
                if legacyCapabilities == nil, servedModern, method != "initialize" {
                    throw JSONRPCError.invalidParams(
                        "the request has no _meta with \(MetaKey.protocolVersion) and \(MetaKey.clientCapabilities) (revision 2026-07-28); a client of 2025-11-25 or earlier sends initialize first"
                    )
                }
                return legacyCapabilities
            }
            return Request(era: .legacy, params: params, clientCapabilities: legacy ?? JSONObject(), logLevel: nil)
        }
        guard let version = meta[MetaKey.protocolVersion]?.stringValue else {
            throw JSONRPCError.invalidParams("_meta needs \(MetaKey.protocolVersion), a string such as \"2026-07-28\"")
        }
        guard let capabilities = meta[MetaKey.clientCapabilities]?.objectValue else {
            throw JSONRPCError.invalidParams(
                "_meta needs \(MetaKey.clientCapabilities), an object ({} when the client offers none)")
        }
        guard ServerConfiguration.modernVersions.contains(version) else {
            throw JSONRPCError.unsupportedVersion(version, supported: Self.allVersions)
        }
        var level: LogLevel?
        if let value = meta[MetaKey.logLevel] {
            guard let name = value.stringValue, let parsed = LogLevel(rawValue: name) else {
                throw JSONRPCError.invalidParams(
                    "\(MetaKey.logLevel) must be one of \(LogLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            level = parsed
        }
        lock.withLock { servedModern = true }
        return Request(era: .modern, params: params, clientCapabilities: capabilities, logLevel: level)
    }

    static let allVersions = ServerConfiguration.modernVersions + ServerConfiguration.supportedVersions

    /// A finished result as the request's era shapes it: 2026-07-28 adds `resultType`, the server's identity
    /// and, for lists, discovery and reads, caching hints.
    private func complete(_ result: JSONObject, _ request: Request, cacheable: Bool = false) -> JSONValue {
        guard request.era == .modern else { return .object(result) }
        var result = result
        result["resultType"] = .string("complete")
        if cacheable {
            result["ttlMs"] = .integer(configuration.cacheTTLMs)
            result["cacheScope"] = .string("public")
        }
        var meta = result["_meta"]?.objectValue ?? JSONObject()
        meta[MetaKey.serverInfo] = serverInfo
        result["_meta"] = .object(meta)
        return .object(result)
    }

    private var serverInfo: JSONValue {
        .object(
            JSONObject([
                "name": .string(configuration.name), "title": .string(configuration.title),
                "version": .string(configuration.version),
            ]))
    }

    // MARK: Methods

    private func handleNotification(_ method: String, params: JSONObject) {
        switch method {
        case "notifications/cancelled":
            guard let requestId = params["requestId"], requestId.stringValue != nil || requestId.doubleValue != nil
            else { return }
            cancel(key: JSONWriter.string(requestId))
        case "notifications/roots/list_changed":
            lock.withLock { clientRoots = nil }
        default:
            break  // notifications/initialized and unknown notifications need no reply
        }
    }

    private func handleRequest(_ method: String, id: JSONValue, request: Request) throws -> JSONValue? {
        let params = request.params
        let modern = request.era == .modern
        switch method {
        case "initialize": return try initialize(params)
        case "server/discover": return discover(request)
        // Removed by 2026-07-28; answered in the legacy era only.
        case "ping" where !modern: return .object(JSONObject())
        case "tools/list":
            return complete(
                try page(
                    try catalog().tools.map { describe($0, modern: modern) }, key: "tools", list: "tools",
                    cursor: params["cursor"]),
                request, cacheable: true)
        case "tools/call":
            return try startCall(id: id, request: request)
        case "resources/list":
            return complete(
                try page(
                    try catalog().resources.map { resource in
                        .object(
                            JSONObject([
                                "uri": .string(resource.uri), "name": .string(resource.name),
                                "title": .string(resource.title), "description": .string(resource.description),
                                "mimeType": .string(resource.mimeType), "size": .integer(resource.text.utf8.count),
                            ]))
                    }, key: "resources", list: "resources", cursor: params["cursor"]),
                request, cacheable: true)
        case "resources/templates/list":
            return complete(JSONObject(["resourceTemplates": .array([])]), request, cacheable: true)
        case "resources/read": return complete(try readResource(request), request, cacheable: true)
        case "prompts/list":
            return complete(
                try page(
                    try catalog().prompts.map(describe), key: "prompts", list: "prompts", cursor: params["cursor"]),
                request, cacheable: true)
        case "prompts/get": return complete(try getPrompt(params), request)
        case "tasks/get":
            try requireTasksExtension(request)
            let taskId = try Self.taskId(params)
            return try tasks.with(taskId) { entry in
                modern
                    ? complete(TaskRegistry.detailed(entry), request)
                    : .object(TaskRegistry.describe(entry, modern: false))
            }
        case "tasks/cancel":
            try requireTasksExtension(request)
            return try cancelTask(try Self.taskId(params), request: request)
        case "tasks/update" where modern:
            try requireTasksExtension(request)
            try updateTask(try Self.taskId(params), responses: params["inputResponses"])
            return complete(JSONObject(), request)
        case "tasks/result" where !modern:
            try taskResult(id: id, taskId: try Self.taskId(params))
            return nil
        case "tasks/list" where !modern:
            return .object(
                try page(
                    tasks.all { .object(TaskRegistry.describe($0, modern: false)) }, key: "tasks", list: "tasks",
                    cursor: params["cursor"]))
        case "logging/setLevel" where !modern:
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
        let declared = params["capabilities"]?.objectValue ?? JSONObject()
        lock.withLock {
            legacyCapabilities = declared
            clientRoots = nil
        }
        return .object(
            JSONObject([
                "protocolVersion": .string(version),
                "capabilities": .object(Self.capabilities(modern: false)),
                "serverInfo": serverInfo,
                "instructions": .string(configuration.instructions),
            ]))
    }

    /// Tasks are declared as each era names them: 2025-11-25's `tasks` capability, 2026-07-28's extension.
    static func capabilities(modern: Bool) -> JSONObject {
        var capabilities = JSONObject([
            "tools": .object(JSONObject(["listChanged": .bool(false)])),
            "resources": .object(JSONObject(["listChanged": .bool(false), "subscribe": .bool(false)])),
            "prompts": .object(JSONObject(["listChanged": .bool(false)])),
            "logging": .object(JSONObject()),
        ])
        if modern {
            capabilities["extensions"] = .object(JSONObject([TaskRegistry.extensionName: .object(JSONObject())]))
        } else {
            let empty = JSONValue.object(JSONObject())
            capabilities["tasks"] = .object(
                JSONObject([
                    "list": empty, "cancel": empty,
                    "requests": .object(JSONObject(["tools": .object(JSONObject(["call": empty]))])),
                ]))
        }
        return capabilities
    }

    /// 2026-07-28's `server/discover`: versions, capabilities and identity, with no handshake.
    private func discover(_ request: Request) -> JSONValue {
        complete(
            JSONObject([
                "supportedVersions": .array(Self.allVersions.map(JSONValue.string)),
                "capabilities": .object(Self.capabilities(modern: true)),
                "instructions": .string(configuration.instructions),
            ]), request, cacheable: true)
    }

    private func page(_ items: [JSONValue], key: String, list: String, cursor: JSONValue?) throws -> JSONObject {
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
        return result
    }

    /// 2025-11-25 marks the tools that may run as tasks with `execution.taskSupport`; 2026-07-28 has no such
    /// field (the server decides per request).
    private func describe(_ tool: Tool, modern: Bool) -> JSONValue {
        let annotations = JSONObject([
            "title": .string(tool.title),
            "readOnlyHint": .bool(tool.annotations.readOnly),
            "destructiveHint": .bool(tool.annotations.destructive),
            "idempotentHint": .bool(tool.annotations.idempotent),
            "openWorldHint": .bool(tool.annotations.openWorld),
        ])
        var description = JSONObject([
            "name": .string(tool.name), "title": .string(tool.title), "description": .string(tool.description),
            "inputSchema": tool.inputSchema, "outputSchema": tool.outputSchema,
            "annotations": .object(annotations),
        ])
        if tool.longRunning, !modern {
            description["execution"] = .object(JSONObject(["taskSupport": .string("optional")]))
        }
        return .object(description)
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

    private func readResource(_ request: Request) throws -> JSONObject {
        guard let uri = request.params["uri"]?.stringValue else {
            throw JSONRPCError.invalidParams("resources/read needs \"uri\"")
        }
        guard let resource = try catalog().resources.first(where: { $0.uri == uri }) else {
            // 2026-07-28 retired -32002 for -32602.
            if request.era == .modern {
                throw JSONRPCError.invalidParams("resource not found: \(JSONRPCError.quote(uri))")
            }
            throw JSONRPCError.resourceNotFound(uri)
        }
        let contents = JSONObject([
            "uri": .string(resource.uri), "mimeType": .string(resource.mimeType), "text": .string(resource.text),
        ])
        return JSONObject(["contents": .array([.object(contents)])])
    }

    private func getPrompt(_ params: JSONObject) throws -> JSONObject {
        guard let name = params["name"]?.stringValue else {
            throw JSONRPCError.invalidParams("prompts/get needs \"name\"")
        }
        let catalog = try self.catalog()
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
        return JSONObject(["description": .string(prompt.description), "messages": .array([.object(message)])])
    }

    // MARK: Tool calls

    private final class RunningCall {
        var task: Task<Void, Never>?
        var cancelled = false
        var lastProgress = -Double.infinity
    }

    /// Starts a tool call as a Swift task; returns a result only when the call cannot start yet (2026-07-28:
    /// the client's roots are needed first). A long call for a client that supports tasks becomes a task:
    /// the reply is the task handle, and the result waits in the registry.
    private func startCall(id: JSONValue, request: Request) throws -> JSONValue? {
        let params = request.params
        guard let name = params["name"]?.stringValue else {
            throw JSONRPCError.invalidParams("tools/call needs \"name\", the tool to call")
        }
        let catalog = try self.catalog()
        guard let tool = catalog.tool(named: name) else {
            throw JSONRPCError.invalidParams(
                "unknown tool \(JSONRPCError.quote(name)); tools/list names: \(catalog.tools.map(\.name).joined(separator: ", "))"
            )
        }
        let arguments = params["arguments"]
        let elicitation = try elicitationSource(tool: name, request: request)
        let roots = try rootsSource(for: tool.fileUses(arguments), request: request)
        if case .ask = roots {
            // Roots are a client input of 2026-07-28's multi round-trip requests: ask, the client retries.
            var result = JSONObject([
                "inputRequests": .object(JSONObject(["roots": .object(JSONObject(["method": .string("roots/list")]))]))
            ])
            result["_meta"] = .object(JSONObject([MetaKey.serverInfo: serverInfo]))
            result["resultType"] = .string("input_required")
            return .object(result)
        }
        let token = params["_meta"]?["progressToken"].flatMap {
            $0.stringValue != nil || $0.doubleValue != nil ? $0 : nil
        }
        let call = Call(tool: tool, arguments: arguments, request: request, roots: roots, progressToken: token)
        if try taskRequested(tool, request: request) {
            let entry = try tasks.create(requestedTTLMs: params["task"]?["ttl"]?.integerValue)
            // The handle goes out before the work starts, so no progress precedes it.
            sendResult(id: id, createTaskResult(entry, call: call))
            try runTask(entry.id, call: call, elicitation: elicitation)
            return nil
        }
        let key = JSONWriter.string(id)
        try launch(key: key, call: call, elicitation: elicitation, taskId: nil) { [self] outcome in
            switch outcome {
            case .result(let result):
                finish(key: key, reply: Self.envelope(id: id, result: complete(Self.render(result), request)))
            case .input(let ask):
                finish(key: key, reply: Self.envelope(id: id, result: inputRequired(ask, tool: name)))
            case .cancelled:
                finish(key: key, reply: nil)
            }
        }
        return nil
    }

    /// What a tool call needs to run, kept by a task so that it can run again with the person's answer.
    struct Call: Sendable {
        let tool: Tool
        let arguments: JSONValue?
        let request: Request
        let roots: RootsSource
        let progressToken: JSONValue?
    }

    enum Outcome: Sendable {
        case result(ToolCallResult)
        /// 2026-07-28: the call wants this form answered before it can finish.
        case input(Ask)
        case cancelled
    }

    /// Runs the call as a Swift task registered under `key` (so a cancel reaches it) and hands its outcome to
    /// `deliver`, which must forget the key (`finish`).
    private func launch(
        key: String, call: Call, elicitation: Elicitation, taskId: String?,
        deliver: @escaping @Sendable (Outcome) -> Void
    ) throws {
        let running = RunningCall()
        try lock.withLock {
            guard self.running[key] == nil else {
                throw JSONRPCError.invalidRequest("id \(key) is already in use by a running request")
            }
            self.running[key] = running
        }
        let modern = call.request.era == .modern
        let task = Task { [self] in
            let outcome: Outcome
            do {
                let files: FileAccess
                switch call.roots {
                case .access(let access): files = access
                case .askLegacyClient: files = try await legacyClientRoots()
                case .ask: preconditionFailure("answered before the call starts")
                }
                // 2026-07-28 sends no progress or log notifications for a task: tasks/get shows its progress.
                let context = CallContext(
                    session: self, key: key, progressToken: modern && taskId != nil ? nil : call.progressToken,
                    files: files,
                    logLevel: modern ? .some(taskId == nil ? call.request.logLevel : nil) : nil,
                    elicitation: elicitation, taskId: taskId)
                let result = try await call.tool.call(call.arguments, context: context)
                outcome = elicitation.pendingAsk.map(Outcome.input) ?? .result(result)
            } catch let error as BackendError {
                outcome = .result(.failure(error))
            } catch {
                outcome = .cancelled
            }
            deliver(outcome)
        }
        // A cancel that arrived before the task existed still cancels it (outside the lock: cancellation
        // handlers, such as a wait for the client, take it).
        let cancelled = lock.withLock {
            running.task = task
            return running.cancelled
        }
        if cancelled { task.cancel() }
    }

    // MARK: Tasks

    /// 2025-11-25: the request carries `task` (only tools that declare `execution.taskSupport` accept it);
    /// 2026-07-28: the request declares the tasks extension, and the server makes long calls tasks.
    private func taskRequested(_ tool: Tool, request: Request) throws -> Bool {
        switch request.era {
        case .legacy:
            guard let task = request.params["task"], task != .null else { return false }
            guard task.objectValue != nil else {
                throw JSONRPCError.invalidParams("\"task\" must be an object such as {\"ttl\": 60000}")
            }
            guard tool.longRunning else {
                throw JSONRPCError(
                    code: -32601,
                    message:
                        "Method not found: \(tool.name) does not run as a task (its execution.taskSupport is forbidden); call it without \"task\""
                )
            }
            return true
        case .modern:
            return tool.longRunning && request.clientCapabilities["extensions"]?[TaskRegistry.extensionName] != nil
        }
    }

    private func requireTasksExtension(_ request: Request) throws {
        guard request.era == .modern,
            request.clientCapabilities["extensions"]?[TaskRegistry.extensionName] == nil
        else { return }
        throw JSONRPCError.missingClientCapability(
            "tasks/* needs the extension \(TaskRegistry.extensionName) in _meta.\(MetaKey.clientCapabilities).extensions",
            required: JSONObject([
                "extensions": .object(JSONObject([TaskRegistry.extensionName: .object(JSONObject())]))
            ]))
    }

    static func taskId(_ params: JSONObject) throws -> String {
        guard let id = params["taskId"]?.stringValue else {
            throw JSONRPCError.invalidParams("\"taskId\" must be the string a task-creating tools/call returned")
        }
        return id
    }

    private func createTaskResult(_ entry: TaskRegistry.Entry, call: Call) -> JSONValue {
        let modern = call.request.era == .modern
        let task = (try? tasks.with(entry.id) { TaskRegistry.describe($0, modern: modern) }) ?? JSONObject()
        guard modern else {
            let note =
                "\(call.tool.name) runs as task \(entry.id): poll tasks/get, then fetch the result with tasks/result."
            return .object(
                JSONObject([
                    "task": .object(task),
                    "_meta": .object(JSONObject(["io.modelcontextprotocol/model-immediate-response": .string(note)])),
                ]))
        }
        var result = task
        result["resultType"] = .string("task")
        result["_meta"] = .object(JSONObject([MetaKey.serverInfo: serverInfo]))
        return .object(result)
    }

    /// Runs (or, after a form was answered, runs again) the call of a task; the outcome settles the task.
    private func runTask(_ taskId: String, call: Call, elicitation: Elicitation) throws {
        let runKey = try tasks.with(taskId) { $0.runKey }
        try launch(key: runKey, call: call, elicitation: elicitation, taskId: taskId) { [self] outcome in
            finish(key: runKey, reply: nil)
            settle(taskId, call: call, outcome: outcome)
        }
    }

    /// Records how a task's run ended. 2025-11-25 counts an error result as `failed` (tasks/result still
    /// returns it); 2026-07-28 keeps `failed` for JSON-RPC errors, so an error result is `completed`.
    private func settle(_ taskId: String, call: Call, outcome: Outcome) {
        let modern = call.request.era == .modern
        switch outcome {
        case .result(let result):
            let status: TaskRegistry.Status = !modern && result.isError ? .failed : .completed
            let rendered = modern ? complete(Self.render(result), call.request).objectValue : Self.render(result)
            tasks.transition(taskId, to: status) { entry in
                entry.result = rendered
                entry.message = result.digest.split(separator: "\n").first.map(String.init)
            }
        case .input(let ask):
            tasks.transition(taskId, to: .inputRequired) { [self] entry in
                entry.inputRounds += 1
                entry.pending = ("\(Self.elicitationInput)-\(entry.inputRounds)", ask)
                entry.message = "waiting for the person to answer: \(ask.message)"
                entry.resume = { [self] digest, answer in
                    do {
                        try runTask(
                            taskId, call: call, elicitation: Elicitation(mode: .modern(answer: (digest, answer))))
                    } catch {
                        tasks.transition(taskId, to: .failed) { $0.error = .internalError("\(error)") }
                    }
                }
            }
        case .cancelled:
            tasks.transition(taskId, to: .cancelled) { $0.message = $0.message ?? "cancelled" }
        }
    }

    /// 2026-07-28 `tasks/update`: the answer to the outstanding form runs the call again; keys that are not
    /// outstanding are ignored, as the extension says.
    private func updateTask(_ taskId: String, responses: JSONValue?) throws {
        guard let responses = responses?.objectValue else {
            throw JSONRPCError.invalidParams(
                "tasks/update needs \"inputResponses\", an object keyed like inputRequests")
        }
        let resume = try tasks.with(taskId) { entry -> (@Sendable () -> Void)? in
            guard entry.status == .inputRequired, let pending = entry.pending,
                let response = responses[pending.key]?.objectValue, let resume = entry.resume
            else { return nil }
            let answer: ElicitationAnswer =
                response["action"]?.stringValue == "accept"
                ? .accepted(response["content"]?.objectValue ?? JSONObject()) : .declined
            entry.status = .working
            entry.updated = Date()
            entry.message = "answered; running again"
            entry.pending = nil
            entry.resume = nil
            let digest = pending.ask.digest
            return { resume(digest, answer) }
        }
        resume?()
    }

    /// `tasks/cancel`: stops the call's traffic or statement (the same path as notifications/cancelled).
    /// 2025-11-25 refuses to cancel a finished task and answers with the task; 2026-07-28 acknowledges.
    private func cancelTask(_ taskId: String, request: Request) throws -> JSONValue {
        let modern = request.era == .modern
        let (runKey, status) = try tasks.with(taskId) { ($0.runKey, $0.status) }
        if status.terminal {
            guard modern else {
                throw JSONRPCError.invalidParams(
                    "task \(taskId) is already \(status.rawValue); only a working task can be cancelled")
            }
            return complete(JSONObject(), request)
        }
        tasks.transition(taskId, to: .cancelled) { $0.message = "cancelled by tasks/cancel" }
        cancel(key: runKey)
        if modern { return complete(JSONObject(), request) }
        return .object(try tasks.with(taskId) { TaskRegistry.describe($0, modern: false) })
    }

    /// 2025-11-25 `tasks/result`: waits until the task ends, then answers what the call would have answered.
    private func taskResult(id: JSONValue, taskId: String) throws {
        _ = try tasks.with(taskId) { $0.id }
        let key = JSONWriter.string(id)
        let waiting = RunningCall()
        try lock.withLock {
            guard running[key] == nil else {
                throw JSONRPCError.invalidRequest("id \(key) is already in use by a running request")
            }
            running[key] = waiting
        }
        let task = Task { [self] in
            await tasks.waitUntilTerminal(taskId)
            let reply: JSONValue
            do {
                reply = try tasks.with(taskId) { entry -> JSONValue in
                    if var result = entry.result {
                        result["_meta"] = .object(Self.relatedTask(taskId))
                        return Self.envelope(id: id, result: .object(result))
                    }
                    let error =
                        entry.error
                        ?? .invalidParams("task \(taskId) was cancelled before it finished; it has no result")
                    return .object(JSONObject(["jsonrpc": .string("2.0"), "id": id, "error": error.json]))
                }
            } catch let error as JSONRPCError {
                reply = .object(JSONObject(["jsonrpc": .string("2.0"), "id": id, "error": error.json]))
            } catch {
                reply = .null
            }
            finish(key: key, reply: reply == .null ? nil : reply)
        }
        let cancelled = lock.withLock {
            waiting.task = task
            return waiting.cancelled
        }
        if cancelled { task.cancel() }
    }

    /// Legacy: a task's progress also goes to its status message, and its notifications name the task.
    fileprivate func taskProgress(_ taskId: String, progress: Double, total: Double?, message: String?) {
        let amount = total.map { "\(Self.figure(progress))/\(Self.figure($0))" } ?? Self.figure(progress)
        tasks.progress(taskId, message: "working: \(amount)" + (message.map { ", \($0)" } ?? ""))
    }

    static func figure(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// 2025-11-25: a task run waits for a form in `input_required`.
    fileprivate func markTask(_ taskId: String, waitingFor ask: Ask?) {
        tasks.transition(taskId, to: ask == nil ? .working : .inputRequired) { entry in
            entry.message = ask.map { "waiting for the person to answer: \($0.message)" } ?? "working"
        }
    }

    // MARK: Elicitation

    /// The per-process key that signs the 2026-07-28 `requestState`: the client echoes it, and may alter it.
    static let stateKey: [UInt8] = {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }()

    /// The form a call wants answered, as the signed state and the elicitation request carry it.
    struct Ask: Sendable, Equatable {
        let message: String
        let schema: JSONValue
        var digest: String { Self.hex(HMACSHA256.sha256(Array(JSONWriter.bytes(.array([.string(message), schema]))))) }
        static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
    }

    /// `requestState`: what was asked (tool and form digest), then its HMAC-SHA256 under the process key.
    static func signState(tool: String, ask: Ask, key: [UInt8] = stateKey) -> String {
        let payload = "v1|\(tool)|\(ask.digest)"
        return payload + "|" + Ask.hex(HMACSHA256.authenticationCode(key: key, message: Array(payload.utf8)))
    }

    /// The form digest a `requestState` vouches for, or nil when this process did not sign it for this tool.
    static func verifyState(_ state: String, tool: String, key: [UInt8] = stateKey) -> String? {
        guard let cut = state.lastIndex(of: "|") else { return nil }
        let payload = String(state[..<cut])
        let mac = Ask.hex(HMACSHA256.authenticationCode(key: key, message: Array(payload.utf8)))
        guard HMACSHA256.constantTimeEqual(Array(mac.utf8), Array(state[state.index(after: cut)...].utf8)) else {
            return nil
        }
        let parts = payload.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", parts[1] == tool else { return nil }
        return String(parts[2])
    }

    static let elicitationInput = "elicitation"

    /// How a call may put forms to the person: not at all, by `elicitation/create` (legacy, capability
    /// declared at initialize), or by an input-required result whose retry carries the answer (2026-07-28).
    private func elicitationSource(tool: String, request: Request) throws -> Elicitation {
        let capability = request.clientCapabilities["elicitation"]?.objectValue
        // An empty elicitation capability means form mode; otherwise form must be named.
        let forms = capability.map { $0.keys.isEmpty || $0["form"] != nil } ?? false
        let state = request.params["requestState"]?.stringValue
        let response = request.params["inputResponses"]?[Self.elicitationInput]
        guard request.era == .modern else { return Elicitation(mode: forms ? .legacy(self) : .none) }
        guard let state else {
            if response != nil {
                throw JSONRPCError.invalidParams(
                    "inputResponses.\(Self.elicitationInput) needs the requestState this server returned with the form")
            }
            return Elicitation(mode: forms ? .modern(answer: nil) : .none)
        }
        guard let digest = Self.verifyState(state, tool: tool) else {
            throw JSONRPCError.invalidParams(
                "requestState was not issued by this server process for \(tool) (signature mismatch); call again without requestState and inputResponses"
            )
        }
        guard let response = response?.objectValue, let action = response["action"]?.stringValue else {
            throw JSONRPCError.invalidParams(
                "inputResponses.\(Self.elicitationInput) must be an ElicitResult: {\"action\": \"accept\"|\"decline\"|\"cancel\", \"content\": {...}}"
            )
        }
        let answer: ElicitationAnswer =
            action == "accept" ? .accepted(response["content"]?.objectValue ?? JSONObject()) : .declined
        return Elicitation(mode: .modern(answer: (digest, answer)))
    }

    /// 2026-07-28: the reply that puts the form to the client, with the signed state to echo on the retry.
    private func inputRequired(_ ask: Ask, tool: String) -> JSONValue {
        .object(
            JSONObject([
                "inputRequests": .object(JSONObject([Self.elicitationInput: Self.elicitationRequest(ask)])),
                "requestState": .string(Self.signState(tool: tool, ask: ask)),
                "resultType": .string("input_required"),
                "_meta": .object(JSONObject([MetaKey.serverInfo: serverInfo])),
            ]))
    }

    /// The `elicitation/create` request that puts a form, as an input request of 2026-07-28.
    static func elicitationRequest(_ ask: Ask) -> JSONValue {
        .object(JSONObject(["method": .string("elicitation/create"), "params": .object(formParams(ask))]))
    }

    static func formParams(_ ask: Ask) -> JSONObject {
        JSONObject(["mode": .string("form"), "message": .string(ask.message), "requestedSchema": ask.schema])
    }

    /// Legacy era: sends `elicitation/create` and waits for the person (bounded). Within a task the request
    /// names the task, and the task shows `input_required` meanwhile.
    fileprivate func elicitLegacy(_ ask: Ask, taskId: String?) async -> ElicitationAnswer {
        var params = Self.formParams(ask)
        if let taskId {
            params["_meta"] = .object(Self.relatedTask(taskId))
            markTask(taskId, waitingFor: ask)
        }
        let reply = await requestFromClient(
            "elicitation/create", params: params, timeoutSeconds: Self.personTimeoutSeconds)
        if let taskId { markTask(taskId, waitingFor: nil) }
        guard let reply, reply["action"]?.stringValue == "accept" else { return .declined }
        return .accepted(reply["content"]?.objectValue ?? JSONObject())
    }

    static func relatedTask(_ taskId: String) -> JSONObject {
        JSONObject(["io.modelcontextprotocol/related-task": .object(JSONObject(["taskId": .string(taskId)]))])
    }

    /// A person answers a form more slowly than a client answers roots/list.
    static let personTimeoutSeconds = 600

    /// Where a call's folders come from.
    enum RootsSource: Sendable {
        case access(FileAccess)
        /// 2026-07-28: answer input-required with a `roots/list` input request.
        case ask
        /// Legacy: send `roots/list` to the client (once; cached until it says they changed).
        case askLegacyClient
    }

    /// The client's roots when it declares the capability and the call touches files; otherwise the
    /// working directory and TMPDIR (both widened by `SENIOR_BACKEND_FILE_ROOTS`).
    private func rootsSource(for uses: [FileUse], request: Request) throws -> RootsSource {
        guard !uses.isEmpty, request.clientCapabilities["roots"] != nil else {
            return .access(.serverDefaults(environment: environment))
        }
        guard request.era == .modern else { return .askLegacyClient }
        guard let response = request.params["inputResponses"]?["roots"] else { return .ask }
        guard let list = response["roots"]?.arrayValue else {
            throw JSONRPCError.invalidParams(
                "inputResponses.roots must be a ListRootsResult: {\"roots\": [{\"uri\": \"file:///...\"}]}")
        }
        return .access(.clientRoots(list.compactMap { $0["uri"]?.stringValue }, environment: environment))
    }

    /// Legacy era: the client's roots, asked with `roots/list` the first time a call needs them.
    private func legacyClientRoots() async throws(BackendError) -> FileAccess {
        if let known = lock.withLock({ clientRoots }) {
            return .clientRoots(known, environment: environment)
        }
        guard let reply = await requestFromClient("roots/list", params: JSONObject()),
            let list = reply["roots"]?.arrayValue
        else {
            throw BackendError(
                .refused,
                "the client declared roots but did not answer roots/list within \(Self.clientTimeoutSeconds) s; no file is read or written without them"
            )
        }
        let uris = list.compactMap { $0["uri"]?.stringValue }
        lock.withLock { clientRoots = uris }
        return .clientRoots(uris, environment: environment)
    }

    static let clientTimeoutSeconds = 10

    /// Sends a request to the client (legacy era only) and waits for its result; nil on an error or silence.
    private func requestFromClient(
        _ method: String, params: JSONObject, timeoutSeconds: Int = clientTimeoutSeconds
    ) async -> JSONValue? {
        let key = lock.withLock {
            nextClientRequest += 1
            return "senior-backend-\(nextClientRequest)"
        }
        // A cancelled call (notifications/cancelled, tasks/cancel, end of input) stops waiting at once.
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                lock.withLock { awaitingClient[key] = continuation }
                if Task.isCancelled {
                    answerFromClient(key: key, result: nil)
                    return
                }
                writer.write(
                    JSONWriter.bytes(
                        .object(
                            JSONObject([
                                "jsonrpc": .string("2.0"), "id": .string(key), "method": .string(method),
                                "params": .object(params),
                            ]))))
                Task { [self] in
                    try? await Task.sleep(for: .seconds(timeoutSeconds))
                    answerFromClient(key: key, result: nil)
                }
            }
        } onCancel: { [self] in
            answerFromClient(key: key, result: nil)
        }
    }

    private func answerFromClient(key: String, result: JSONValue?) {
        let waiting = lock.withLock { awaitingClient.removeValue(forKey: key) }
        waiting?.resume(returning: result)
    }

    static func render(_ outcome: ToolCallResult) -> JSONObject {
        var result = JSONObject([
            "content": .array([.object(JSONObject(["type": .string("text"), "text": .string(outcome.digest)]))])
        ])
        if let structured = outcome.structured { result["structuredContent"] = structured }
        result["isError"] = .bool(outcome.isError)
        return result
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
        // The task is cancelled outside the lock: its cancellation handlers (a wait for the client) take it.
        let task = lock.withLock { () -> Task<Void, Never>? in
            guard let call = running[key], !call.cancelled else { return nil }
            call.cancelled = true
            return call.task
        }
        task?.cancel()
        logger.debug("cancelled request \(key)")
    }

    fileprivate func progress(
        key: String, token: JSONValue, progress: Double, total: Double?, message: String?, taskId: String?
    ) {
        var params = JSONObject(["progressToken": token, "progress": .double(progress)])
        if let total { params["total"] = .double(total) }
        if let message { params["message"] = .string(SecretRedactor.redact(message)) }
        if let taskId { params["_meta"] = .object(Self.relatedTask(taskId)) }
        let bytes = JSONWriter.bytes(Self.notification("notifications/progress", params: params))
        lock.withLock {
            guard let call = running[key], !call.cancelled, progress > call.lastProgress else { return }
            call.lastProgress = progress
            writer.write(bytes)
        }
    }

    /// `requestLevel` is the 2026-07-28 request's own threshold (nil inside: none); nil: the legacy session's.
    fileprivate func log(_ level: LogLevel, _ message: String, requestLevel: LogLevel??) {
        let text = SecretRedactor.redact(message)
        logger.log(level: level.swiftLogLevel, "\(text)")
        let threshold = requestLevel ?? lock.withLock { logThreshold }
        guard let threshold, level >= threshold else { return }
        let params = JSONObject([
            "level": .string(level.rawValue), "logger": .string(configuration.name), "data": .string(text),
        ])
        writer.write(JSONWriter.bytes(Self.notification("notifications/message", params: params)))
    }

    /// Waits until every call in flight has written its reply (used at end of input). Tasks are cancelled
    /// first: with the input closed no one can poll them.
    public func drain() async {
        for key in tasks.cancelUnfinished() { cancel(key: key) }
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
    let files: FileAccess
    let logLevel: LogLevel??
    let elicitation: Elicitation
    /// The task this call runs for, if any.
    let taskId: String?

    var resumesElicitation: Bool { elicitation.resumes }
    var canElicit: Bool { elicitation.available }

    func elicit(_ message: String, schema: JSONValue) async -> ElicitationAnswer? {
        await elicitation.elicit(MCPSession.Ask(message: message, schema: schema), taskId: taskId)
    }

    func reportProgress(_ progress: Double, total: Double?, message: String?) {
        if let taskId { session.taskProgress(taskId, progress: progress, total: total, message: message) }
        guard let progressToken else { return }
        session.progress(
            key: key, token: progressToken, progress: progress, total: total, message: message, taskId: taskId)
    }

    func log(_ level: LogLevel, _ message: String) { session.log(level, message, requestLevel: logLevel) }
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

/// One call's way to put forms to the person, and (2026-07-28) the form it wants answered on a retry.
final class Elicitation: @unchecked Sendable {
    enum Mode {
        case none
        case legacy(MCPSession)
        /// The retry's answer, with the digest of the form it answers (from the verified requestState).
        case modern(answer: (digest: String, answer: ElicitationAnswer)?)
    }

    private let lock = NSLock()
    private let mode: Mode
    private var answerUsed = false
    private var ask: MCPSession.Ask?

    init(mode: Mode) { self.mode = mode }

    var resumes: Bool {
        if case .modern(let answer) = mode { return answer != nil }
        return false
    }

    var available: Bool {
        if case .none = mode { return false }
        return true
    }

    /// The form still to be answered: the session replies input-required with it instead of the result.
    var pendingAsk: MCPSession.Ask? { lock.withLock { ask } }

    func elicit(_ form: MCPSession.Ask, taskId: String?) async -> ElicitationAnswer? {
        switch mode {
        case .none: return nil
        case .legacy(let session): return await session.elicitLegacy(form, taskId: taskId)
        case .modern(let answer):
            return lock.withLock {
                // The retry's answer counts only for the very form it was given to.
                if let answer, !answerUsed, answer.digest == form.digest {
                    answerUsed = true
                    return answer.answer
                }
                ask = form
                return nil
            }
        }
    }
}
