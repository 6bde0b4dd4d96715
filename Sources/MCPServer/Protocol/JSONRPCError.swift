import BackendCore

/// A JSON-RPC error object with the codes of JSON-RPC 2.0 and MCP.
struct JSONRPCError: Error {
    let code: Int
    let message: String
    var data: JSONValue?

    init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    static func parse(_ message: String) -> JSONRPCError { .init(code: -32700, message: "Parse error: \(message)") }
    static func invalidRequest(_ message: String) -> JSONRPCError {
        .init(code: -32600, message: "Invalid request: \(message)")
    }
    static func methodNotFound(_ method: String) -> JSONRPCError {
        .init(code: -32601, message: "Method not found: \(quote(method))")
    }
    static func invalidParams(_ message: String) -> JSONRPCError {
        .init(code: -32602, message: "Invalid params: \(message)")
    }
    static func internalError(_ message: String) -> JSONRPCError {
        .init(code: -32603, message: "Internal error: \(message)")
    }
    /// MCP's code for a resource URI the server does not have.
    static func resourceNotFound(_ uri: String) -> JSONRPCError {
        .init(code: -32002, message: "Resource not found: \(quote(uri))")
    }

    /// 2026-07-28: processing the request needs a capability the request's `_meta` did not declare.
    static func missingClientCapability(_ message: String, required: JSONObject) -> JSONRPCError {
        .init(
            code: -32021, message: "Missing required client capability: \(message)",
            data: .object(JSONObject(["requiredCapabilities": .object(required)])))
    }

    /// 2026-07-28: the request's `_meta` names a protocol version this server does not serve per request.
    static func unsupportedVersion(_ requested: String, supported: [String]) -> JSONRPCError {
        let hint =
            ServerConfiguration.supportedVersions.contains(requested)
            ? "; \(requested) is a handshake revision: send initialize" : ""
        return .init(
            code: -32022,
            message:
                "Unsupported protocol version \(quote(requested)); supported: \(supported.joined(separator: ", "))\(hint)",
            data: .object(
                JSONObject(["supported": .array(supported.map(JSONValue.string)), "requested": .string(requested)])))
    }

    /// Client-supplied text as it appears in an error: at most 120 characters, so a hostile megabyte
    /// name is not echoed back (or scanned for secrets) in full.
    static func quote(_ text: String) -> String {
        text.count > 120 ? "\(text.prefix(120))… (\(text.utf8.count) bytes)" : text
    }

    var json: JSONValue {
        var object = JSONObject(["code": .integer(code), "message": .string(SecretRedactor.redact(message))])
        if let data { object["data"] = data }
        return .object(object)
    }
}
