import BackendCore
import Foundation
import Testing

@testable import Scaffold

/// The shared corpus, beside the repository (`../shared/corpus`).
let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus/openapi").path

func generateSpec(_ folder: String, into output: String, dryRun: Bool = false) throws -> ScaffoldResult {
    try Scaffolder().run(ScaffoldRequest(generateSpec: folder, output: output, dryRun: dryRun))
}

/// The routes of a result as `METHOD path`, sorted.
func routeLines(_ result: ScaffoldResult) -> [String] {
    result.operations.map { "\($0.method) \($0.path)" }.sorted()
}

@Suite struct RouteSpecRoundTripTests {
    static func corpusDocuments() -> [String] {
        let small = (try? FileManager.default.contentsOfDirectory(atPath: corpus + "/small")) ?? []
        return small.filter { $0.hasSuffix(".yaml") }.sorted().map { "small/" + $0 }
            + ["roundtrip/realworld-conduit-openapi.yml"]
    }

    @Test func theCorpusIsThere() {
        #expect(
            FileManager.default.fileExists(atPath: corpus + "/small"),
            "the round-trip tests read the shared corpus at \(corpus): it is missing")
        #expect(Self.corpusDocuments().count >= 10)
    }

    /// spec -> scaffold -> generate_spec -> the same operations, parameters, bodies and schemas.
    @Test(arguments: corpusDocuments())
    func specToCodeToSpecKeepsOperationsParametersAndSchemas(_ document: String) throws {
        let original = try APIModel(document: SpecDocument.load(path: corpus + "/" + document))
        let project = temporaryFolder("roundtrip")
        defer { try? FileManager.default.removeItem(atPath: project) }
        _ = try scaffold(corpus + "/" + document, into: project)
        for (folder, name) in [(project, "openapi.yaml"), (project + "/src", "openapi.json")] {
            let specFile = project + "-" + name
            defer { try? FileManager.default.removeItem(atPath: specFile) }
            let result = try generateSpec(folder, into: specFile)
            #expect(result.source == "generate_spec")
            #expect(result.warnings == [], "\(document): \(result.warnings)")
            let again = try APIModel(document: SpecDocument.load(path: specFile))
            expectSameModel(original, again, document)
        }
    }

    func expectSameModel(_ original: APIModel, _ again: APIModel, _ document: String) {
        #expect(again.title == original.title, "\(document): title")
        #expect(again.basePath == original.basePath, "\(document): base path")
        #expect(
            again.operations.map { "\($0.method) \($0.path) \($0.identifier)" }
                == original.operations.map { "\($0.method) \($0.path) \($0.identifier)" }, "\(document): operations")
        for (left, right) in zip(original.operations, again.operations) {
            let leftParameters = left.parameters.map {
                [$0.name, $0.location, "\($0.required)", $0.style, "\($0.explode)"]
            }
            let rightParameters = right.parameters.map {
                [$0.name, $0.location, "\($0.required)", $0.style, "\($0.explode)"]
            }
            #expect(leftParameters == rightParameters, "\(document): \(left.identifier) parameters")
            #expect(left.parameters.map(\.schema) == right.parameters.map(\.schema), "\(document): \(left.identifier)")
            #expect(left.body?.schema == right.body?.schema, "\(document): \(left.identifier) body")
            #expect(left.body?.required == right.body?.required, "\(document): \(left.identifier) body")
            #expect(left.summary == right.summary, "\(document): \(left.identifier) summary")
            #expect(
                left.security.map { $0.map { "\($0.scheme)\($0.scopes)" } }
                    == right.security.map { $0.map { "\($0.scheme)\($0.scopes)" } },
                "\(document): \(left.identifier) security")
        }
        #expect(again.schemas.map(\.identifier) == original.schemas.map(\.identifier), "\(document): schema names")
        for (left, right) in zip(original.schemas, again.schemas) {
            #expect(left.schema == right.schema, "\(document): schema \(left.identifier)")
        }
        #expect(
            again.securitySchemes.map { "\($0.name) \($0.type)" }
                == original.securitySchemes.map { "\($0.name) \($0.type)" }, "\(document): security schemes")
    }
}
