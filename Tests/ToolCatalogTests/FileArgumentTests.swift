import BackendCore
import Foundation
import Testing

@testable import ToolCatalog

/// Every argument that names a file or folder is checked against the call's roots before the tool runs.
@Suite struct FileArgumentTests {
    /// (tool, arguments as JSON, the uses the call declares as "argument:r|w")
    @Test(
        arguments: [
            ("scaffold", #"{"spec":"a.yaml","templates":"t","output":"out"}"#, ["spec:r", "templates:r", "output:w"]),
            ("scaffold", #"{"generate_spec":"src","output":"openapi.json"}"#, ["generate_spec:r", "output:w"]),
            ("analyze_schema", #"{"output":"erd"}"#, ["output:w"]),
            ("analyze_schema", #"{}"#, []),
            ("plan_migration", #"{"target":"t.sql","output":"m"}"#, ["target:r", "output:w"]),
            ("apply_migration", #"{"files":["a.up.sql","dir"]}"#, ["files:r", "files:r"]),
            (
                "load_test",
                #"{"url":"http://127.0.0.1/","body_file":"b","baseline":"x.json","save_baseline":"y.json","output":"o"}"#,
                ["body_file:r", "baseline:r", "save_baseline:w", "output:w"]
            ),
            ("route_to_specialist", #"{"concern":"slo"}"#, []),
            ("grill_next_question", #"{"session":"s"}"#, []),
            ("decide_profile", #"{}"#, []),
        ] as [(String, String, [String])])
    func declaresEveryPathArgument(tool name: String, arguments: String, expected: [String]) throws {
        let catalog = try ToolCatalog.make(environment: [:])
        let tool = try #require(catalog.tool(named: name))
        let uses = tool.fileUses(try JSONParser.parse(arguments))
        #expect(uses.map { "\($0.argument):\($0.writes ? "w" : "r")" } == expected)
    }

    @Test func aPathOutsideTheRootsIsRefusedBeforeTheToolRuns() async throws {
        let catalog = try ToolCatalog.make(environment: [:])
        let tool = try #require(catalog.tool(named: "analyze_schema"))
        let context = SilentToolContext(files: .clientRoots(["file:///nonexistent-root"], environment: [:]))
        // The connection is never opened: the refusal comes first, naming the argument and the roots.
        let result = try await tool.call(
            try JSONParser.parse(#"{"connection":"postgres://nobody@127.0.0.1:1/x","output":"/etc/erd"}"#),
            context: context)
        #expect(result.isError)
        #expect(result.digest.contains("`output` /etc/erd is outside"))
        #expect(result.digest.contains("/nonexistent-root"))
    }
}
