// A plain modelcontextprotocol/swift-sdk 0.12.1 stdio server, used as the reference column of
// bench/mcp. `initialize` and `ping` are the SDK's own handlers; the only addition is a
// `diagnostics` tool with the same input and output shape as senior-backend's (listed there when
// SENIOR_BACKEND_DIAGNOSTICS=1; this server always lists it):
//   input  {"sleep_ms": int, "result_kib": int 0...65536, "payload": string}, all optional
//   result text content: a short digest
//          structuredContent: {"slept_ms": int, "payload_bytes": UTF-8 length of payload,
//                              "filler": result_kib KiB of text}
import Foundation
import MCP

let fillerLine = String(repeating: "0123456789abcdef", count: 63) + "senior-backend!\n"  // 1024 bytes

let diagnosticsTool = Tool(
    name: "diagnostics",
    title: "Protocol diagnostics",
    description: "Sleeps for sleep_ms, returns result_kib KiB of filler, reports the payload size.",
    inputSchema: .object([
        "type": .string("object"),
        "properties": .object([
            "sleep_ms": .object(["type": .string("integer"), "minimum": .int(0), "maximum": .int(60000)]),
            "result_kib": .object(["type": .string("integer"), "minimum": .int(0), "maximum": .int(65536)]),
            "payload": .object(["type": .string("string")]),
        ]),
        "additionalProperties": .bool(false),
    ]),
    outputSchema: .object([
        "type": .string("object"),
        "properties": .object([
            "slept_ms": .object(["type": .string("integer"), "minimum": .int(0)]),
            "payload_bytes": .object(["type": .string("integer"), "minimum": .int(0)]),
            "filler": .object(["type": .string("string")]),
        ]),
        "required": .array([.string("slept_ms"), .string("payload_bytes"), .string("filler")]),
        "additionalProperties": .bool(false),
    ])
)

/// An optional integer argument; JSON numbers may arrive as `.int` or `.double`.
func intArgument(_ arguments: [String: Value]?, _ key: String) -> Int?? {
    guard let value = arguments?[key], !value.isNull else { return .some(nil) }
    if let int = value.intValue { return .some(int) }
    if let double = value.doubleValue, double == double.rounded(), abs(double) < 1e15 { return .some(Int(double)) }
    return nil  // present but not an integer
}

func failure(_ message: String) -> CallTool.Result {
    .init(content: [.text(text: message, annotations: nil, _meta: nil)], isError: true)
}

func diagnostics(_ arguments: [String: Value]?) async throws -> CallTool.Result {
    for key in (arguments ?? [:]).keys where !["sleep_ms", "result_kib", "payload"].contains(key) {
        return failure("diagnostics: unknown argument \(key)")
    }
    guard let sleepArg = intArgument(arguments, "sleep_ms") else { return failure("diagnostics: sleep_ms must be an integer") }
    guard let kibArg = intArgument(arguments, "result_kib") else { return failure("diagnostics: result_kib must be an integer") }
    let sleepMs = sleepArg ?? 0
    let resultKib = kibArg ?? 0
    guard (0...60_000).contains(sleepMs) else { return failure("diagnostics: sleep_ms must be 0...60000") }
    guard (0...65_536).contains(resultKib) else { return failure("diagnostics: result_kib must be 0...65536") }
    var payloadBytes = 0
    if let payload = arguments?["payload"], !payload.isNull {
        guard let text = payload.stringValue else { return failure("diagnostics: payload must be a string") }
        payloadBytes = text.utf8.count
    }

    if sleepMs > 0 { try await Task.sleep(for: .milliseconds(sleepMs)) }
    let filler = String(repeating: fillerLine, count: resultKib)
    let digest = "Diagnostics done\nSlept \(sleepMs) ms, received \(payloadBytes) payload bytes, returned \(filler.utf8.count) filler bytes."
    return .init(
        content: [.text(text: digest, annotations: nil, _meta: nil)],
        structuredContent: .object([
            "slept_ms": .int(sleepMs),
            "payload_bytes": .int(payloadBytes),
            "filler": .string(filler),
        ]),
        isError: false)
}

let server = Server(
    name: "swift-sdk-reference-server",
    version: "0.12.1",
    capabilities: .init(tools: .init(listChanged: false)))

// Register before start so no early request can miss a handler.
await server.withMethodHandler(ListTools.self) { _ in
    .init(tools: [diagnosticsTool])
}
await server.withMethodHandler(CallTool.self) { params in
    guard params.name == "diagnostics" else { return failure("unknown tool \(params.name)") }
    return try await diagnostics(params.arguments)
}

try await server.start(transport: StdioTransport())
await server.waitUntilCompleted()  // returns when stdin reaches EOF
