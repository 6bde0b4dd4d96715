import BackendCore
import Testing

@testable import MCPServer

/// The 2026-07-28 `requestState` of a form: the client echoes it and may change it, so the server takes
/// back only what it signed, for the same tool, under the same process key.
@Suite struct ElicitationStateTests {
    static let key = [UInt8](repeating: 7, count: 32)
    static let ask = MCPSession.Ask(
        message: "Q2 of 7", schema: .object(JSONObject(["type": .string("object")])))
    static let state = MCPSession.signState(tool: "grill_next_question", ask: ask, key: key)

    @Test func anUntouchedStateGivesBackTheDigestOfItsForm() {
        #expect(MCPSession.verifyState(Self.state, tool: "grill_next_question", key: Self.key) == Self.ask.digest)
    }

    @Test(arguments: [
        (
            "the last hex digit of the code changed",
            String(Self.state.dropLast()) + (Self.state.hasSuffix("0") ? "1" : "0")
        ),
        (
            "the form digest changed",
            Self.state.replacingOccurrences(of: Self.ask.digest, with: String(repeating: "0", count: 64))
        ),
        ("the tool name changed", Self.state.replacingOccurrences(of: "grill_next_question", with: "apply_migration")),
        ("the version changed", Self.state.replacingOccurrences(of: "v1|", with: "v2|")),
        ("the code removed", String(Self.state[..<Self.state.lastIndex(of: "|")!])),
        ("bytes appended", Self.state + "00"),
        ("empty", ""),
        ("no separator", "grill_next_question"),
        (
            "signed under another key",
            MCPSession.signState(tool: "grill_next_question", ask: Self.ask, key: [UInt8](repeating: 8, count: 32))
        ),
    ])
    func aTamperedStateIsRefused(change: String, state: String) {
        #expect(MCPSession.verifyState(state, tool: "grill_next_question", key: Self.key) == nil, "\(change)")
    }

    @Test func aStateSignedForOneToolIsRefusedForAnother() {
        #expect(MCPSession.verifyState(Self.state, tool: "apply_migration", key: Self.key) == nil)
    }
}
