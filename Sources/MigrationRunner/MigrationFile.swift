import BackendCore
import Foundation

/// A migration file: `<version>_<name>.up.sql` (or `<version>_<name>.sql`), with its `.down.sql` beside it.
public struct MigrationFile: Sendable, Equatable {
    public let path: String
    public let version: String
    public let name: String
    public let text: String
    /// True when the file must run statement by statement outside a transaction (CONCURRENTLY, or the
    /// `-- senior-backend: non-transactional` marker).
    public let nonTransactional: Bool

    public var downPath: String {
        let folder = (path as NSString).deletingLastPathComponent
        let file = (path as NSString).lastPathComponent
        let stem =
            file.hasSuffix(".up.sql") ? String(file.dropLast(".up.sql".count)) : String(file.dropLast(".sql".count))
        return (folder as NSString).appendingPathComponent("\(stem).down.sql")
    }

    /// The down file's text; nil when there is none. Checked against the call's roots like the up file.
    public func downText() throws(BackendError) -> String? {
        guard FileManager.default.fileExists(atPath: downPath) else { return nil }
        try FileAccess.checkRead(downPath, "files (down file)")
        return try? String(contentsOfFile: downPath, encoding: .utf8)
    }

    public static func load(_ path: String) throws(BackendError) -> MigrationFile {
        let file = (path as NSString).lastPathComponent
        guard file.hasSuffix(".sql"), !file.hasSuffix(".down.sql") else {
            throw .invalidInput("\(path): a migration is a .sql or .up.sql file (down files are found beside them)")
        }
        guard let underscore = file.firstIndex(of: "_"), file[..<underscore].allSatisfy(\.isNumber),
            file.first?.isNumber == true
        else {
            throw .invalidInput(
                "\(path): name it <version>_<name>.up.sql, the version being digits (e.g. a UTC timestamp)")
        }
        // A file in a folder the call was given may be a link out of the call's roots.
        try FileAccess.checkRead(path, "files")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidInput("\(path): no such file, or it cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .invalidInput("\(path): not UTF-8") }
        let stem = file.hasSuffix(".up.sql") ? file.dropLast(".up.sql".count) : file.dropLast(".sql".count)
        let upper = text.uppercased()
        return MigrationFile(
            path: path, version: String(file[..<underscore]), name: String(stem[stem.index(after: underscore)...]),
            text: text,
            nonTransactional: text.contains("senior-backend: non-transactional") || upper.contains("CONCURRENTLY"))
    }

    /// The files to apply: each path is a file, or a folder whose `*.sql` files (not `.down.sql`) run in
    /// version order.
    public static func collect(_ paths: [String]) throws(BackendError) -> [MigrationFile] {
        var files: [MigrationFile] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .invalidInput("\(path): no such file or folder")
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                for name in names where name.hasSuffix(".sql") && !name.hasSuffix(".down.sql") {
                    files.append(try load((path as NSString).appendingPathComponent(name)))
                }
            } else {
                files.append(try load(path))
            }
        }
        let sorted = files.sorted { ($0.version, $0.name) < ($1.version, $1.name) }
        for (first, second) in zip(sorted, sorted.dropFirst()) where first.version == second.version {
            throw .invalidInput("\(first.path) and \(second.path) share version \(first.version)")
        }
        return sorted
    }
}
