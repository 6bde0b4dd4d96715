import Foundation

/// One path a tool call reads or writes, named by the argument it came from.
public struct FileUse: Sendable, Equatable {
    public var argument: String
    public var path: String
    public var writes: Bool

    public init(argument: String, path: String, writes: Bool) {
        self.argument = argument
        self.path = path
        self.writes = writes
    }

    public static func reads(_ argument: String, _ path: String?) -> [FileUse] {
        path.map { [FileUse(argument: argument, path: $0, writes: false)] } ?? []
    }

    public static func writes(_ argument: String, _ path: String?) -> [FileUse] {
        path.map { [FileUse(argument: argument, path: $0, writes: true)] } ?? []
    }
}

/// The folders an agent call may read and write: the client's roots, or without them the working
/// directory and TMPDIR, widened by `SENIOR_BACKEND_FILE_ROOTS`. The CLI, run by a person, is unconfined.
///
/// Paths are compared by real path (symbolic links resolved), so a link inside a root that points out of
/// it is refused. The check is made before the work starts; a link swapped in afterwards is not seen.
public struct FileAccess: Sendable, Equatable {
    /// Colon-separated folders that agent calls may also use, whatever the client's roots.
    public static let rootsVariable = "SENIOR_BACKEND_FILE_ROOTS"

    /// Real paths of the allowed folders; nil when unconfined.
    public let roots: [String]?
    /// Where the roots came from, for refusals ("the client's roots", ...).
    public let origin: String

    public static let unconfined = FileAccess(roots: nil, origin: "unconfined")

    init(roots: [String]?, origin: String) {
        self.roots = roots
        self.origin = origin
    }

    /// The working directory and TMPDIR (or /tmp), plus the operator's folders.
    public static func serverDefaults(environment: [String: String]) -> FileAccess {
        let tmp = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return make(
            [FileManager.default.currentDirectoryPath, tmp], origin: "the working directory and TMPDIR",
            environment: environment)
    }

    /// The folders a client listed as roots (`file://` URIs), plus the operator's folders.
    public static func clientRoots(_ uris: [String], environment: [String: String]) -> FileAccess {
        make(uris.compactMap(Self.path(fromFileURI:)), origin: "the client's roots", environment: environment)
    }

    static func make(_ folders: [String], origin: String, environment: [String: String]) -> FileAccess {
        let extra = (environment[rootsVariable] ?? "").split(separator: ":").map(String.init)
        var roots: [String] = []
        for folder in folders + extra where !folder.isEmpty {
            let real = realPath(absolute(folder)) ?? absolute(folder)
            if !roots.contains(real) { roots.append(real) }
        }
        return FileAccess(roots: roots, origin: extra.isEmpty ? origin : "\(origin) and \(rootsVariable)")
    }

    /// The local path of a `file://` URI (percent-decoded), or nil for any other URI.
    public static func path(fromFileURI uri: String) -> String? {
        guard let url = URL(string: uri), url.scheme == "file", !url.path.isEmpty else { return nil }
        return url.path
    }

    /// The access of the agent call running here: `Tool.call` sets it for the call's task, `BlockingWork`
    /// carries it onto the thread of the call's blocking work. Outside agent calls (CLI, tests): unconfined.
    public static var current: FileAccess {
        (Thread.current.threadDictionary[threadKey] as? Holder)?.access ?? ofTask
    }

    @TaskLocal static var ofTask = FileAccess.unconfined

    static let threadKey = "senior-backend.file-access"

    /// A class around the value, which a thread dictionary keeps as it is.
    final class Holder: @unchecked Sendable {
        let access: FileAccess
        init(_ access: FileAccess) { self.access = access }
    }

    /// Runs `body` with this access as `current` (for the call's task and the blocking work it starts).
    public func confining<T>(_ body: () async throws -> T) async rethrows -> T {
        try await Self.$ofTask.withValue(self) { try await body() }
    }

    /// Checks a file the work found by itself (in a folder it was given, through a `$ref`) against the
    /// roots of the call; `what` names where the path came from.
    public static func checkRead(_ path: String, _ what: String) throws(BackendError) {
        try current.check([FileUse(argument: what, path: path, writes: false)])
    }

    /// Refuses the first use outside the roots, naming the argument, the path and the roots.
    public func check(_ uses: [FileUse]) throws(BackendError) {
        guard let roots else { return }
        for use in uses {
            // Load targets and specs may be URLs; only local paths are files.
            if use.path.hasPrefix("http://") || use.path.hasPrefix("https://") { continue }
            let resolved: String
            do {
                resolved = try Self.resolve(use.path)
            } catch {
                throw BackendError(.refused, "`\(use.argument)` \(use.path): \(error.message)")
            }
            if roots.contains(where: { Self.isInside(resolved, root: $0) }) { continue }
            let listed = roots.isEmpty ? "none (the client listed no roots)" : roots.joined(separator: ", ")
            throw BackendError(
                .refused,
                "`\(use.argument)` \(use.path) is outside the folders this call may \(use.writes ? "write" : "read") (\(origin): \(listed))\(resolved == Self.lexical(use.path) ? "" : "; it resolves to \(resolved)"). Use a path inside them, or add the folder to the client's roots or to \(Self.rootsVariable)."
            )
        }
    }

    public static func isInside(_ path: String, root: String) -> Bool {
        root == "/" || path == root || path.hasPrefix(root + "/")
    }

    /// The absolute path with `.` and `..` folded by text alone (Foundation's standardizing also follows
    /// links on Linux), so that a refusal can say where a link leads.
    static func lexical(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/") where part != "." {
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }

    static func absolute(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (joined as NSString).standardizingPath
    }

    /// The real path: the longest existing ancestor resolved by realpath(3), the rest appended. A dangling
    /// symbolic link, or `..` below a folder that does not exist, cannot be judged and is refused.
    public static func resolve(_ path: String) throws(BackendError) -> String {
        var existing = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var rest: [String] = []
        while true {
            if let real = realPath(existing) {
                if rest.contains("..") {
                    throw .invalidInput("`..` below a folder that does not exist; give the path without it")
                }
                return ([real] + rest.filter { $0 != "." && !$0.isEmpty }).joined(separator: "/")
                    .replacingOccurrences(of: "//", with: "/")
            }
            var info = stat()
            if lstat(existing, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
                throw .invalidInput("a symbolic link whose target does not exist; it is not followed")
            }
            let name = (existing as NSString).lastPathComponent
            let parent = (existing as NSString).deletingLastPathComponent
            if parent == existing || parent.isEmpty { return existing }
            rest.insert(name, at: 0)
            existing = parent
        }
    }

    static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
