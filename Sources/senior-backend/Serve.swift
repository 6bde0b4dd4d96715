import ArgumentParser
import BackendCore
import Foundation
import Logging
import MCPServer
import ToolCatalog

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the MCP server on stdin/stdout (JSON-RPC 2.0, one message per line).",
        discussion: """
            Environment: SENIOR_BACKEND_LOG_LEVEL (stderr log level, default warning), \
            SENIOR_BACKEND_MAX_MESSAGE_MIB (largest message accepted, default 32), \
            SENIOR_BACKEND_PAGE_SIZE (items per list page, default 50), \
            SENIOR_BACKEND_DIAGNOSTICS=1 (also list the diagnostics tool).
            """
    )

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let environment = ProcessInfo.processInfo.environment
        Startup.registerSecrets(environment)
        let level = environment["SENIOR_BACKEND_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var configuration = ServerConfiguration(version: SeniorBackendVersion.current)
        if let mib = environment["SENIOR_BACKEND_MAX_MESSAGE_MIB"].flatMap(Int.init), mib > 0 {
            configuration.maxMessageBytes = mib << 20
        }
        if let size = environment["SENIOR_BACKEND_PAGE_SIZE"].flatMap(Int.init), size > 0 {
            configuration.pageSize = size
        }
        try await MCPServer.serveStdio(
            makeCatalog: { () throws(BackendError) in try ToolCatalog.make(environment: environment) },
            configuration: configuration, logger: Logger(label: "senior-backend"))
    }
}

enum Startup {
    /// Secrets the process was given are masked in every output from the start.
    static func registerSecrets(_ environment: [String: String]) {
        for name in ["PGPASSWORD", "DATABASE_URL"] {
            guard let value = environment[name] else { continue }
            if name == "PGPASSWORD" { SecretRedactor.register(value) }
        }
    }
}
