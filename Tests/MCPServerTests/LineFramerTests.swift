import Testing

@testable import MCPServer

@Suite struct LineFramerTests {
    func feed(_ framer: inout LineFramer, _ text: String) -> [LineFramer.Frame] {
        Array(text.utf8).withUnsafeBytes { framer.append($0) }
    }

    func lines(_ frames: [LineFramer.Frame]) -> [String] {
        frames.map {
            switch $0 {
            case .line(let bytes): String(decoding: bytes, as: UTF8.self)
            case .oversized(let length, _): "<oversized \(length)>"
            }
        }
    }

    @Test func splitsLinesAcrossChunksAndStripsCarriageReturns() {
        var framer = LineFramer(maxLineBytes: 100)
        var frames = feed(&framer, "ab")
        frames += feed(&framer, "c\r\nd\n\ne")
        frames += feed(&framer, "f\n")
        #expect(lines(frames) == ["abc", "d", "", "ef"])
        #expect(framer.finish().isEmpty)
    }

    @Test func deliversAnUnterminatedLastLineAtEnd() {
        var framer = LineFramer(maxLineBytes: 100)
        #expect(feed(&framer, "x\ny").count == 1)
        #expect(lines(framer.finish()) == ["y"])
    }

    @Test func dropsOverlongLinesAndKeepsGoing() {
        var framer = LineFramer(maxLineBytes: 10)
        var frames = feed(&framer, "{\"id\":7,")
        frames += feed(&framer, String(repeating: "x", count: 50))
        frames += feed(&framer, "yy\nok\n")
        #expect(lines(frames) == ["<oversized 60>", "ok"])
        if case .oversized(_, let prefix) = frames[0] {
            #expect(String(decoding: prefix, as: UTF8.self).hasPrefix("{\"id\":7,"))
        }
    }

    @Test func reportsALongLineThatArrivesInOneChunk() {
        var framer = LineFramer(maxLineBytes: 10)
        #expect(lines(feed(&framer, String(repeating: "z", count: 11) + "\nshort\n")) == ["<oversized 11>", "short"])
    }

    @Test func handlesManyLinesInOneChunk() {
        var framer = LineFramer(maxLineBytes: 100)
        let text = (0..<10_000).map { "line\($0)" }.joined(separator: "\n") + "\n"
        let frames = feed(&framer, text)
        #expect(frames.count == 10_000)
        #expect(lines([frames[9_999]]) == ["line9999"])
    }
}
