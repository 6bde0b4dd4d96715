import Foundation
import NIOCore

/// The one place protocol output goes: each call writes one whole line, never interleaved with another.
public protocol LineWriter: Sendable {
    /// Queues `line` (no newline inside) followed by a newline.
    func write(_ line: [UInt8])
    /// Returns once everything written so far has reached the descriptor.
    func flush() async
}

/// Writes through a NIO pipe channel: NIO keeps writes in order and never splits one across another.
final class ChannelLineWriter: LineWriter, @unchecked Sendable {
    private let channel: any Channel
    private let lock = NSLock()
    private var lastWrite: EventLoopFuture<Void>?

    init(channel: any Channel) {
        self.channel = channel
    }

    func write(_ line: [UInt8]) {
        var buffer = channel.allocator.buffer(capacity: line.count + 1)
        buffer.writeBytes(line)
        buffer.writeInteger(UInt8(0x0A))
        // Order of writeAndFlush calls is the order on the wire, so take the lock around the call itself.
        lock.lock()
        lastWrite = channel.writeAndFlush(buffer)
        lock.unlock()
    }

    func flush() async {
        let pending = lock.withLock { lastWrite }
        try? await pending?.get()
    }
}

/// Writes with blocking `write(2)` on a serial queue: for a regular file, which epoll refuses.
final class FileLineWriter: LineWriter, @unchecked Sendable {
    private let descriptor: Int32
    private let queue = DispatchQueue(label: "senior-backend.stdout")

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    func write(_ line: [UInt8]) {
        let bytes = line + [0x0A]
        queue.async { [descriptor] in
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return
                    }
                    offset += written
                }
            }
        }
    }

    func flush() async {
        await withCheckedContinuation { continuation in queue.async { continuation.resume() } }
    }
}
