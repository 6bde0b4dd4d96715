import BackendCore
import Foundation
import Testing

@testable import MCPServer

/// File arguments of agent calls stay inside the client's roots: asked with `roots/list` in the handshake
/// era, as an input request in 2026-07-28, and the working directory and TMPDIR without roots.
@Suite struct RootsTests {
    struct Folders {
        let base: String
        var root: String { base + "/root" }
        var spec: String { root + "/openapi.json" }

        init() throws {
            let real = FileManager.default.temporaryDirectory.resolvingSymlinksInPath().path
            base = real + "/roots-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: base + "/root", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: base + "/elsewhere", withIntermediateDirectories: true)
            let document =
                #"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/ping":{"get":{"operationId":"ping","responses":{"200":{"description":"ok"}}}}}}"#
            try Data(document.utf8).write(to: URL(fileURLWithPath: spec))
        }

        func remove() { try? FileManager.default.removeItem(atPath: base) }

        func scaffold(output: String) -> String {
            #""name":"scaffold","arguments":{"spec":"\#(spec)","output":"\#(output)","dry_run":true}"#
        }
    }

    static func text(_ result: JSONValue?) -> String {
        result?["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
    }

    static func waitFor(_ harness: Harness, _ found: ([JSONValue]) -> Bool) async throws {
        for _ in 0..<400 where !found(harness.writer.messages) { try await Task.sleep(for: .milliseconds(10)) }
    }

    @Test func legacyClientsAreAskedForTheirRootsOnceUntilTheyChange() async throws {
        let folders = try Folders()
        defer { folders.remove() }
        let harness = try Harness(environment: ["TMPDIR": folders.base + "/elsewhere"])
        _ = harness.request(0, "initialize", #"{"protocolVersion":"2025-11-25","capabilities":{"roots":{}}}"#)
        func answerRootsRequest() async throws {
            try await Self.waitFor(harness) { $0.contains { $0["method"] == .string("roots/list") } }
            let asks = harness.writer.messages.filter { $0["method"] == .string("roots/list") }
            let id = try #require(asks.last?["id"])
            harness.send(
                #"{"jsonrpc":"2.0","id":\#(JSONWriter.string(id)),"result":{"roots":[{"uri":"file://\#(folders.root)"}]}}"#
            )
        }
        harness.send(
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{\#(folders.scaffold(output: folders.base + "/elsewhere/out"))}}"#
        )
        try await answerRootsRequest()
        await harness.session.drain()
        let refused = harness.writer.messages.first { $0["id"] == .integer(1) }?["result"]
        #expect(refused?["isError"] == .bool(true))
        #expect(Self.text(refused).contains("the client's roots: \(folders.root)"))

        harness.send(
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{\#(folders.scaffold(output: folders.root + "/out"))}}"#
        )
        await harness.session.drain()
        let accepted = harness.writer.messages.first { $0["id"] == .integer(2) }?["result"]
        #expect(accepted?["isError"] == .bool(false), "\(Self.text(accepted))")
        #expect(harness.writer.messages.filter { $0["method"] == .string("roots/list") }.count == 1)

        harness.send(#"{"jsonrpc":"2.0","method":"notifications/roots/list_changed"}"#)
        harness.send(
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{\#(folders.scaffold(output: folders.root + "/out"))}}"#
        )
        try await Self.waitFor(harness) { $0.filter { $0["method"] == .string("roots/list") }.count == 2 }
        try await answerRootsRequest()
        await harness.session.drain()
        #expect(harness.writer.messages.first { $0["id"] == .integer(3) }?["result"]?["isError"] == .bool(false))
    }

    @Test func modernClientsGetAnInputRequestThenTheirRootsDecide() async throws {
        let folders = try Folders()
        defer { folders.remove() }
        let harness = try Harness(environment: ["TMPDIR": folders.base + "/elsewhere"])
        let meta =
            #""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"roots":{}}}"#
        let first = harness.request(1, "tools/call", "{\(folders.scaffold(output: folders.root + "/out")),\(meta)}")
        #expect(first?["result"]?["resultType"] == .string("input_required"))
        #expect(first?["result"]?["inputRequests"]?["roots"]?["method"] == .string("roots/list"))

        let roots = #""inputResponses":{"roots":{"roots":[{"uri":"file://\#(folders.root)"}]}}"#
        harness.send(
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{\#(folders.scaffold(output: folders.root + "/out")),\#(roots),\#(meta)}}"#
        )
        harness.send(
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{\#(folders.scaffold(output: folders.base + "/elsewhere/out")),\#(roots),\#(meta)}}"#
        )
        await harness.session.drain()
        let accepted = harness.writer.messages.first { $0["id"] == .integer(2) }?["result"]
        #expect(accepted?["resultType"] == .string("complete"))
        #expect(accepted?["isError"] == .bool(false), "\(Self.text(accepted))")
        let refused = harness.writer.messages.first { $0["id"] == .integer(3) }?["result"]
        #expect(refused?["isError"] == .bool(true))
        #expect(Self.text(refused).contains("outside the folders this call may write"))
        #expect(!harness.writer.messages.contains { $0["method"] == .string("roots/list") })
    }

    @Test func withoutRootsTheWorkingDirectoryAndTmpdirAreTheLimit() async throws {
        let folders = try Folders()
        defer { folders.remove() }
        let harness = try Harness(environment: ["TMPDIR": folders.root])
        harness.send(
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{\#(folders.scaffold(output: folders.root + "/out"))}}"#
        )
        harness.send(
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{\#(folders.scaffold(output: folders.base + "/elsewhere/out"))}}"#
        )
        await harness.session.drain()
        #expect(harness.writer.messages.first { $0["id"] == .integer(1) }?["result"]?["isError"] == .bool(false))
        let refused = harness.writer.messages.first { $0["id"] == .integer(2) }?["result"]
        #expect(Self.text(refused).contains("the working directory and TMPDIR"))
    }
}
