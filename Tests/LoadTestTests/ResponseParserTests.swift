import NIOCore
import Testing

@testable import LoadTest

@Suite struct ResponseParserTests {
    /// Feeds `text` in pieces of `step` bytes; returns the outcome after the last piece.
    func feed(_ text: String, step: Int, head: Bool = false) -> (ResponseParser.Outcome, ResponseParser) {
        var parser = ResponseParser()
        parser.headRequest = head
        let bytes = Array(text.utf8)
        var outcome = ResponseParser.Outcome.incomplete
        var index = 0
        while index < bytes.count {
            let piece = Array(bytes[index..<min(index + step, bytes.count)])
            outcome = parser.parse(ByteBuffer(bytes: piece))
            if outcome != .incomplete { break }
            index += step
        }
        return (outcome, parser)
    }

    @Test(arguments: [1, 3, 7, 1000])
    func contentLengthBodyInAnySplit(step: Int) {
        let (outcome, parser) = feed("HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello", step: step)
        #expect(outcome != .incomplete)
        #expect(parser.status == 201)
        #expect(parser.keepAlive)
    }

    @Test(arguments: [1, 2, 5, 1000])
    func chunkedBodyWithExtensionsAndTrailers(step: Int) {
        let text =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=x\r\nhello\r\nA\r\n0123456789\r\n0\r\nTrailer: 1\r\n\r\n"
        let (outcome, parser) = feed(text, step: step)
        guard case .complete(let consumed) = outcome else {
            Issue.record("not complete: \(outcome)")
            return
        }
        #expect(parser.status == 200)
        if step == 1000 { #expect(consumed == text.utf8.count) }
    }

    @Test func interimResponsesAreSkippedAndCloseIsHonoured() {
        let (outcome, parser) = feed(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
            step: 4)
        #expect(outcome != .incomplete)
        #expect(parser.status == 404)
        #expect(!parser.keepAlive)
    }

    @Test func headAndNoContentHaveNoBody() {
        #expect(feed("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", step: 100, head: true).0 != .incomplete)
        #expect(feed("HTTP/1.1 204 No Content\r\n\r\n", step: 100).0 != .incomplete)
    }

    @Test func bodyUntilCloseEndsWithTheStream() {
        let (outcome, parser) = feed("HTTP/1.0 200 OK\r\n\r\nsome body", step: 100)
        #expect(outcome == .incomplete)
        #expect(!parser.keepAlive)
        #expect(parser.endOfStream())
    }

    @Test func rateLimitHeadersAreCapturedWhenAsked() {
        var parser = ResponseParser()
        parser.captureRateLimitHeaders = true
        let text =
            "HTTP/1.1 429 Too Many\r\nRetry-After: 30\r\nRateLimit-Remaining: 0\r\nX-Other: 1\r\nContent-Length: 0\r\n\r\n"
        #expect(parser.parse(ByteBuffer(string: text)) != .incomplete)
        #expect(parser.rateLimitHeaders.map(\.name) == ["Retry-After", "RateLimit-Remaining"])
        #expect(parser.rateLimitHeaders.first?.value == "30")
    }

    /// A reply that cannot begin "HTTP/1." fails at once, even without a line end (a binary protocol may never
    /// send one), a TLS record saying so; a prefix of it, or the CR of a stray line break, waits for more.
    @Test(arguments: [
        ("\u{0}\u{0}\u{12}\u{4}\u{0}", ResponseParser.Outcome.invalid(.notHTTP)),
        ("\u{15}\u{3}\u{1}\u{0}\u{2}", .invalid(.tlsRecord)),
        ("\u{15}\u{3}\u{1}\u{0}\u{2}\u{2}\u{46}\n", .invalid(.tlsRecord)),
        ("HTTX", .invalid(.notHTTP)), ("HTTP/2 200", .invalid(.notHTTP)), ("HTT", .incomplete),
        ("HTTP/1.1 20", .incomplete),
        ("\r", .incomplete),
    ])
    func aReplyThatCannotBeHTTPFailsAtOnce(start: String, outcome: ResponseParser.Outcome) {
        var parser = ResponseParser()
        #expect(parser.parse(ByteBuffer(string: start)) == outcome)
    }

    @Test(arguments: [
        ("HTTP/1.1", "Connection: close", false), ("HTTP/1.1", "connection:Close ", false),
        ("HTTP/1.1", "Connection: keep-alive", true), ("HTTP/1.0", "CONNECTION: Keep-Alive", true),
        ("HTTP/1.0", "Connection: Upgrade", false), ("HTTP/1.1", "Connection: Upgrade, close", false),
        ("HTTP/1.0", "Connection: keep-alive, Upgrade", true), ("HTTP/1.1", "Connections: close", true),
    ])
    func connectionHeaderDecidesKeepAlive(version: String, line: String, keepAlive: Bool) {
        let (outcome, parser) = feed("\(version) 200 OK\r\n\(line)\r\nContent-Length: 0\r\n\r\n", step: 1000)
        #expect(outcome != .incomplete)
        #expect(parser.keepAlive == keepAlive)
    }

    @Test(arguments: ["Content-Length: 3", "content-length:3", "CONTENT-LENGTH: \t3 "])
    func contentLengthIsReadWithOptionalSpaces(line: String) {
        let text = "HTTP/1.1 200 OK\r\n\(line)\r\n\r\nabcNEXT"
        #expect(feed(text, step: 1000).0 == .complete(consumed: text.utf8.count - 4))
    }

    @Test(arguments: [
        "SSH-2.0-OpenSSH\r\n\r\n", "HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n", "HTTP/1.1 200 OK\r\n: empty\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5 5\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456789\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ])
    func garbageIsAParseError(text: String) {
        guard case .invalid = feed(text, step: 100).0 else {
            Issue.record("accepted \(text.debugDescription)")
            return
        }
    }
}
