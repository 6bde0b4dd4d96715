import BackendCore
import Foundation
import Logging
import Testing
import ToolCatalog

@testable import MCPServer

/// Collects written lines in memory, as stdout would receive them.
final class CollectingWriter: LineWriter, @unchecked Sendable {
    private let lock = NSLock()
    private var written: [[UInt8]] = []

    func write(_ line: [UInt8]) { lock.withLock { written.append(line) } }
    func flush() async {}

    var messages: [JSONValue] { lock.withLock { written }.map { try! JSONParser.parse($0) } }
    var rawLines: [String] { lock.withLock { written }.map { String(decoding: $0, as: UTF8.self) } }
}

struct Harness {
    let session: MCPSession
    let writer = CollectingWriter()

    init(pageSize: Int = 50, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        var configuration = ServerConfiguration(version: "test")
        configuration.pageSize = pageSize
        configuration.maxMessageBytes = 1 << 20
        let catalog = try ToolCatalog.make(environment: [ToolCatalog.diagnosticsVariable: "1"])
        session = MCPSession(
            catalog: catalog, configuration: configuration, writer: writer, logger: Logger(label: "test"),
            environment: environment)
    }

    func send(_ line: String) { session.receive(.line(Array(line.utf8))) }

    func request(_ id: Int, _ method: String, _ params: String = "{}") -> JSONValue? {
        send(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#)
        return writer.messages.last { $0["id"] == .integer(id) }
    }
}

@Suite struct MCPSessionTests {
    @Test(arguments: [
        ("2025-11-25", "2025-11-25"), ("2025-06-18", "2025-06-18"), ("2025-03-26", "2025-03-26"),
        ("2024-11-05", "2024-11-05"), ("2026-07-28", "2025-11-25"), ("1999-01-01", "2025-11-25"),
    ])
    func negotiatesTheProtocolVersion(asked: String, expected: String) throws {
        let harness = try Harness()
        let reply = harness.request(1, "initialize", #"{"protocolVersion":"\#(asked)","capabilities":{}}"#)
        #expect(reply?["result"]?["protocolVersion"] == .string(expected))
        #expect(reply?["result"]?["capabilities"]?["tools"] != nil)
    }

    /// (line sent, expected error code or nil for a result, expected id as JSON text, or nil for no reply)
    @Test(
        arguments: [
            (#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, nil, "1"),
            (#"{"jsonrpc":"2.0","id":"a","method":"ping"}"#, nil, #""a""#),
            (#"{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"}"#, nil, "9007199254740993"),
            (#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#, nil, "1.5"),
            (#"{"jsonrpc":"2.0","id":-3,"method":"ping"}"#, nil, "-3"),
            ("{not json", -32700, "null"),
            ("\u{1}\u{2}binary", -32700, "null"),
            (#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#, -32600, "null"),
            (#""just a string""#, -32600, "null"),
            (#"{"id":7,"method":"ping"}"#, -32600, "7"),
            (#"{"jsonrpc":"1.0","id":7,"method":"ping"}"#, -32600, "7"),
            (#"{"jsonrpc":"2.0","id":7,"method":5}"#, -32600, "7"),
            (#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#, -32600, "null"),
            (#"{"jsonrpc":"2.0","id":true,"method":"ping"}"#, -32600, "null"),
            (#"{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}"#, -32600, "null"),
            (#"{"jsonrpc":"2.0","id":8,"method":"no/such"}"#, -32601, "8"),
            (#"{"jsonrpc":"2.0","id":8,"method":"server/discover"}"#, -32602, "8"),
            (#"{"jsonrpc":"2.0","id":9,"method":"tools/list","params":[1]}"#, -32602, "9"),
            (#"{"jsonrpc":"2.0","id":9,"method":"tools/list","params":{"cursor":"bogus"}}"#, -32602, "9"),
            (#"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{}}"#, -32602, "9"),
            (#"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"nope"}}"#, -32602, "9"),
            (#"{"jsonrpc":"2.0","id":9,"method":"initialize","params":{}}"#, -32602, "9"),
            (#"{"jsonrpc":"2.0","id":9,"method":"logging/setLevel","params":{"level":"loud"}}"#, -32602, "9"),
            (#"{"jsonrpc":"2.0","id":9,"method":"logging/setLevel","params":{"level":"debug"}}"#, nil, "9"),
            (
                #"{"jsonrpc":"2.0","id":9,"method":"resources/read","params":{"uri":"senior-backend://nope"}}"#, -32002,
                "9"
            ),
            (#"{"jsonrpc":"2.0","id":9,"method":"prompts/get","params":{"name":"backend-review"}}"#, -32602, "9"),
            (#"{"jsonrpc":"2.0","id":9,"method":"prompts/get","params":{"name":"nope"}}"#, -32602, "9"),
            (#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#, nil, nil),
            (#"{"jsonrpc":"2.0","method":"no/such/notification","params":{"x":1}}"#, nil, nil),
            (#"{"jsonrpc":"2.0","id":5,"result":{}}"#, nil, nil),
            ("   ", nil, nil),
        ] as [(String, Int?, String?)])
    func answersEachMessageAsTheSpecSays(line: String, code: Int?, id: String?) throws {
        let harness = try Harness()
        harness.send(line)
        let replies = harness.writer.messages
        guard let id else {
            #expect(replies.isEmpty)
            return
        }
        try #require(replies.count == 1)
        #expect(harness.writer.rawLines[0].contains(#""id":\#(id)"#))
        #expect(replies[0]["jsonrpc"] == .string("2.0"))
        if let code {
            #expect(replies[0]["error"]?["code"] == .integer(code))
        } else {
            #expect(replies[0]["result"] != nil)
        }
    }

    @Test func oversizedMessagesGetAnErrorWithTheirId() throws {
        let harness = try Harness()
        harness.session.receive(
            .oversized(length: 5 << 20, prefix: Array(#"{"jsonrpc":"2.0","id":"big-1","method""#.utf8)))
        let reply = try #require(harness.writer.messages.first)
        #expect(reply["id"] == .string("big-1"))
        #expect(reply["error"]?["code"] == .integer(-32600))
        #expect(reply["error"]?["message"]?.stringValue?.contains("exceeds the limit") == true)
    }

    @Test func paginatesListsWithOpaqueCursors() throws {
        let harness = try Harness(pageSize: 1)
        var names: [String] = []
        var cursor: JSONValue? = nil
        var id = 1
        repeat {
            let params = cursor.map { #"{"cursor":\#(JSONWriter.string($0))}"# } ?? "{}"
            let result = try #require(harness.request(id, "resources/list", params)?["result"])
            names += result["resources"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            cursor = result["nextCursor"]
            id += 1
        } while cursor != nil
        #expect(names == names.sorted())
        #expect(names.count == 5)
        #expect(names.contains("composition_map.md"))
    }

    @Test func callsToolsWithDigestAndStructuredContent() async throws {
        let harness = try Harness()
        harness.send(
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"route_to_specialist","arguments":{"concern":"slo"}}}"#
        )
        await harness.session.drain()
        let result = try #require(harness.writer.messages.first?["result"])
        #expect(result["isError"] == .bool(false))
        #expect(result["structuredContent"]?["match"]?["concern_id"] == .string("slo"))
        #expect(result["content"]?.arrayValue?.first?["type"] == .string("text"))
    }

    @Test func badArgumentsAreToolErrorsNamingTheField() async throws {
        let harness = try Harness()
        harness.send(
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"route_to_specialist","arguments":{"concern":5,"extra":true}}}"#
        )
        await harness.session.drain()
        let result = try #require(harness.writer.messages.first?["result"])
        #expect(result["isError"] == .bool(true))
        let text = result["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        #expect(text.contains("arguments.concern"))
        #expect(text.contains("arguments.extra"))
    }

    @Test func errorResultsAreDigestsOfAtMostTwoHundredWords() async throws {
        let harness = try Harness()
        let extras = (0..<60).map { #""unknown_argument_number_\#($0)":true"# }.joined(separator: ",")
        harness.send(
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"route_to_specialist","arguments":{"concern":"slo",\#(extras)}}}"#
        )
        await harness.session.drain()
        let result = try #require(harness.writer.messages.first?["result"])
        #expect(result["isError"] == .bool(true))
        let text = result["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        #expect(text.contains("unknown_argument_number_0"))
        #expect(Digest.wordCount(text) <= Digest.maxWords)
    }

    @Test func progressRisesAndCancellationSilencesTheCall() async throws {
        let harness = try Harness()
        harness.send(
            #"{"jsonrpc":"2.0","id":"slow","method":"tools/call","params":{"name":"diagnostics","arguments":{"sleep_ms":3000},"_meta":{"progressToken":"t"}}}"#
        )
        // Wait for the first progress notification rather than a fixed time: CI machines are busy.
        for _ in 0..<200 where !harness.writer.messages.contains(where: { $0["params"]?["progress"] != nil }) {
            try await Task.sleep(for: .milliseconds(50))
        }
        harness.send(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"slow"}}"#)
        let countAtCancel = harness.writer.messages.count
        harness.send(#"{"jsonrpc":"2.0","id":2,"method":"ping"}"#)
        await harness.session.drain()
        let messages = harness.writer.messages
        let progress = messages.compactMap { $0["params"]?["progress"]?.doubleValue }
        #expect(!progress.isEmpty)
        #expect(progress == progress.sorted() && Set(progress).count == progress.count)
        #expect(!messages.contains { $0["id"] == .string("slow") })
        #expect(messages.count == countAtCancel + 1)  // only the ping reply came after the cancel
    }

    @Test(arguments: [("info", 1), ("error", 0)])
    func logNotificationsFollowTheLevelTheClientSets(level: String, expected: Int) async throws {
        let harness = try Harness()
        harness.send(#"{"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":"\#(level)"}}"#)
        harness.send(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"diagnostics","arguments":{}}}"#)
        await harness.session.drain()
        let logs = harness.writer.messages.filter { $0["method"] == .string("notifications/message") }
        #expect(logs.count == expected)
        #expect(logs.allSatisfy { $0["params"]?["level"] == .string("info") })
    }

    @Test func sendsNoLogNotificationsBeforeTheClientAsks() async throws {
        let harness = try Harness()
        harness.send(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"diagnostics","arguments":{}}}"#)
        await harness.session.drain()
        #expect(harness.writer.messages.count == 1)
    }
}
