import BackendCore

/// Input of the `diagnostics` tool, which exists to exercise the protocol layer (slow, big, progress).
public struct DiagnosticsRequest: Codable, Sendable {
    public var sleepMs: Int?
    public var resultKib: Int?
    public var payload: String?

    enum CodingKeys: String, CodingKey {
        case sleepMs = "sleep_ms", resultKib = "result_kib", payload
    }
}

public struct DiagnosticsResult: Codable, Sendable {
    public var sleptMs: Int
    public var payloadBytes: Int
    public var filler: String

    enum CodingKeys: String, CodingKey {
        case sleptMs = "slept_ms", payloadBytes = "payload_bytes", filler
    }
}

enum DiagnosticsTool {
    static func run(
        _ request: DiagnosticsRequest, context: any ToolContext
    ) async throws -> ToolReport<DiagnosticsResult> {
        let total = max(0, request.sleepMs ?? 0)
        context.log(.info, "diagnostics: working for \(total) ms")
        var slept = 0
        while slept < total {
            let step = min(100, total - slept)
            try await Task.sleep(for: .milliseconds(step))
            slept += step
            context.reportProgress(Double(slept), total: Double(total), message: "working")
        }
        let line = String(repeating: "0123456789abcdef", count: 63) + "senior-backend!\n"
        let filler = String(repeating: line, count: max(0, request.resultKib ?? 0))
        let result = DiagnosticsResult(sleptMs: slept, payloadBytes: request.payload?.utf8.count ?? 0, filler: filler)
        var digest = Digest("Diagnostics done")
        digest.add(
            "Slept \(slept) ms, received \(result.payloadBytes) payload bytes, returned \(filler.utf8.count) filler bytes."
        )
        return ToolReport(output: result, digest: digest)
    }
}
