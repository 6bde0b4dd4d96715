import BackendCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A plain HTTP/1.1 GET on SwiftNIO (TLS by NIOSSL, the system's trust store): redirects followed, the body
/// capped while it arrives, one deadline for the whole fetch. FoundationNetworking would do the same through
/// libcurl, whose ~30 libraries were loaded at every start of the server.
enum HTTPFetcher {
    static let maxRedirects = 5

    /// The body of a 200 answer to GET `url`; errors name `origin` (the spec or the `$ref` that led here).
    static func get(
        _ url: URL, accept: String, maxBytes: Int, timeout: TimeInterval, origin: String
    ) throws(BackendError) -> [UInt8] {
        let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout * 1e9))
        var current = url
        for _ in 0...maxRedirects {
            let answer = try once(current, accept: accept, maxBytes: maxBytes, deadline: deadline, origin: origin)
            switch answer.status {
            case 200:
                return answer.body
            case 301, 302, 303, 307, 308:
                guard let location = answer.location,
                    let next = URL(string: location, relativeTo: current)?.absoluteURL,
                    next.scheme == "http" || next.scheme == "https"
                else {
                    throw BackendError(
                        .unreachable,
                        "\(origin): fetching \(current.absoluteString) answered HTTP \(answer.status) without a usable Location"
                    )
                }
                current = next
            default:
                throw BackendError(
                    .notFound, "\(origin): fetching \(current.absoluteString) answered HTTP \(answer.status)")
            }
        }
        throw BackendError(
            .unreachable, "\(origin): fetching \(url.absoluteString) redirected more than \(maxRedirects) times")
    }

    struct Answer {
        var status = 0
        var location: String?
        var body: [UInt8] = []
    }

    private static func once(
        _ url: URL, accept: String, maxBytes: Int, deadline: NIODeadline, origin: String
    ) throws(BackendError) -> Answer {
        let shown = url.absoluteString
        guard let host = url.host, !host.isEmpty else {
            throw BackendError(.invalidInput, "\(origin): \(shown) has no host")
        }
        let tls = url.scheme == "https"
        // An address, not a name: no SNI (NIOSSL refuses one) and brackets in Host for IPv6.
        let literal = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        let port = url.port ?? (tls ? 443 : 80)
        let group = MultiThreadedEventLoopGroup.singleton
        let done = group.any().makePromise(of: Answer.self)
        do {
            let sslContext: NIOSSLContext? =
                tls ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
            let connectTimeout = max(deadline - .now(), .milliseconds(1))
            let channel = try ClientBootstrap(group: group)
                .connectTimeout(connectTimeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let sslContext {
                            let handler = try NIOSSLClientHandler(
                                context: sslContext, serverHostname: literal ? nil : host)
                            try channel.pipeline.syncOperations.addHandler(handler)
                        }
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(
                            Collector(maxBytes: maxBytes, done: done))
                    }
                }
                .connect(host: host, port: port).wait()
            let components = URLComponents(url: url, resolvingAgainstBaseURL: true)
            var path = components?.percentEncodedPath ?? "/"
            if path.isEmpty { path = "/" }
            if let query = components?.percentEncodedQuery { path += "?" + query }
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
            let named = literal ? (host.contains(":") ? "[\(host)]" : host) : host
            head.headers.add(name: "Host", value: url.port.map { "\(named):\($0)" } ?? named)
            head.headers.add(name: "Accept", value: accept)
            head.headers.add(name: "User-Agent", value: "senior-backend")
            head.headers.add(name: "Connection", value: "close")
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            let timer = channel.eventLoop.scheduleTask(deadline: deadline) {
                done.fail(Failure("no complete answer within the time allowed"))
            }
            defer {
                timer.cancel()
                channel.close(promise: nil)
            }
            return try done.futureResult.wait()
        } catch let failure as Failure {
            throw BackendError(failure.tooLarge ? .invalidInput : .unreachable, "\(origin): \(shown) \(failure.reason)")
        } catch {
            done.fail(error)
            throw BackendError(.unreachable, "\(origin): fetching \(shown) failed: \(error)")
        }
    }

    struct Failure: Error {
        var reason: String
        var tooLarge = false
        init(_ reason: String, tooLarge: Bool = false) {
            self.reason = reason
            self.tooLarge = tooLarge
        }
    }

    /// Collects one answer; a body past `maxBytes` fails it at once, before the rest arrives.
    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        let maxBytes: Int
        let done: EventLoopPromise<Answer>
        var answer = Answer()

        init(maxBytes: Int, done: EventLoopPromise<Answer>) {
            self.maxBytes = maxBytes
            self.done = done
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                answer.status = Int(head.status.code)
                answer.location = head.headers.first(name: "Location")
            case .body(let buffer):
                // Only a 200's body is kept; a redirect's or an error page's is read and dropped.
                guard answer.status == 200 else { return }
                guard answer.body.count + buffer.readableBytes <= maxBytes else {
                    done.fail(Failure("is larger than \(maxBytes >> 20) MiB", tooLarge: true))
                    context.close(promise: nil)
                    return
                }
                answer.body += buffer.readableBytesView
            case .end:
                done.succeed(answer)
                context.close(promise: nil)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            done.fail(Failure("closed the connection before the answer was complete"))
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            let cutShort = (error as? HTTPParserError) == .invalidEOFState
            done.fail(Failure(cutShort ? "closed the connection before the answer was complete" : "failed: \(error)"))
            context.close(promise: nil)
        }
    }
}
