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
}
