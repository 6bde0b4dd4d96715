import BackendCore
import Foundation

/// The session's markdown file under `${TMPDIR:-/tmp}`: read and written under an exclusive lock,
/// replaced atomically (temp file + rename), mode 0600.
///
/// The file is for people (questions, recommendations, answers, verdicts) and for the tool, which
/// reads back only the JSON block under `## State`; a damaged block is an error naming the line.
public struct GrillStore: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public static func fromEnvironment(_ environment: [String: String]) -> GrillStore {
        let directory = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return GrillStore(
            directory: directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory)
    }

    static func validate(session: String) throws(BackendError) {
        guard session.wholeMatch(of: /[A-Za-z0-9_-]{1,64}/) != nil else {
            throw .invalidInput(
                "session must match ^[A-Za-z0-9_-]{1,64}$ (letters, digits, - and _), got \(session.debugDescription.prefix(80))"
            )
        }
    }

    /// Runs `body` holding the session's lock (flock on a sidecar file), so concurrent calls serialise.
    func withLock<T>(session: String, _ body: () throws(BackendError) -> T) throws(BackendError) -> T {
        let lockPath = "\(directory)/.backend-grill-\(session).lock"
        let descriptor = open(lockPath, O_CREAT | O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw BackendError(.failed, "cannot open the lock file \(lockPath): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw BackendError(.failed, "cannot lock \(lockPath): \(String(cString: strerror(errno)))")
            }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// The session's file: an existing `backend-grill-<date>-<session>.md`, else one dated `today`.
    func path(session: String, today: String) -> String {
        let suffix = "-\(session).md"
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.filter {
            $0.hasPrefix("backend-grill-") && $0.hasSuffix(suffix)
                && $0.count == "backend-grill-".count + 10 + suffix.count
        }.sorted().first
        return "\(directory)/\(existing ?? "backend-grill-\(today)\(suffix)")"
    }

    func load(path: String) throws(BackendError) -> GrillState? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw BackendError(.failed, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let data = handle.readDataToEndOfFile()
        return try GrillDocument.parse(String(decoding: data, as: UTF8.self), path: path)
    }

    func save(_ state: GrillState, document: String, path: String) throws(BackendError) {
        var template = Array("\(directory)/.backend-grill-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw BackendError(
                .failed, "cannot create a temporary file in \(directory): \(String(cString: strerror(errno)))")
        }
        let temporary = String(cString: template.map { $0 })
        var failed = fchmod(descriptor, 0o600) != 0
        let bytes = Array(document.utf8)
        var offset = 0
        while !failed, offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 { if errno != EINTR { failed = true } } else { offset += written }
        }
        failed = failed || fsync(descriptor) != 0
        close(descriptor)
        guard !failed, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw BackendError(.failed, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    func remove(path: String) { unlink(path) }
}
