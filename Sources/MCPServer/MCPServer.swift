import BackendCore
import Logging
import NIOPosix

/// Serves a catalog over stdio until end of input, then flushes the replies in flight and returns.
public enum MCPServer {
    /// `makeCatalog` runs at the first request that needs the catalog, not before the first reply.
    public static func serveStdio(
        makeCatalog: @escaping @Sendable () throws(BackendError) -> Catalog, configuration: ServerConfiguration,
        logger: Logger
    ) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let writer = try await StdioTransport.makeWriter(group: group)
        let session = MCPSession(
            makeCatalog: makeCatalog, configuration: configuration, writer: writer, logger: logger)
        try await StdioTransport.readInput(group: group, maxLineBytes: configuration.maxMessageBytes) { frame in
            session.receive(frame)
        }
        await session.drain()
    }
}
