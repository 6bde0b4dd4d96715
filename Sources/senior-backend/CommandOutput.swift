import ArgumentParser
import BackendCore
import Foundation

/// How every subcommand reports: the digest for people, the structured result with `--json`.
enum CommandOutput {
    /// Runs the work; a `BackendError` is printed to stderr and becomes the documented exit status.
    static func run<T>(_ work: () throws -> T) throws -> T {
        do {
            return try work()
        } catch let error as BackendError {
            printError(error)
            throw ExitCode(error.exitCode)
        }
    }

    static func emit(_ result: some Encodable, digest: Digest, json: Bool) throws {
        if json {
            let value = try JSONValue(encoding: result)
            print(JSONWriter.string(value))
        } else {
            print(digest.render())
        }
    }

    static func printError(_ error: BackendError) {
        var standardError = StandardError()
        print("error: \(error.message)", to: &standardError)
    }
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
