import BackendCore
import Foundation
import Logging
import Testing

@testable import MCPServer

/// Revision 2026-07-28 beside the handshake era: the era of each request decides the rules.
@Suite struct ModernEraTests {
    static let meta =
        #""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}"#

    /// (method, params without `_meta`, expected error code or nil for a result)
    @Test(
        arguments: [
            ("server/discover", "", nil),
            ("tools/list", "", nil),
            ("resources/list", "", nil),
            ("resources/templates/list", "", nil),
            ("prompts/list", "", nil),
            ("resources/read", #""uri":"senior-backend://references/composition_map.md","#, nil),
            ("prompts/get", #""name":"backend-review","arguments":{"problem":"x"},"#, nil),
            ("resources/read", #""uri":"senior-backend://nope","#, -32602),
            ("ping", "", -32601),
            ("logging/setLevel", #""level":"info","#, -32601),
            ("resources/subscribe", #""uri":"senior-backend://references/composition_map.md","#, -32601),
            ("no/such", "", -32601),
            ("tools/call", #""name":"nope","#, -32602),
        ] as [(String, String, Int?)])
    func answersModernRequests(method: String, params: String, code: Int?) throws {
        let harness = try Harness()
        harness.send(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":{\#(params)\#(Self.meta)}}"#)
        let reply = try #require(harness.writer.messages.first)
        if let code {
            #expect(reply["error"]?["code"] == .integer(code))
            return
        }
        let result = try #require(reply["result"])
        #expect(result["resultType"] == .string("complete"))
        #expect(result["_meta"]?["io.modelcontextprotocol/serverInfo"]?["name"] == .string("senior-backend"))
        let cacheable = method != "prompts/get"
        #expect((result["ttlMs"]?.integerValue ?? -1 >= 0) == cacheable)
        #expect((result["cacheScope"] == .string("public")) == cacheable)
    }

    @Test func discoverListsBothErasAndAnswersAsTheFirstMessage() throws {
        let harness = try Harness()
        let result = try #require(harness.request(1, "server/discover", "{\(Self.meta)}")?["result"])
        #expect(
            result["supportedVersions"]
                == .array(["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"].map(JSONValue.string)))
        #expect(result["capabilities"]?["tools"] != nil)
        #expect(result["serverInfo"] == nil)
    }

    /// (`_meta` members, expected error code, what the data must hold)
    @Test(
        arguments: [
            (#""io.modelcontextprotocol/protocolVersion":"2026-07-28""#, -32602),
            (#""io.modelcontextprotocol/clientCapabilities":{}"#, -32602),
            (
                #""io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":[]"#,
                -32602
            ),
            (
                #""io.modelcontextprotocol/protocolVersion":"1900-01-01","io.modelcontextprotocol/clientCapabilities":{}"#,
                -32022
            ),
            (
                #""io.modelcontextprotocol/protocolVersion":"2025-11-25","io.modelcontextprotocol/clientCapabilities":{}"#,
                -32022
            ),
            (
                #""io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/logLevel":"loud""#,
                -32602
            ),
        ] as [(String, Int)])
    func rejectsMalformedOrUnsupportedMeta(members: String, code: Int) throws {
        let harness = try Harness()
        let error = try #require(harness.request(1, "tools/list", #"{"_meta":{\#(members)}}"#)?["error"])
        #expect(error["code"] == .integer(code))
        if code == -32022 {
            #expect(error["data"]?["supported"]?.arrayValue?.first == .string("2026-07-28"))
            #expect(error["data"]?["requested"] != nil)
        }
    }

    @Test func aRequestWithoutMetaAfterModernTrafficIsMalformedUnlessInitialized() throws {
        let modern = try Harness()
        _ = modern.request(1, "server/discover", "{\(Self.meta)}")
        #expect(modern.request(2, "tools/list")?["error"]?["code"] == .integer(-32602))
        _ = modern.request(3, "initialize", #"{"protocolVersion":"2025-11-25","capabilities":{}}"#)
        #expect(modern.request(4, "tools/list")?["result"]?["tools"] != nil)
        #expect(modern.request(5, "ping")?["result"] != nil)
        // Both eras on one process: a modern request after initialize still gets modern rules.
        #expect(modern.request(6, "ping", "{\(Self.meta)}")?["error"]?["code"] == .integer(-32601))
        #expect(modern.request(7, "tools/list", "{\(Self.meta)}")?["result"]?["resultType"] == .string("complete"))
        #expect(modern.request(8, "tools/list")?["result"]?["resultType"] == nil)
    }

    @Test func toolResultsCarryResultTypeAndLogOnlyAtTheRequestsLevel() async throws {
        let harness = try Harness()
        let withLevel = Self.meta.replacingOccurrences(
            of: #""io.modelcontextprotocol/clientCapabilities":{}"#,
            with: #""io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/logLevel":"info""#)
        harness.send(
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"diagnostics","arguments":{},\#(Self.meta)}}"#
        )
        harness.send(
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"diagnostics","arguments":{},\#(withLevel)}}"#
        )
        await harness.session.drain()
        let messages = harness.writer.messages
        for id in 1...2 {
            let result = try #require(messages.first { $0["id"] == .integer(id) }?["result"])
            #expect(result["resultType"] == .string("complete"))
            #expect(result["isError"] == .bool(false))
            #expect(result["ttlMs"] == nil)
        }
        #expect(messages.filter { $0["method"] == .string("notifications/message") }.count == 1)
    }
}

/// The catalog is built at the first request that needs it, so the first reply never waits for it.
@Suite struct LazyCatalogTests {
    @Test func initializeAndDiscoverAreAnsweredWithoutBuildingTheCatalog() throws {
        let writer = CollectingWriter()
        let session = MCPSession(
            makeCatalog: { () throws(BackendError) in throw BackendError(.failed, "catalog built too early") },
            configuration: ServerConfiguration(version: "test"), writer: writer, logger: Logger(label: "test"))
        session.receive(
            .line(
                Array(#"{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{\#(ModernEraTests.meta)}}"#.utf8)))
        session.receive(
            .line(
                Array(
                    #"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{}}}"#
                        .utf8)))
        session.receive(.line(Array(#"{"jsonrpc":"2.0","id":3,"method":"tools/list"}"#.utf8)))
        let replies = writer.messages
        #expect(replies[0]["result"]?["supportedVersions"] != nil)
        #expect(replies[1]["result"]?["protocolVersion"] == .string("2025-11-25"))
        #expect(replies[2]["error"]?["code"] == .integer(-32603))
        #expect(replies[2]["error"]?["message"]?.stringValue?.contains("catalog built too early") == true)
    }
}
