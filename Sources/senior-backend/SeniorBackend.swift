import ArgumentParser
import BackendCore

@main
struct SeniorBackend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "senior-backend",
        abstract: "A senior backend engineer's tools, for AI agents (MCP over stdio) and for people (this CLI).",
        version: SeniorBackendVersion.current,
        subcommands: [Serve.self, Route.self]
    )
}

/// Flags every reporting subcommand shares.
struct ReportOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the structured result (the MCP structuredContent) as JSON instead of the report.")
    var json = false
}
