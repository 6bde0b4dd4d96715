import BackendCore
import Foundation
import Testing

/// Agent calls read and write only inside the roots, judged by real path.
@Suite struct FileAccessTests {
    /// A root with a file, a link out of it, a dangling link, and a folder beside it that is not a root.
    struct Tree {
        let base: String
        var root: String { base + "/root" }
        var outside: String { base + "/outside" }

        init() throws {
            let real = FileManager.default.temporaryDirectory.resolvingSymlinksInPath().path
            base = real + "/file-access-\(UUID().uuidString)"
            let manager = FileManager.default
            try manager.createDirectory(atPath: base + "/root/sub", withIntermediateDirectories: true)
            try manager.createDirectory(atPath: base + "/outside", withIntermediateDirectories: true)
            try Data("in".utf8).write(to: URL(fileURLWithPath: base + "/root/sub/in.txt"))
            try Data("secret".utf8).write(to: URL(fileURLWithPath: base + "/outside/secret.txt"))
            try manager.createSymbolicLink(atPath: base + "/root/link", withDestinationPath: base + "/outside")
            try manager.createSymbolicLink(
                atPath: base + "/root/dangling", withDestinationPath: base + "/outside/not-yet")
        }

        func remove() { try? FileManager.default.removeItem(atPath: base) }
    }

    /// (path below the base folder, writes, allowed)
    @Test(
        arguments: [
            ("root/sub/in.txt", false, true),
            ("root/sub", false, true),
            ("root", true, true),
            ("root/new/deeper/out.json", true, true),
            ("root/sub/../sub/in.txt", false, true),
            ("outside/secret.txt", false, false),
            ("outside/new.txt", true, false),
            ("root/link/secret.txt", false, false),
            ("root/link", true, false),
            ("root/link/new.txt", true, false),
            ("root/dangling", true, false),
            ("root/../outside/secret.txt", false, false),
            ("root/new/../../outside/x", true, false),
        ] as [(String, Bool, Bool)])
    func allowsOnlyPathsInsideTheRoots(path: String, writes: Bool, allowed: Bool) throws {
        let tree = try Tree()
        defer { tree.remove() }
        let access = FileAccess.clientRoots(["file://" + tree.root], environment: [:])
        let use = FileUse(argument: "output", path: tree.base + "/" + path, writes: writes)
        if allowed {
            try access.check([use])
        } else {
            let error = #expect(throws: BackendError.self) { try access.check([use]) }
            #expect(error?.code == .refused)
            #expect(error?.message.contains("`output`") == true)
        }
    }

    @Test func aRefusalNamesTheRootsAndHowToWidenThem() throws {
        let tree = try Tree()
        defer { tree.remove() }
        let access = FileAccess.clientRoots(["file://" + tree.root], environment: [:])
        let error = #expect(throws: BackendError.self) {
            try access.check(FileUse.writes("output", tree.outside + "/x"))
        }
        let message = error?.message ?? ""
        #expect(message.contains("the client's roots: \(tree.root)"))
        #expect(message.contains(FileAccess.rootsVariable))
    }

    @Test func theOperatorsFoldersWidenTheClientsRoots() throws {
        let tree = try Tree()
        defer { tree.remove() }
        let access = FileAccess.clientRoots(
            ["file://" + tree.root], environment: [FileAccess.rootsVariable: "/nonexistent:\(tree.outside)"])
        try access.check(FileUse.reads("baseline", tree.outside + "/secret.txt"))
    }

    @Test func withoutClientRootsTheWorkingDirectoryAndTmpdirAreAllowed() throws {
        let tree = try Tree()
        defer { tree.remove() }
        let access = FileAccess.serverDefaults(environment: ["TMPDIR": tree.root])
        try access.check(FileUse.writes("output", tree.root + "/report"))
        try access.check(FileUse.reads("spec", FileManager.default.currentDirectoryPath + "/Package.swift"))
        try access.check(FileUse.reads("spec", "Package.swift"))
        #expect(throws: BackendError.self) { try access.check(FileUse.reads("spec", tree.outside + "/secret.txt")) }
    }

    @Test func anEmptyRootListAllowsNothingButUrlsAreNotFiles() throws {
        let access = FileAccess.clientRoots([], environment: [:])
        #expect(throws: BackendError.self) { try access.check(FileUse.reads("spec", "/etc/hostname")) }
        try access.check(FileUse.reads("spec", "https://example.com/openapi.yaml"))
        try FileAccess.unconfined.check(FileUse.reads("spec", "/etc/hostname"))
    }

    @Test func aRefusedLinkSaysWhereItLeads() throws {
        let tree = try Tree()
        defer { tree.remove() }
        let access = FileAccess.clientRoots(["file://" + tree.root], environment: [:])
        let error = #expect(throws: BackendError.self) {
            try access.check(FileUse.reads("files", tree.root + "/link/secret.txt"))
        }
        #expect(error?.message.contains("it resolves to \(tree.outside)/secret.txt") == true)
    }

    /// Files a tool finds by itself (in a folder, through a $ref) are checked where it reads them, on the
    /// thread of its blocking work, against the roots of the call that started it.
    @Test func theCallsAccessReachesItsBlockingWork() async throws {
        let tree = try Tree()
        defer { tree.remove() }
        let access = FileAccess.clientRoots(["file://" + tree.root], environment: [:])
        let inside = tree.root + "/sub/in.txt"
        let outside = tree.outside + "/secret.txt"
        try await access.confining {
            try await BlockingWork.run { () throws(BackendError) in try FileAccess.checkRead(inside, "target") }
            let error = await #expect(throws: BackendError.self) {
                try await BlockingWork.run { () throws(BackendError) in try FileAccess.checkRead(outside, "target") }
            }
            #expect(error?.message.contains("`target`") == true)
        }
        // Outside an agent call (the CLI) nothing is confined.
        try await BlockingWork.run { () throws(BackendError) in try FileAccess.checkRead(outside, "target") }
        #expect(FileAccess.current == .unconfined)
    }

    @Test(
        arguments: [
            ("file:///home/ana/project", "/home/ana/project"), ("file:///tmp/a%20b", "/tmp/a b"),
            ("https://example.com/x", nil), ("not a uri", nil),
        ] as [(String, String?)])
    func readsFileURIs(uri: String, path: String?) {
        #expect(FileAccess.path(fromFileURI: uri) == path)
    }
}
