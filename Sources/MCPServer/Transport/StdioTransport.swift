import Foundation
import NIOCore
import NIOPosix

/// Wires the protocol to the process's stdin and stdout.
///
/// At start fd 1 is duplicated for the protocol and then pointed at stderr, so a stray `print` from any
/// library can never corrupt the JSON-RPC stream. Pipes and sockets go through NIO; anything else (a
/// regular file, `/dev/null`, a terminal), which epoll refuses or may refuse, is read or written with
/// blocking calls on a thread of its own.
public enum StdioTransport {
    /// Takes over fd 1 for the protocol and returns a writer for it.
    public static func makeWriter(group: any EventLoopGroup) async throws -> any LineWriter {
        let protocolOut = dup(STDOUT_FILENO)
        guard protocolOut >= 0 else { throw TransportError("cannot duplicate stdout: errno \(errno)") }
        guard dup2(STDERR_FILENO, STDOUT_FILENO) >= 0 else {
            throw TransportError("cannot redirect stdout: errno \(errno)")
        }
        if !supportsEventLoop(protocolOut) { return FileLineWriter(descriptor: protocolOut) }
        let channel = try await NIOPipeBootstrap(group: group).takingOwnershipOfDescriptor(output: protocolOut).get()
        return ChannelLineWriter(channel: channel)
    }

    /// Reads stdin until EOF, handing each frame to `onFrame` on the reading thread; returns at EOF.
    public static func readInput(
        group: any EventLoopGroup, maxLineBytes: Int, onFrame: @escaping @Sendable (LineFramer.Frame) -> Void
    ) async throws {
        if !supportsEventLoop(STDIN_FILENO) {
            try await readBlocking(descriptor: STDIN_FILENO, maxLineBytes: maxLineBytes, onFrame: onFrame)
            return
        }
        let finished = group.next().makePromise(of: Void.self)
        let channel = try await NIOPipeBootstrap(group: group)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        FrameHandler(
                            framer: LineFramer(maxLineBytes: maxLineBytes), onFrame: onFrame, finished: finished))
                }
            }
            .takingOwnershipOfDescriptor(input: STDIN_FILENO).get()
        try await finished.futureResult.get()
        try? await channel.close().get()
    }

    static func readBlocking(
        descriptor: Int32, maxLineBytes: Int, onFrame: @escaping @Sendable (LineFramer.Frame) -> Void
    ) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                var framer = LineFramer(maxLineBytes: maxLineBytes)
                var chunk = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
                    if count < 0, errno == EINTR { continue }
                    if count < 0 {
                        continuation.resume(throwing: TransportError("reading stdin failed: errno \(errno)"))
                        return
                    }
                    if count == 0 { break }
                    let frames = chunk.withUnsafeBytes { framer.append(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
                    frames.forEach(onFrame)
                }
                framer.finish().forEach(onFrame)
                continuation.resume()
            }
            thread.name = "senior-backend.stdin"
            thread.start()
        }
    }

    /// True for pipes and sockets, the descriptors epoll always accepts.
    static func supportsEventLoop(_ descriptor: Int32) -> Bool {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return false }
        let kind = info.st_mode & S_IFMT
        return kind == S_IFIFO || kind == S_IFSOCK
    }
}

public struct TransportError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Feeds inbound bytes through the framer; completes `finished` at end of input.
private final class FrameHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var framer: LineFramer
    private let onFrame: @Sendable (LineFramer.Frame) -> Void
    private let finished: EventLoopPromise<Void>

    init(framer: LineFramer, onFrame: @escaping @Sendable (LineFramer.Frame) -> Void, finished: EventLoopPromise<Void>)
    {
        self.framer = framer
        self.onFrame = onFrame
        self.finished = finished
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let frames = buffer.withUnsafeReadableBytes { framer.append($0) }
        frames.forEach(onFrame)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { end() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        end()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        end()
        context.close(promise: nil)
    }

    private var ended = false

    private func end() {
        guard !ended else { return }
        ended = true
        framer.finish().forEach(onFrame)
        finished.succeed(())
    }
}
