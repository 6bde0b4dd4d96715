import BackendCore
import Foundation
import PostgresClient

/// A `pg_dump` program able to dump a server (its major version is at least the server's).
///
/// The connection reaches it through the `PG*` variables of its environment (password included), never
/// its arguments, so no other process can read the password from the process list.
public struct PgDump: Sendable {
    public let path: String
    /// As `pg_dump --version` prints it, e.g. `15.18`.
    public let version: String
    public let major: Int

    /// Where pg_dump is looked for: the folders of `SENIOR_BACKEND_PG_DUMP_PATH` alone when it is set
    /// (colon-separated), else those of `PATH`, then `/usr/lib/postgresql/<major>/bin`, newest first.
    public static func folders(environment: [String: String]) -> [String] {
        if let chosen = environment["SENIOR_BACKEND_PG_DUMP_PATH"] {
            return chosen.split(separator: ":").map(String.init)
        }
        let onPath = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let versioned = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap(Int.init).sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
        return onPath + versioned
    }

    /// The first `pg_dump` in `folders` of major version `serverMajor` or later; nil when there is none.
    public static func locate(atLeast serverMajor: Int, in folders: [String]) -> PgDump? {
        for folder in folders {
            let path = (folder as NSString).appendingPathComponent("pg_dump")
            guard FileManager.default.isExecutableFile(atPath: path) else { continue }
            guard let found = inspect(path), found.major >= serverMajor else { continue }
            return found
        }
        return nil
    }

    /// Runs `path --version` and reads `pg_dump (PostgreSQL) 15.18 (Debian ...)`.
    static func inspect(_ path: String) -> PgDump? {
        guard let run = try? Self.run(path, ["--version"], environment: [:]), run.status == 0 else { return nil }
        let words = run.output.split(separator: " ")
        guard let index = words.firstIndex(of: "(PostgreSQL)"), index + 1 < words.count else { return nil }
        let version = words[index + 1].trimmingCharacters(in: .whitespacesAndNewlines)
        guard let major = Int(version.prefix { $0.isNumber }) else { return nil }
        return PgDump(path: path, version: version, major: major)
    }

    /// `pg_dump --schema-only --no-owner` of the database `connection` is connected to.
    public func dump(_ connection: PostgresConnection, lockTimeout: String) throws(BackendError) -> SchemaDump {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment.merge(connection.environment) { $1 }
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("senior-backend-dump-\(UUID().uuidString).sql").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let arguments = ["--schema-only", "--no-owner", "--lock-wait-timeout=\(lockTimeout)", "--file=\(file)"]
        let run: (status: Int32, output: String)
        do {
            run = try Self.run(path, arguments, environment: environment)
        } catch {
            throw BackendError(.failed, "cannot run \(path): \(error)")
        }
        guard run.status == 0, let data = FileManager.default.contents(atPath: file) else {
            let message = SecretRedactor.redact(run.output.trimmingCharacters(in: .whitespacesAndNewlines))
            throw BackendError(.failed, "pg_dump of \(connection.displayName) failed: \(message)")
        }
        return SchemaDump(text: String(decoding: data, as: UTF8.self))
    }

    /// Runs a program to its end; `output` is what it wrote to stderr and stdout (short for pg_dump, whose
    /// dump goes to a file).
    static func run(
        _ path: String, _ arguments: [String], environment: [String: String]
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if !environment.isEmpty { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
