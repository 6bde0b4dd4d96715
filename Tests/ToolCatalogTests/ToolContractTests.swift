import BackendCore
import DecisionEngine
import Foundation
import GrillSession
import LoadTest
import MigrationRunner
import PostgresTestSupport
import Scaffold
import SchemaAnalysis
import SchemaDiff
import SpecialistRouting
import Testing

@testable import ToolCatalog

/// The call contract of DESIGN section 2, checked on every registered tool and its schema files.
@Suite struct ToolContractTests {
    static let catalog = try! ToolCatalog.make(environment: [ToolCatalog.diagnosticsVariable: "1"])
    static let toolNames = catalog.tools.map(\.name)

    @Test(arguments: toolNames)
    func schemasAreFlatPortableAndDescribed(name: String) throws {
        let tool = try #require(Self.catalog.tool(named: name))
        #expect(name.wholeMatch(of: /^[a-z][a-z0-9_]{0,63}$/) != nil)
        let schema = tool.inputSchema
        #expect(schema["type"] == .string("object"))
        #expect(schema["additionalProperties"] == .bool(false))
        let properties = try #require(schema["properties"]?.objectValue)
        for property in properties {
            #expect(
                property.value["description"]?.stringValue?.isEmpty == false,
                "\(name).\(property.key) lacks a description")
        }
        let text = JSONWriter.string(schema)
        for banned in ["\"$ref\"", "\"$defs\"", "\"oneOf\"", "\"anyOf\"", "\"allOf\"", "\"$schema\""] {
            #expect(!text.contains(banned), "\(name) input schema uses \(banned)")
        }
        #expect(tool.outputSchema["type"] == .string("object"))
    }

    @Test(arguments: toolNames)
    func examplesCoverEveryPropertyAndPassTheirOwnSchema(name: String) throws {
        let tool = try #require(Self.catalog.tool(named: name))
        let examples = try #require(tool.inputSchema["examples"]?.arrayValue, "\(name) has no examples")
        let validator = JSONSchemaValidator(schema: tool.inputSchema)
        var used = Set<String>()
        for example in examples {
            #expect(validator.validate(example).isEmpty, "example \(JSONWriter.string(example))")
            used.formUnion(example.objectValue?.keys ?? [])
        }
        #expect(used == Set(tool.inputSchema["properties"]?.objectValue?.keys ?? []))
    }

    @Test(arguments: toolNames)
    func everyExampleGivesADigestAndAStructuredResultMatchingTheOutputSchema(name: String) async throws {
        let tool = try #require(Self.catalog.tool(named: name))
        let outputValidator = JSONSchemaValidator(schema: tool.outputSchema, rootName: "result")
        var databases: [TestDatabase] = []
        var scratch: [String] = []
        defer {
            databases.forEach { $0.drop() }
            for path in scratch { try? FileManager.default.removeItem(atPath: path) }
        }
        for var example in tool.inputSchema["examples"]?.arrayValue ?? [] {
            // Tools that connect to PostgreSQL run their examples against the test cluster.
            if case .object(var arguments) = example, arguments["connection"] != nil {
                let url = try #require(
                    ProcessInfo.processInfo.environment["SENIOR_BACKEND_TEST_PG"],
                    "\(name) connects to PostgreSQL: run scripts/test.sh, which starts the test cluster")
                arguments["connection"] = .string(url)
                // Migration examples get a folder holding one harmless migration.
                if arguments["files"] != nil {
                    let folder = NSTemporaryDirectory() + "contract-\(UUID().uuidString)"
                    scratch.append(folder)
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    try "SELECT 1;".write(
                        toFile: folder + "/20260101000000_noop.up.sql", atomically: true, encoding: .utf8)
                    arguments["files"] = .array([.string(folder)])
                }
                // A second-database target is the test cluster too (a self-diff: an empty plan).
                if arguments["target_connection"] != nil { arguments["target_connection"] = .string(url) }
                // Plan examples get a target schema file.
                if arguments["target"] != nil {
                    let target = NSTemporaryDirectory() + "contract-target-\(UUID().uuidString).sql"
                    scratch.append(target)
                    try "CREATE TABLE contract_example (id bigint PRIMARY KEY);".write(
                        toFile: target, atomically: true, encoding: .utf8)
                    arguments["target"] = .string(target)
                }
                example = .object(arguments)
            }
            // A load_test body file is a small file of its own.
            if case .object(var arguments) = example, name == "load_test", arguments["body_file"] != nil {
                let body = NSTemporaryDirectory() + "contract-body-\(UUID().uuidString).json"
                scratch.append(body)
                try "{\"product_id\": 1}".write(toFile: body, atomically: true, encoding: .utf8)
                arguments["body_file"] = .string(body)
                example = .object(arguments)
            }
            // Scaffold examples get a small spec (or routes folder, or the test cluster) and a fresh output.
            if case .object(var arguments) = example, name == "scaffold" {
                let folder = NSTemporaryDirectory() + "contract-scaffold-\(UUID().uuidString)"
                scratch.append(folder)
                try FileManager.default.createDirectory(atPath: folder + "/routes", withIntermediateDirectories: true)
                try """
                openapi: 3.0.3
                info: {title: Contract, version: "1"}
                paths:
                  /ping: {get: {operationId: ping, responses: {'200': {description: ok}}}}
                """.write(toFile: folder + "/openapi.yaml", atomically: true, encoding: .utf8)
                try "app.get('/ping', (req, res) => res.send('pong'));\n".write(
                    toFile: folder + "/routes/app.js", atomically: true, encoding: .utf8)
                arguments["output"] = .string(folder + "/project")
                if arguments["spec"] != nil { arguments["spec"] = .string(folder + "/openapi.yaml") }
                // An override folder with one template of ours changed.
                if arguments["templates"] != nil {
                    try FileManager.default.createDirectory(
                        atPath: folder + "/templates/fastify", withIntermediateDirectories: true)
                    try "# {{title}}: our own README\n".write(
                        toFile: folder + "/templates/fastify/fastify-README.md.mustache", atomically: true,
                        encoding: .utf8)
                    arguments["templates"] = .string(folder + "/templates")
                }
                if arguments["generate_spec"] != nil {
                    arguments["generate_spec"] = .string(folder + "/routes")
                    arguments["output"] = .string(folder + "/openapi.yaml")
                }
                // from_db examples read a database of their own holding one table in the example's schema.
                if arguments["from_db"] != nil {
                    let schema = arguments["db_schema"]?.stringValue ?? "public"
                    let quoted = "\"" + schema.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                    let database = try TestDatabase(
                        "contract_scaffold",
                        script: "CREATE SCHEMA IF NOT EXISTS \(quoted); CREATE TABLE \(quoted).items "
                            + "(id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);")
                    databases.append(database)
                    arguments["from_db"] = .string(database.url)
                }
                example = .object(arguments)
            }
            let result = try await tool.call(example, context: SilentToolContext())
            #expect(!result.digest.isEmpty)
            #expect(Digest.wordCount(result.digest) <= Digest.maxWords)
            let structured = try #require(
                result.structured, "\(name) gave no structured result for \(JSONWriter.string(example))")
            #expect(outputValidator.validate(structured) == [])
        }
    }

    /// The Codable input type and the schema agree: an example decodes, and encodes back to the same keys.
    @Test func routeInputTypeMatchesItsSchema() throws {
        try expectRoundTrip(name: "route_to_specialist", as: RouteRequest.self)
    }

    @Test func decideInputTypeMatchesItsSchema() throws {
        try expectRoundTrip(name: "decide_profile", as: DecideRequest.self)
    }

    @Test func grillInputTypeMatchesItsSchema() throws {
        try expectRoundTrip(name: "grill_next_question", as: GrillRequest.self)
    }

    @Test func analyzeInputTypeMatchesItsSchema() throws {
        try expectRoundTrip(name: "analyze_schema", as: AnalyzeRequest.self)
    }

    @Test func applyInputTypeMatchesItsSchema() throws {
        try expectRoundTrip(name: "apply_migration", as: ApplyRequest.self)
    }

    @Test func loadInputTypeMatchesItsSchema() throws {
        try expectRoundTrip(name: "load_test", as: LoadTestRequest.self)
    }

    @Test func planInputTypeMatchesItsSchema() throws {
        try expectRoundTrip(name: "plan_migration", as: PlanRequest.self)
    }

    @Test func scaffoldInputTypeMatchesItsSchema() throws {
        try expectRoundTrip(name: "scaffold", as: ScaffoldRequest.self)
    }

    @Test func diagnosticsInputTypeMatchesItsSchema() throws {
        try expectRoundTrip(name: "diagnostics", as: DiagnosticsRequest.self)
    }

    func expectRoundTrip<T: Codable>(name: String, as type: T.Type) throws {
        let tool = try #require(Self.catalog.tool(named: name))
        var keys = Set<String>()
        for example in tool.inputSchema["examples"]?.arrayValue ?? [] {
            let decoded = try example.decode(as: T.self)
            let encoded = try JSONValue(encoding: decoded)
            #expect(encoded == example)
            keys.formUnion(encoded.objectValue?.keys ?? [])
        }
        #expect(keys == Set(tool.inputSchema["properties"]?.objectValue?.keys ?? []))
    }
}
