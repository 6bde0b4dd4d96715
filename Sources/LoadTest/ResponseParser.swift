import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An incremental HTTP/1.1 response parser for the load generator's hot path.
///
/// It reads the status line, the headers that matter (Content-Length, Transfer-Encoding, Connection and,
/// when asked, rate-limit headers), then skips the body by Content-Length, by chunks, or until the
/// connection closes. A line that arrived whole is read in place; only a line split between reads is
/// gathered in one reusable buffer. Nothing is allocated per response unless a caller asked for header values.
struct ResponseParser {
    enum Outcome: Equatable {
        /// More bytes are needed.
        case incomplete
        /// A whole response was read; `consumed` bytes of the buffer belonged to it.
        case complete(consumed: Int)
        /// The bytes are not HTTP; the connection must be dropped.
        case invalid(Failure)
    }

    /// What was wrong, in words (a plain enum keeps `Outcome` free of reference counting on the hot path).
    enum Failure: String {
        case notHTTP = "not an HTTP/1.x status line"
        case tlsRecord = "the server answered with TLS (use https://)"
        case bytesPastEnd = "bytes past the end of a reply (a body longer than its Content-Length?)"
        case badStatusCode = "bad status code"
        case statusCodeOutOfRange = "status code out of range"
        case headerWithoutName = "header line without a name"
        case badContentLength = "bad Content-Length"
        case lineTooLong = "a line is over 16 KiB"
        case badChunkSize = "bad chunk size"
        case emptyChunkSize = "empty chunk size"
        case chunkSizeTooLarge = "chunk size too large"
        case chunkDataWithoutCRLF = "chunk data is not followed by CRLF"
        case parserState = "parser state"
    }

    enum State: Equatable {
        case statusLine, headerLine, fixedBody, chunkSizeLine, chunkData, chunkDataEnd, trailerLine, untilClose
    }

    static let maxLineLength = 16 * 1024

    private(set) var state: State = .statusLine
    private var line: [UInt8] = []
    private var remaining = 0
    private(set) var status = 0
    private(set) var keepAlive = true
    private var chunked = false
    private var contentLength = -1
    /// Set for a response to HEAD (no body whatever the headers say).
    var headRequest = false
    /// When true, `Retry-After`, `RateLimit-*` and `X-RateLimit-*` lines are kept in `rateLimitHeaders`.
    var captureRateLimitHeaders = false
    /// With `captureRateLimitHeaders`: capture only on 429 responses.
    var captureOnly429 = false
    /// Rate-limit header lines of the current response (only filled when capturing).
    var rateLimitHeaders: [(name: String, value: String)] = []

    init() { line.reserveCapacity(256) }

    /// True while a response has begun but not ended.
    var midResponse: Bool { state != .statusLine || !line.isEmpty }

    mutating func reset() {
        state = .statusLine
        if !line.isEmpty { line.removeAll(keepingCapacity: true) }
        remaining = 0
        status = 0
        keepAlive = true
        chunked = false
        contentLength = -1
        if !rateLimitHeaders.isEmpty { rateLimitHeaders.removeAll() }
    }

    /// Reads bytes of `buffer` (without moving its reader index) until a response ends or bytes run out.
    mutating func parse(_ buffer: ByteBuffer) -> Outcome {
        buffer.withUnsafeReadableBytes { bytes in parse(bytes) }
    }

    mutating func parse(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        var index = 0
        let count = bytes.count
        while index < count {
            switch state {
            case .fixedBody, .chunkData:
                let take = min(remaining, count - index)
                index += take
                remaining -= take
                if remaining == 0 {
                    if state == .fixedBody {
                        return .complete(consumed: index)
                    }
                    state = .chunkDataEnd
                    remaining = 2
                }
            case .chunkDataEnd:
                let byte = bytes[index]
                index += 1
                if byte == 0x0A {
                    state = .chunkSizeLine
                } else if byte != 0x0D {
                    return .invalid(.chunkDataWithoutCRLF)
                }
            case .untilClose:
                index = count
            case .statusLine, .headerLine, .chunkSizeLine, .trailerLine:
                let end = Self.index(of: 0x0A, in: bytes, from: index)
                let outcome: Outcome
                if end < count && line.isEmpty {
                    // The whole line is in this read (the usual case): read it where it is.
                    if end - index > Self.maxLineLength { return .invalid(.lineTooLong) }
                    var lineEnd = end
                    if lineEnd > index && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                    outcome = lineEnded(UnsafeRawBufferPointer(rebasing: bytes[index..<lineEnd]))
                } else {
                    if line.count + (end - index) > Self.maxLineLength { return .invalid(.lineTooLong) }
                    line.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<end]))
                    if end == count {
                        // Bytes that cannot begin "HTTP/1." fail now, not when a line ends (it may never end).
                        if state == .statusLine && !Self.couldBeginStatusLine(line) {
                            return .invalid(line.withUnsafeBytes { Self.statusLineFailure($0) })
                        }
                        return .incomplete
                    }
                    if line.last == 0x0D { line.removeLast() }
                    // Swapped out (no copy) so that reading it does not overlap mutating the parser.
                    var gathered: [UInt8] = []
                    swap(&gathered, &line)
                    outcome = gathered.withUnsafeBytes { lineEnded($0) }
                    gathered.removeAll(keepingCapacity: true)
                    swap(&gathered, &line)
                }
                index = end + 1
                switch outcome {
                case .incomplete: continue
                case .complete: return .complete(consumed: index)
                case .invalid: return outcome
                }
            }
        }
        if state == .fixedBody && remaining == 0 { return .complete(consumed: index) }
        return .incomplete
    }

    /// True when the bytes of `buffer` from `start` on are only CR and LF (tolerated between responses).
    static func onlyLineBreaks(_ buffer: ByteBuffer, from start: Int) -> Bool {
        buffer.withUnsafeReadableBytes { bytes in
            bytes[start...].allSatisfy { $0 == 0x0D || $0 == 0x0A }
        }
    }

    /// Why bytes are not an HTTP/1.x status line: a TLS record (an https port asked in plain HTTP) or anything else.
    static func statusLineFailure(_ line: UnsafeRawBufferPointer) -> Failure {
        line.count >= 2 && (line[0] == 0x15 || line[0] == 0x16) && line[1] == 0x03 ? .tlsRecord : .notHTTP
    }

    /// True when `line` is a prefix of "HTTP/1." or begins with it (or is the CR of a stray line break).
    static func couldBeginStatusLine(_ line: [UInt8]) -> Bool {
        line == [0x0D] || zip(line, "HTTP/1.".utf8).allSatisfy { $0 == $1 }
    }

    /// The connection closed: a body that runs until close is complete, anything else was cut short.
    func endOfStream() -> Bool { state == .untilClose }

    private mutating func lineEnded(_ line: UnsafeRawBufferPointer) -> Outcome {
        switch state {
        case .statusLine:
            if line.isEmpty { return .incomplete }  // tolerate a stray CRLF between responses
            return statusLine(line)
        case .headerLine:
            if line.isEmpty { return headersEnded() }
            return headerLine(line)
        case .chunkSizeLine:
            var size = 0
            var digits = 0
            for byte in line {
                guard let digit = Self.hexValue(byte) else {
                    if byte == 0x3B || byte == 0x20 || byte == 0x09 { break }  // chunk extensions
                    return .invalid(.badChunkSize)
                }
                size = size &* 16 &+ digit
                digits += 1
                if digits > 15 { return .invalid(.chunkSizeTooLarge) }
            }
            if digits == 0 { return .invalid(.emptyChunkSize) }
            if size == 0 {
                state = .trailerLine
            } else {
                remaining = size
                state = .chunkData
            }
            return .incomplete
        case .trailerLine:
            return line.isEmpty ? .complete(consumed: 0) : .incomplete
        default:
            return .invalid(.parserState)
        }
    }

    private mutating func statusLine(_ line: UnsafeRawBufferPointer) -> Outcome {
        // HTTP/1.x SSS reason
        guard line.count >= 12, line[0] == 0x48, line[1] == 0x54, line[2] == 0x54, line[3] == 0x50, line[4] == 0x2F,
            line[5] == 0x31, line[6] == 0x2E, line[8] == 0x20
        else { return .invalid(Self.statusLineFailure(line)) }
        keepAlive = line[7] == 0x31
        var code = 0
        for offset in 9..<12 {
            let byte = line[offset]
            guard byte >= 0x30 && byte <= 0x39 else { return .invalid(.badStatusCode) }
            code = code * 10 + Int(byte - 0x30)
        }
        guard code >= 100 && code <= 599 else { return .invalid(.statusCodeOutOfRange) }
        status = code
        state = .headerLine
        return .incomplete
    }

    /// Only four names matter (and rate-limit names when capturing); a line is told apart by its name's length
    /// and first letter before any byte-by-byte comparison, so most lines cost a colon search and nothing else.
    private mutating func headerLine(_ line: UnsafeRawBufferPointer) -> Outcome {
        let colon = Self.index(of: 0x3A, in: line, from: 0)
        guard colon > 0 && colon < line.count else { return .invalid(.headerWithoutName) }
        switch (colon, line[0] | 0x20) {
        case (14, 0x63) where Self.nameIs(line, colon, "content-length"):  // c
            guard let value = Self.decimalValue(line, from: colon + 1) else { return .invalid(.badContentLength) }
            contentLength = value
        case (10, 0x63) where Self.nameIs(line, colon, "connection"):
            switch Self.firstToken(line, from: colon + 1) {
            case .close: keepAlive = false
            case .keepAlive: keepAlive = true
            case .other:
                if Self.valueContains(line, colon, "close") {
                    keepAlive = false
                } else if Self.valueContains(line, colon, "keep-alive") {
                    keepAlive = true
                }
            }
        case (17, 0x74) where Self.nameIs(line, colon, "transfer-encoding"):  // t
            chunked = Self.valueContains(line, colon, "chunked")
        case (_, 0x72), (_, 0x78):  // r, x: Retry-After, RateLimit-*, X-RateLimit-*
            if captureRateLimitHeaders, !captureOnly429 || status == 429, Self.isRateLimitHeader(line, colon) {
                keepRateLimitHeader(line, colon)
            }
        default:
            break
        }
        return .incomplete
    }

    /// Out of line: the strings it makes would otherwise cost every header line a larger stack frame.
    @inline(never) private mutating func keepRateLimitHeader(_ line: UnsafeRawBufferPointer, _ colon: Int) {
        let name = String(decoding: line[..<colon], as: UTF8.self)
        let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces
        rateLimitHeaders.append((name, value))
    }

    /// A Content-Length value: digits between optional spaces; nil when empty, not a number or absurdly long.
    static func decimalValue(_ line: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index < line.count && (line[index] == 0x20 || line[index] == 0x09) { index += 1 }
        var value = 0
        var digits = 0
        while index < line.count {
            let digit = line[index] &- 0x30
            guard digit < 10 else { break }
            value = value &* 10 &+ Int(digit)
            digits += 1
            index += 1
        }
        while index < line.count && (line[index] == 0x20 || line[index] == 0x09) { index += 1 }
        guard digits > 0, digits <= 18, index == line.count else { return nil }
        return value
    }

    enum ConnectionToken { case close, keepAlive, other }

    /// The usual Connection values (`close`, `keep-alive`) read in place; a list or anything else is `other`.
    static func firstToken(_ line: UnsafeRawBufferPointer, from start: Int) -> ConnectionToken {
        var index = start
        while index < line.count && (line[index] == 0x20 || line[index] == 0x09) { index += 1 }
        var end = line.count
        while end > index && (line[end - 1] == 0x20 || line[end - 1] == 0x09) { end -= 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[index..<end])
        if equalsIgnoringCase(value, "close") { return .close }
        if equalsIgnoringCase(value, "keep-alive") { return .keepAlive }
        return .other
    }

    /// Case-insensitive comparison of all of `bytes` with a lower-case ASCII word.
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        let expected = word.utf8Start
        for offset in 0..<bytes.count where bytes[offset] | 0x20 != expected[offset] { return false }
        return true
    }

    private mutating func headersEnded() -> Outcome {
        if status < 200 {
            // 1xx: an interim response; the real one follows.
            state = .statusLine
            contentLength = -1
            chunked = false
            return .incomplete
        }
        if headRequest || status == 204 || status == 304 { return .complete(consumed: 0) }
        if chunked {
            state = .chunkSizeLine
        } else if contentLength >= 0 {
            if contentLength == 0 { return .complete(consumed: 0) }
            remaining = contentLength
            state = .fixedBody
        } else {
            keepAlive = false
            state = .untilClose
        }
        return .incomplete
    }

    /// The index of the first `byte` at or after `start`, or `bytes.count` (memchr: vectorised, unlike a loop).
    @inline(__always) static func index(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        guard start < bytes.count, let base = bytes.baseAddress,
            let found = memchr(base + start, CInt(byte), bytes.count - start)
        else { return bytes.count }
        return base.distance(to: UnsafeRawPointer(found))
    }

    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: Int(byte - 0x30)
        case 0x41...0x46: Int(byte - 0x41 + 10)
        case 0x61...0x66: Int(byte - 0x61 + 10)
        default: nil
        }
    }

    /// Case-insensitive comparison of the header name `line[..<colon]` with a lower-case ASCII name.
    static func nameIs(_ line: UnsafeRawBufferPointer, _ colon: Int, _ name: StaticString) -> Bool {
        guard colon == name.utf8CodeUnitCount else { return false }
        let expected = name.utf8Start
        for offset in 0..<colon where line[offset] | 0x20 != expected[offset] {
            // '-' (0x2D) | 0x20 == 0x2D, letters fold to lower case
            return false
        }
        return true
    }

    /// True when the value after the colon contains `word` (lower-case ASCII), ignoring case.
    static func valueContains(_ line: UnsafeRawBufferPointer, _ colon: Int, _ word: StaticString) -> Bool {
        let length = word.utf8CodeUnitCount
        let start = word.utf8Start
        var index = colon + 1
        while index + length <= line.count {
            var matched = true
            for offset in 0..<length where line[index + offset] | 0x20 != start[offset] {
                matched = false
                break
            }
            if matched { return true }
            index += 1
        }
        return false
    }

    static func isRateLimitHeader(_ line: UnsafeRawBufferPointer, _ colon: Int) -> Bool {
        nameIs(line, colon, "retry-after") || nameHasPrefix(line, colon, "ratelimit")
            || nameHasPrefix(line, colon, "x-ratelimit")
    }

    static func nameHasPrefix(_ line: UnsafeRawBufferPointer, _ colon: Int, _ prefix: StaticString) -> Bool {
        let length = prefix.utf8CodeUnitCount
        guard colon >= length else { return false }
        let expected = prefix.utf8Start
        for offset in 0..<length where line[offset] | 0x20 != expected[offset] { return false }
        return true
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " || scalars.first == "\t" { scalars = scalars.dropFirst() }
        while scalars.last == " " || scalars.last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
