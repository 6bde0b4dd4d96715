import BackendCore
import Foundation
import Testing

@testable import Scaffold

/// The templates folder of the Scaffold target, beside the sources.
let templatesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Sources/Scaffold/Templates").path

@Suite struct TemplateSetTests {
    @Test func everyTemplateOnDiskIsEmbeddedByteForByte() throws {
        let onDisk = tree(templatesFolder)
        #expect(Set(onDisk.keys) == Set(TemplateSet.builtIn.keys))
        for (path, bytes) in TemplateSet.builtIn { #expect(onDisk[path] == bytes, "\(path) differs from its file") }
        _ = try TemplateSet.builtInOnly()
    }

    @Test func anOverrideReplacesOneTemplateAndTheRestFallBack() throws {
        let folder = temporaryFolder("templates")
        let output = temporaryFolder()
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(atPath: output)
        }
        try write(
            "// {{title}} has {{#operations}}{{identifier}} {{/operations}}<& \"raw\">\n",
            to: folder + "/common/handler-registry.ts.mustache")
        try write("unused\n", to: folder + "/common/no-such-file.ts.mustache")
        let result = try Scaffolder().run(
            ScaffoldRequest(
                spec: fixtures + "/petstore-expanded.yaml", templates: folder, framework: "express", output: output))
        let registry = try String(contentsOfFile: output + "/src/generated/handler-registry.ts", encoding: .utf8)
        // Plain text: no HTML escaping of `<&"`.
        #expect(registry == "// Swagger Petstore has findPets addPet findPetById deletePet <& \"raw\">\n")
        let runtime = try String(contentsOfFile: output + "/src/generated/runtime.ts", encoding: .utf8)
        #expect(Array(runtime.utf8) == TemplateSet.builtIn["common/runtime.ts.mustache"])
        #expect(result.warnings.contains { $0.contains("common/no-such-file.ts.mustache") })
    }

    @Test(arguments: [
        ("{{#operations}}\n{{identifier}}\n", "line 3"),
        ("ok\n{{/operations}}\n", "line 2"),
        ("a\nb\n{{=<% %>=}}<%#x%>\n", "line 4"),
    ])
    func aBrokenTemplateIsNamedWithTheMustacheError(template: String, place: String) throws {
        let folder = temporaryFolder("templates")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write(template, to: folder + "/express/express-app.ts.mustache")
        expectFailure(.invalidInput, containing: "express/express-app.ts.mustache: mustache error at \(place)") {
            _ = try TemplateSet(overrides: folder)
        }
    }

    @Test func templatesOutsideTheFolderAreRefused() throws {
        let folder = temporaryFolder("templates")
        let outside = temporaryFolder("outside")
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(atPath: outside)
        }
        try write("secret\n", to: outside + "/types.ts.mustache")
        try FileManager.default.createDirectory(atPath: folder + "/common", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: folder + "/common/types.ts.mustache", withDestinationPath: outside + "/types.ts.mustache")
        expectFailure(.refused, containing: "leads outside") { _ = try TemplateSet(overrides: folder) }
        expectFailure(.refused, containing: "'..'") { _ = try TemplateSet(overrides: folder + "/../x") }
        expectFailure(.notFound, containing: "does not exist") { _ = try TemplateSet(overrides: folder + "-missing") }
    }
}
