import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A loopback HTTP/1.1 server for the tests (127.0.0.1, port 0), with a scripted behaviour per request.
final class TestServer: Sendable {
    struct Reply: Sendable {
        var status = 200
        var delay = TimeAmount.zero
        var headers: [(String, String)] = []
        var close = false
        var chunked = false
        var body = "ok"
        /// The Content-Length to declare when it should not be the body's (a broken server).
        var declaredLength: Int?
    }

    let group: MultiThreadedEventLoopGroup
    let channel: any Channel
    let counter: Counter
    let tls: Bool
    var port: Int { channel.localAddress!.port! }
    var url: String { "\(tls ? "https" : "http")://127.0.0.1:\(port)" }
    var requestCount: Int { counter.value }

    /// `reply(index, secondsSinceFirstRequest)` decides each answer; index counts from 0. With `tls`, the
    /// server speaks https (NIOSSL) under the same HTTP handler. With `answerBeforeBody` it answers as soon as
    /// a request's head arrives and reads (and counts) the body afterwards, as a server refusing an upload may.
    static func start(
        threads: Int = 1, tls: NIOSSLContext? = nil, answerBeforeBody: Bool = false,
        reply: @escaping @Sendable (Int, Double) -> Reply
    ) async throws -> TestServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let counter = Counter()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        Handler(counter: counter, answerBeforeBody: answerBeforeBody, reply: reply))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TestServer(group: group, channel: channel, counter: counter, tls: tls != nil)
    }

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel, counter: Counter, tls: Bool) {
        self.group = group
        self.channel = channel
        self.counter = counter
        self.tls = tls
    }

    /// A TLS server context with a fresh self-signed certificate for localhost and 127.0.0.1, made by the
    /// `openssl` command line tool in a temporary folder.
    static func selfSignedContext() throws -> NIOSSLContext {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("load-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = folder.appendingPathComponent("key.pem").path
        let certificate = folder.appendingPathComponent("cert.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key,
            "-out", certificate,
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl req failed"])
        }
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        return try NIOSSLContext(configuration: configuration)
    }

    func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        private var first: Date?
        private var holds: [Double] = []
        private var bodies: [Int] = []

        var value: Int { lock.withLock { count } }

        /// The body size of each request, in bytes, in arrival order.
        var bodySizes: [Int] { lock.withLock { bodies } }

        func received(body: Int) { lock.withLock { bodies.append(body) } }

        /// How long the server really held each reply (from the request's end to the reply's write), ms.
        var holdTimes: [Double] { lock.withLock { holds } }

        func held(since start: UInt64) {
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            lock.withLock { holds.append(ms) }
        }

        func next() -> (Int, Double) {
            lock.withLock {
                let now = Date()
                if first == nil { first = now }
                defer { count += 1 }
                return (count, now.timeIntervalSince(first!))
            }
        }
    }

    final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let counter: Counter
        let answerBeforeBody: Bool
        let reply: @Sendable (Int, Double) -> Reply
        var keepAlive = true
        var bodyBytes = 0

        init(counter: Counter, answerBeforeBody: Bool, reply: @escaping @Sendable (Int, Double) -> Reply) {
            self.counter = counter
            self.answerBeforeBody = answerBeforeBody
            self.reply = reply
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                keepAlive = head.isKeepAlive
                bodyBytes = 0
                if answerBeforeBody { respond(context: context, reply(counter.next().0, 0)) }
            case .body(let part):
                bodyBytes += part.readableBytes
            case .end:
                counter.received(body: bodyBytes)
                if answerBeforeBody { return }
                let received = DispatchTime.now().uptimeNanoseconds
                let (index, elapsed) = counter.next()
                let answer = reply(index, elapsed)
                let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                if answer.delay == .zero {
                    respond(context: context, answer)
                } else {
                    let counter = self.counter
                    context.eventLoop.scheduleTask(in: answer.delay) {
                        counter.held(since: received)
                        let (handler, context) = loopBound.value
                        handler.respond(context: context, answer)
                    }
                }
            }
        }

        func respond(context: ChannelHandlerContext, _ answer: Reply) {
            var headers = HTTPHeaders()
            for (name, value) in answer.headers { headers.add(name: name, value: value) }
            let close = answer.close || !keepAlive
            if close { headers.add(name: "Connection", value: "close") }
            if !answer.chunked {
                headers.add(name: "Content-Length", value: "\(answer.declaredLength ?? answer.body.utf8.count)")
            }
            let head = HTTPResponseHead(
                version: .http1_1, status: HTTPResponseStatus(statusCode: answer.status), headers: headers)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if answer.chunked {
                for part in [answer.body, "-second-chunk", "-third"] {
                    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: part)))), promise: nil)
                }
            } else {
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: answer.body)))), promise: nil)
            }
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if close {
                let channel = context.channel
                done.whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }
}

/// A loopback listener that never accepts, with its one-place accept queue already filled: the kernel drops
/// further SYNs, so a connect to it stays under way until the client gives up.
final class StalledListener {
    let port: Int
    private var descriptors: [CInt] = []

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 0) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard listener >= 0, bound else { throw POSIXError(.EADDRNOTAVAIL) }
        descriptors.append(listener)
        port = Int(UInt16(bigEndian: address.sin_port))
        // Backlog 0 holds one finished handshake; two non-blocking connects make sure the queue is full.
        for _ in 0..<2 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            descriptors.append(filler)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, length) }
            }
        }
        Thread.sleep(forTimeInterval: 0.05)
    }

    func close() {
        for descriptor in descriptors { _ = Glibc.close(descriptor) }
        descriptors = []
    }
}
