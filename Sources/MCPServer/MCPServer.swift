import BackendCore
import Logging
import NIOPosix

/// Serves a catalog over stdio until end of input, then flushes the replies in flight and returns.
public enum MCPServer {
    public static func serveStdio(catalog: Catalog, configuration: ServerConfiguration, logger: Logger) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let writer = try await StdioTransport.makeWriter(group: group)
        let session = MCPSession(catalog: catalog, configuration: configuration, writer: writer, logger: logger)
        try await StdioTransport.readInput(group: group, maxLineBytes: configuration.maxMessageBytes) { frame in
            session.receive(frame)
        }
        await session.drain()
    }
}
