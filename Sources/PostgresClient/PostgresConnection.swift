import BackendCore
import CLibPQ
import Foundation

/// One libpq connection, used from one thread at a time.
///
/// Any libpq connection string or URI is accepted; an empty one falls back to `DATABASE_URL` and then
/// to the `PG*` variables, which libpq reads itself. Every error message is redacted: no password from
/// the connection string or `PGPASSWORD` can reach a result or log.
public final class PostgresConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    private let noticeBox = NoticeBox()
    private let cancelHandle: OpaquePointer?
    private let scope: CancellationScope?
    private var cancellationToken: Int?
    /// What the caller passed, with the password masked, for messages.
    public let displayName: String

    /// Resolves the connection string the caller gave (or `DATABASE_URL`), for `connect`.
    public static func resolve(_ connection: String?, environment: [String: String]) -> String {
        if let connection, !connection.trimmingCharacters(in: .whitespaces).isEmpty { return connection }
        return environment["DATABASE_URL"] ?? ""
    }

    /// Connects; fails with `.unreachable` (host, port, database, credentials) and a redacted message.
    public static func connect(
        _ connection: String, applicationName: String = "senior-backend", timeoutSeconds: Int = 10
    ) throws(BackendError) -> PostgresConnection {
        if let failure = clibpq_load() { throw BackendError(.failed, String(cString: failure)) }
        Self.registerPassword(in: connection)
        // Later keywords override earlier ones, so the caller's own connect_timeout still wins.
        let keywords = ["connect_timeout", "fallback_application_name", "dbname"]
        let values = [String(timeoutSeconds), applicationName, connection]
        let handle = withArrayOfCStrings(keywords) { keywordPointers in
            withArrayOfCStrings(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let handle else { throw BackendError(.failed, "libpq could not allocate a connection") }
        let display = SecretRedactor.redact(connection.isEmpty ? "(PG* environment)" : connection)
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(handle)
            throw BackendError(.unreachable, "cannot connect to \(display): \(message)")
        }
        return PostgresConnection(handle: handle, displayName: display)
    }

    private init(handle: OpaquePointer, displayName: String) {
        self.handle = handle
        self.displayName = displayName
        // Made once, so cancelling never touches the connection itself from another thread.
        cancelHandle = PQgetCancel(handle)
        // Blocking work whose task is cancelled stops the statement running here.
        scope = CancellationScope.current
        if let scope, let cancelHandle = UncheckedCancel(cancelHandle) {
            cancellationToken = scope.register { cancelHandle.send() }
        }
        let box = Unmanaged.passUnretained(noticeBox).toOpaque()
        PQsetNoticeReceiver(
            handle,
            { context, result in
                guard let context, let result, let text = PQresultErrorMessage(result) else { return }
                Unmanaged<NoticeBox>.fromOpaque(context).takeUnretainedValue().append(String(cString: text))
            }, box)
    }

    deinit {
        if let scope, let cancellationToken { scope.unregister(cancellationToken) }
        if let cancelHandle { PQfreeCancel(cancelHandle) }
        PQfinish(handle)
    }

    /// Notices the server sent (e.g. from `RAISE NOTICE`), in order.
    public var notices: [String] { noticeBox.all }

    /// The server's version number, e.g. 150018.
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// The `PG*` variables that connect a libpq client program (`pg_dump`) to this same database, password
    /// included: for a child's environment, never its arguments.
    public var environment: [String: String] {
        guard let options = PQconninfo(handle) else { return [:] }
        defer { PQconninfoFree(options) }
        var result: [String: String] = [:]
        var option = options
        while option.pointee.keyword != nil {
            if let variable = option.pointee.envvar, let value = option.pointee.val, value.pointee != 0 {
                result[String(cString: variable)] = String(cString: value)
            }
            option += 1
        }
        return result
    }

    /// Runs one statement with text parameters (`$1`, `$2`, ...) and returns its rows as text.
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws(BackendError) -> QueryResult {
        try checkNotCancelled(sql)
        let result = withOptionalCStrings(parameters) { pointers in
            PQexecParams(handle, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        return try consume(result, sql: sql)
    }

    /// Runs a script of several statements as psql does with `-f` in one round trip (`PQexec`); returns
    /// the last statement's rows. Outside an explicit transaction each statement commits on its own.
    @discardableResult
    public func execute(script: String) throws(BackendError) -> QueryResult {
        try checkNotCancelled(script)
        return try consume(PQexec(handle, script), sql: script)
    }

    /// After the caller cancelled, only a ROLLBACK still runs (the server rolls back on close anyway).
    private func checkNotCancelled(_ sql: String) throws(BackendError) {
        guard scope?.isCancelled == true, sql != "ROLLBACK" else { return }
        throw BackendError(.failed, "cancelled by the caller before the next statement")
    }

    /// Asks the server to cancel the statement running on this connection; safe from any thread.
    public func cancel() {
        guard let cancelHandle else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancelHandle, &buffer, Int32(buffer.count))
    }

    /// Runs `body` inside `BEGIN ... COMMIT` (or `ROLLBACK` when it throws or `rollback` is true).
    public func transaction<T>(
        readOnly: Bool = false, rollback: Bool = false, _ body: () throws(BackendError) -> T
    ) throws(BackendError) -> T {
        try query(readOnly ? "BEGIN READ ONLY" : "BEGIN")
        do {
            let value = try body()
            try query(rollback ? "ROLLBACK" : "COMMIT")
            return value
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }

    private func consume(_ result: OpaquePointer?, sql: String) throws(BackendError) -> QueryResult {
        guard let result else {
            throw BackendError(.unreachable, "\(displayName): \(String(cString: PQerrorMessage(handle)))")
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            return QueryResult(result)
        default:
            throw PostgresError(result: result, connection: handle).backendError(sql: sql)
        }
    }

    /// Registers the password of a URI or key/value string so it is masked wherever it appears.
    static func registerPassword(in connection: String) {
        guard clibpq_load() == nil else { return }  // nothing can connect then, and connect says why
        var options: UnsafeMutablePointer<PQconninfoOption>?
        var error: UnsafeMutablePointer<CChar>?
        options = PQconninfoParse(connection, &error)
        if let error { PQfreemem(error) }
        guard let options else { return }
        defer { PQconninfoFree(options) }
        var index = 0
        while let keyword = options[index].keyword {
            if String(cString: keyword) == "password", let value = options[index].val {
                SecretRedactor.register(String(cString: value))
            }
            index += 1
        }
    }
}

/// Rows of a result, as text (`nil` for SQL NULL), with column names.
public struct QueryResult: Sendable {
    public let columns: [String]
    public let rows: [[String?]]
    /// Rows affected by an INSERT/UPDATE/DELETE, when the command reports it.
    public let affectedRows: Int?

    init(_ result: OpaquePointer) {
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        rows = (0..<rowCount).map { row in
            (0..<columnCount).map { column in
                PQgetisnull(result, Int32(row), Int32(column)) == 1
                    ? nil : String(cString: PQgetvalue(result, Int32(row), Int32(column)))
            }
        }
        affectedRows = Int(String(cString: PQcmdTuples(result)))
    }

    /// The rows as dictionaries keyed by column name.
    public var records: [[String: String?]] {
        rows.map { Dictionary(uniqueKeysWithValues: zip(columns, $0)) }
    }
}

/// A server error with its SQLSTATE and the fields psql shows.
public struct PostgresError: Sendable {
    public let sqlState: String
    public let message: String
    public let detail: String?
    public let hint: String?
    public let position: Int?

    init(result: OpaquePointer, connection: OpaquePointer) {
        func field(_ code: Int32) -> String? {
            PQresultErrorField(result, code).map { String(cString: $0) }
        }
        sqlState = field(Int32(UInt8(ascii: "C"))) ?? "XX000"
        message = field(Int32(UInt8(ascii: "M"))) ?? String(cString: PQerrorMessage(connection))
        detail = field(Int32(UInt8(ascii: "D")))
        hint = field(Int32(UInt8(ascii: "H")))
        position = field(Int32(UInt8(ascii: "P"))).flatMap { Int($0) }
    }

    func backendError(sql: String) -> BackendError {
        var text = "SQLSTATE \(sqlState): \(message)"
        if let detail { text += "; detail: \(detail)" }
        if let hint { text += "; hint: \(hint)" }
        if let position { text += "; at character \(position)" }
        let code: BackendError.Code =
            switch sqlState {
            case "57014": .failed  // statement timeout or cancel
            case "42501": .refused  // insufficient privilege
            case let state where state.hasPrefix("08"): .unreachable
            default: .failed
            }
        return BackendError(code, text)
    }
}

private final class NoticeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var notices: [String] = []
    func append(_ notice: String) { lock.withLock { notices.append(notice.trimmingCharacters(in: .newlines)) } }
    var all: [String] { lock.withLock { notices } }
}

private func withArrayOfCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return body(pointers.map { UnsafePointer($0) } + [nil])
}

private func withOptionalCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { $0.map { strdup($0) } ?? nil }
    defer { pointers.forEach { free($0) } }
    return body(pointers.map { UnsafePointer($0) })
}

/// A libpq cancel object sent from the cancelling thread; PQcancel is documented as thread-safe, and the
/// scope's lock keeps it alive while a handler runs (see `CancellationScope`).
private struct UncheckedCancel: @unchecked Sendable {
    let pointer: OpaquePointer

    init?(_ pointer: OpaquePointer?) {
        guard let pointer else { return nil }
        self.pointer = pointer
    }

    func send() {
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(pointer, &buffer, Int32(buffer.count))
    }
}
