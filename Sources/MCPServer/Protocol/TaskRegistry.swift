import BackendCore
import Foundation

/// The tasks of one session: long tool calls that a client follows by polling instead of waiting on the
/// reply (2025-11-25's experimental tasks: `tasks/get`, `tasks/result`, `tasks/list`, `tasks/cancel`;
/// 2026-07-28's extension `io.modelcontextprotocol/tasks`: `tasks/get`, `tasks/update`, `tasks/cancel`).
///
/// Stdio has one client and no authorization context, so task ids are 128 random bits from the system's
/// secure generator and a finished task is forgotten after its TTL (at most an hour).
final class TaskRegistry: @unchecked Sendable {
    enum Status: String, Sendable {
        case working, inputRequired = "input_required", completed, failed, cancelled
        var terminal: Bool { self == .completed || self == .failed || self == .cancelled }
    }

    /// One task; mutated only under the registry's lock.
    final class Entry {
        let id: String
        let created: Date
        let ttlMs: Int
        /// The key of the tool call in the session's running calls (what a cancel stops).
        let runKey: String
        var updated: Date
        var status = Status.working
        var message: String?
        /// The tool's result (completed, or failed in the legacy era when it is an error result).
        var result: JSONObject?
        /// A JSON-RPC error the call ended in (failed).
        var error: JSONRPCError?
        /// 2026-07-28: the form the call waits for, under a key used once in the task's life.
        var pending: (key: String, ask: MCPSession.Ask)?
        var inputRounds = 0
        /// 2026-07-28: runs the call again with the person's answer to the pending form.
        var resume: (@Sendable (_ digest: String, _ answer: ElicitationAnswer) -> Void)?
        var waiters: [CheckedContinuation<Void, Never>] = []

        init(id: String, ttlMs: Int, runKey: String) {
            self.id = id
            self.created = Date()
            self.updated = created
            self.ttlMs = ttlMs
            self.runKey = runKey
        }
    }

    static let extensionName = "io.modelcontextprotocol/tasks"
    static let defaultTTLMs = 3_600_000
    static let pollIntervalMs = 500
    /// Unfinished and retained tasks together; a client that starts more gets an error naming the limit.
    static let maxTasks = 64

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var order: [String] = []

    /// A new task in `working`, retrievable at once (the create result is sent only after this returns).
    func create(requestedTTLMs: Int?) throws -> Entry {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }
            .joined()
        let ttl = min(max(requestedTTLMs ?? Self.defaultTTLMs, 1_000), Self.defaultTTLMs)
        let entry = Entry(id: id, ttlMs: ttl, runKey: "task:\(id)")
        try lock.withLock {
            purgeExpired()
            guard entries.count < Self.maxTasks else {
                throw JSONRPCError.invalidRequest(
                    "\(Self.maxTasks) tasks are running or retained in this session; wait for one to finish or cancel one"
                )
            }
            entries[id] = entry
            order.append(id)
        }
        return entry
    }

    /// Runs `body` on the task under the lock; an unknown or expired id is -32602.
    func with<T>(_ id: String, _ body: (Entry) throws -> T) throws -> T {
        try lock.withLock {
            purgeExpired()
            guard let entry = entries[id] else {
                throw JSONRPCError.invalidParams(
                    "no task \(JSONRPCError.quote(id)) in this session (unknown, or forgotten after its ttl)")
            }
            return try body(entry)
        }
    }

    func all<T>(_ body: (Entry) -> T) -> [T] {
        lock.withLock {
            purgeExpired()
            return order.compactMap { entries[$0] }.map(body)
        }
    }

    /// Moves an unfinished task on; a terminal task stays as it is (a cancelled one stays cancelled).
    func transition(_ id: String, to status: Status, _ change: (Entry) -> Void = { _ in }) {
        let waiters = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            guard let entry = entries[id], !entry.status.terminal else { return [] }
            entry.status = status
            entry.updated = Date()
            change(entry)
            guard status.terminal else { return [] }
            entry.pending = nil
            entry.resume = nil
            defer { entry.waiters = [] }
            return entry.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The progress of a running task, shown as its status message.
    func progress(_ id: String, message: String) {
        lock.withLock {
            guard let entry = entries[id], !entry.status.terminal else { return }
            entry.message = message
            entry.updated = Date()
        }
    }

    /// Waits until the task is terminal (legacy `tasks/result`); returns at once for a terminal or unknown task.
    func waitUntilTerminal(_ id: String) async {
        await withCheckedContinuation { continuation in
            let ready = lock.withLock { () -> Bool in
                guard let entry = entries[id], !entry.status.terminal else { return true }
                entry.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Cancels every unfinished task (at end of input: no one is left to poll them); their run keys.
    func cancelUnfinished() -> [String] {
        let open = lock.withLock { entries.values.filter { !$0.status.terminal }.map { ($0.id, $0.runKey) } }
        for (id, _) in open { transition(id, to: .cancelled) { $0.message = "the client closed the session" } }
        return open.map(\.1)
    }

    /// Forgets finished tasks whose TTL has run out; a task still working is kept until it ends.
    private func purgeExpired() {
        let now = Date()
        for (id, entry) in entries
        where entry.status.terminal && now.timeIntervalSince(entry.created) * 1000 > Double(entry.ttlMs) {
            entries[id] = nil
        }
        order.removeAll { entries[$0] == nil }
    }

    // MARK: Wire shapes

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// The `Task` object: `ttl`/`pollInterval` in 2025-11-25, `ttlMs`/`pollIntervalMs` in 2026-07-28.
    static func describe(_ entry: Entry, modern: Bool) -> JSONObject {
        var task = JSONObject([
            "taskId": .string(entry.id), "status": .string(entry.status.rawValue),
            "createdAt": .string(timestamp(entry.created)), "lastUpdatedAt": .string(timestamp(entry.updated)),
            (modern ? "ttlMs" : "ttl"): .integer(entry.ttlMs),
        ])
        if !entry.status.terminal { task[modern ? "pollIntervalMs" : "pollInterval"] = .integer(pollIntervalMs) }
        if let message = entry.message { task["statusMessage"] = .string(SecretRedactor.redact(message)) }
        return task
    }

    /// 2026-07-28's `DetailedTask`: the task with its result, error or outstanding input requests inline.
    static func detailed(_ entry: Entry) -> JSONObject {
        var task = describe(entry, modern: true)
        switch entry.status {
        case .completed, .failed:
            if let result = entry.result { task["result"] = .object(result) }
            if let error = entry.error { task["error"] = error.json }
        case .inputRequired:
            if let pending = entry.pending {
                task["inputRequests"] = .object(JSONObject([pending.key: MCPSession.elicitationRequest(pending.ask)]))
            }
        case .working, .cancelled:
            break
        }
        return task
    }
}
