// A measuring stick, not product code: the CPU floor of a load loop that reads through SwiftNIO's channels, as
// `senior-backend load-test` does, and does nothing else. One event loop, N keep-alive connections opened by
// hand and handed to NIO (`withConnectedSocket`), each request one send(2) on the descriptor (as the product's
// direct send), each reply only checked for a status line and the end of its headers, latencies in a flat
// array. What it costs above bench/epoll-floor is NIO's read path alone; no engine that reads through NIO
// can use less. bench/README.md, "What NIO's read path costs".
//
//   bench/nio-floor/build.sh   then   nio-floor PORT CONNECTIONS SECONDS   (prints the replies counted)
import Glibc
import NIOCore
import NIOPosix

// Glibc's Swift module does not export memmem.
@_silgen_name("memmem") func memmem(
    _ haystack: UnsafeRawPointer, _ length: Int, _ needle: UnsafeRawPointer, _ size: Int
) -> UnsafeMutableRawPointer?

let arguments = CommandLine.arguments
guard arguments.count == 4, let port = UInt16(arguments[1]), let connections = Int(arguments[2]),
    let seconds = Double(arguments[3])
else {
    print("usage: nio-floor PORT CONNECTIONS SECONDS")
    exit(2)
}

func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// What the loop's handlers share; touched on the loop's thread only.
final class Run: @unchecked Sendable {
    let request: UnsafeMutableRawBufferPointer
    @exclusivity(unchecked) var running = true
    @exclusivity(unchecked) var completed = 0
    @exclusivity(unchecked) var latencyMicros = [Int](repeating: 0, count: 100_000)

    init() {
        let bytes = Array("GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: nio-floor\r\n\r\n".utf8)
        request = .allocate(byteCount: bytes.count, alignment: 16)
        request.copyBytes(from: bytes)
    }
}

final class FloorHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let run: Run
    let descriptor: CInt
    @exclusivity(unchecked) var sentAt: UInt64 = 0

    init(run: Run, descriptor: CInt) {
        self.run = run
        self.descriptor = descriptor
    }

    func send() {
        sentAt = now()
        _ = Glibc.send(descriptor, run.request.baseAddress, run.request.count, Int32(MSG_NOSIGNAL))
    }

    func channelActive(context: ChannelHandlerContext) { send() }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let whole = buffer.withUnsafeReadableBytes { bytes in
            bytes.count >= 12 && bytes[0] == 0x48 && memmem(bytes.baseAddress!, bytes.count, "\r\n\r\n", 4) != nil
        }
        guard whole else { return }
        let time = now()
        run.completed += 1
        run.latencyMicros[min(Int((time - sentAt) / 1000), run.latencyMicros.count - 1)] += 1
        if run.running { send() }
    }
}

func connectedSocket() -> CInt {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else {
        print("cannot connect to 127.0.0.1:\(port)")
        exit(1)
    }
    var one: Int32 = 1
    setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, 4)
    _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL, 0) | O_NONBLOCK)
    return descriptor
}

let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let loop = group.next()
let run = Run()
var channels: [any Channel] = []
for _ in 0..<connections {
    let descriptor = connectedSocket()
    let channel = try ClientBootstrap(group: loop)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(FloorHandler(run: run, descriptor: descriptor))
            }
        }
        .withConnectedSocket(descriptor).wait()
    channels.append(channel)
}
try loop.scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) { run.running = false }.futureResult.wait()
// Replies to the last requests are still on their way: let them in, as the epoll floor does, then stop.
let completed = try loop.scheduleTask(in: .milliseconds(100)) { run.completed }.futureResult.wait()
for channel in channels { try? channel.close().wait() }
try group.syncShutdownGracefully()
print(completed)
