import Testing

@testable import ToolCatalog

@Suite struct EmbeddedFileTests {
    @Test func everyFileOfTheEmbeddedFoldersIsEmbedded() {
        let onDisk = ["schemas", "references", "agents", "profiles"].flatMap(RepositoryFiles.list).sorted()
        #expect(EmbeddedFile.all.map(\.path).sorted() == onDisk)
    }

    @Test(arguments: EmbeddedFile.all.map(\.path))
    func embeddedBytesEqualTheFileOnDisk(path: String) throws {
        #expect(EmbeddedFile.named(path)?.bytes == (try RepositoryFiles.bytes(path)))
    }

    /// A reference's resource description: its first line that is neither empty nor a heading.
    @Test(arguments: [
        ("# Title\n\nFirst words.\nMore.", "First words."), ("plain", "plain"), ("# Only\n## Headings\n", nil),
        ("", nil), ("\n\n# T\nlast line", "last line"), ("# Café\nçà et là\n", "çà et là"),
    ])
    func referenceSummaryIsTheFirstLineOfText(text: String, summary: String?) {
        #expect(ToolCatalog.summary(text).map(String.init) == summary)
    }
}
