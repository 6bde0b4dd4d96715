import ArgumentParser
import BackendCore
import Foundation

@main
struct SeniorBackend: AsyncParsableCommand {
    /// Like ArgumentParser's own entry point, but bad input exits 2 (the contract), not EX_USAGE (64).
    static func main() async {
        // An agent starts `serve` and waits for the first reply: ArgumentParser builds its command tree by
        // reflection, a few milliseconds of protocol-conformance scans that this command, with no options, needs not.
        if CommandLine.arguments.dropFirst() == ["serve"] {
            do { return try await Serve().run() } catch { Self.exit(withError: error) }
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code != .success, code != .failure, code.rawValue != 1, code.rawValue != 2 {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            Self.exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "senior-backend",
        abstract: "A senior backend engineer's tools, for AI agents (MCP over stdio) and for people (this CLI).",
        version: SeniorBackendVersion.current,
        subcommands: [
            Serve.self, Decide.self, Grill.self, Route.self, Schema.self, LoadTestCommand.self, ScaffoldCommand.self,
        ]
    )
}

/// Flags every reporting subcommand shares.
struct ReportOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the structured result (the MCP structuredContent) as JSON instead of the report.")
    var json = false
}
