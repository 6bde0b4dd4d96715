import BackendCore
import DecisionEngine
import Foundation
import Testing
import ToolCatalog

/// A class so that the folders a test makes are removed when it ends (deinit).
@Suite final class ProfileLibraryTests {
    var folders: [String] = []

    deinit { for path in folders { try? FileManager.default.removeItem(atPath: path) } }

    func folder(_ files: [String: String]) throws -> String {
        let path = NSTemporaryDirectory() + "profiles-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        folders.append(path)
        for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
        return path
    }

    static let builtInNames = ["django-monolith", "fastapi-python", "go-or-rust-microservice", "node-express"]

    @Test func theFourBuiltInsLoadWithoutWarnings() throws {
        let library = try ToolCatalog.profileLibrary(directory: nil)
        #expect(library.profiles.map(\.name).sorted() == Self.builtInNames)
        #expect(library.warnings.isEmpty)
    }

    @Test func aUserFolderAddsAndReplacesByName() throws {
        let node = try #require(ToolCatalog.profileLibrary(directory: nil).profiles.first { $0.name == "node-express" })
        var replaced = node
        replaced.thresholds.p99Ms = 300
        var added = node
        added.name = "java-spring"
        added.constraints.languages = [.java]
        let encode = { (profile: Profile) in JSONWriter.string(try JSONValue(encoding: profile)) }
        let path = try folder([
            "node.json": try encode(replaced), "java.json": try encode(added), "notes.txt": "ignored",
        ])
        let library = try ToolCatalog.profileLibrary(directory: path)
        #expect(library.profiles.count == 5)
        #expect(library.profiles.first { $0.name == "node-express" }?.thresholds.p99Ms == 300)
        #expect(library.warnings.contains { $0.contains("replaces the built-in profile node-express") })
        var request = DecideRequest.sample
        request.languagePreference = .java
        #expect(try ProfileDecider(library: library).decide(request).recommendation?.profile == "java-spring")
    }

    @Test(arguments: [
        ("broken.json", "{not json", "invalid JSON"),
        (
            "wrong-type.json",
            #"{"name":"x","description":"d","version":"1.0.0","constraints":{"team_size":{"min":"one"}},"stack":[{"layer":"a","picks":["b"]}],"anti_recommendations":[],"thresholds":{"p50_ms":1,"p95_ms":2,"p99_ms":3,"uptime":0.9,"rpo_minutes":1,"rto_minutes":1},"approvers":[{"change":"c","roles":["r"]}],"canon":[]}"#,
            "profile.constraints.team_size.min"
        ),
        (
            "bad-enum.json",
            #"{"name":"y","description":"d","version":"1.0.0","constraints":{"patterns":["monolithic"]},"stack":[{"layer":"a","picks":["b"]}],"anti_recommendations":[],"thresholds":{"p50_ms":1,"p95_ms":2,"p99_ms":3,"uptime":0.9,"rpo_minutes":1,"rto_minutes":1},"approvers":[{"change":"c","roles":["r"]}],"canon":[]}"#,
            "profile.constraints.patterns[0]"
        ),
        ("missing.json", #"{"name":"z"}"#, "profile.description"),
    ])
    func aBrokenProfileIsNamedAndTheOthersStillLoad(file: String, text: String, field: String) throws {
        let library = try ToolCatalog.profileLibrary(directory: try folder([file: text]))
        #expect(library.profiles.map(\.name).sorted() == Self.builtInNames)
        #expect(library.warnings.count == 1)
        #expect(library.warnings.first?.contains(file) == true)
        #expect(library.warnings.first?.contains(field) == true, "\(library.warnings)")
    }

    @Test func aMissingFolderIsAClearError() {
        #expect(throws: BackendError.self) { try ToolCatalog.profileLibrary(directory: "/nonexistent/profiles") }
    }
}
