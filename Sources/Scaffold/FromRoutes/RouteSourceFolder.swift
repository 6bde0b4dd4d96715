import BackendCore
import Foundation

/// One JavaScript/TypeScript file of the routes folder, tokenized.
struct RouteSourceFile {
    /// Path relative to the routes folder.
    var path: String
    var tokens: [JavaScriptToken]
    var docComments: [DocComment]
}

/// The JavaScript/TypeScript files of a routes folder, read with limits: folders such as `node_modules`
/// are skipped, symbolic links to folders are not followed (no loops), huge and binary files are
/// skipped with a warning.
struct RouteSourceFolder {
    static let extensions: Set<String> = ["js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx"]
    static let skippedFolders: Set<String> = ["node_modules", ".git", "dist", "build", "coverage", ".next", "out"]
    static let maxFileBytes = 2_000_000
    static let maxFiles = 5_000

    let root: String
    var files: [RouteSourceFile] = []
    var warnings: [String] = []

    /// Reads every source file under `root`, except those under `excluding` (relative folder paths).
    init(root: String, excluding: Set<String> = []) throws(BackendError) {
        self.root = root
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder) else {
            throw BackendError(.notFound, "generate_spec: the routes folder \(root) does not exist")
        }
        guard isFolder.boolValue else {
            throw BackendError.invalidInput(
                "generate_spec: \(root) is a file; give the folder holding the route files (for example src)")
        }
        var pending = [""]
        var sourcePaths: [String] = []
        while let relative = pending.popLast() {
            let folder = relative.isEmpty ? root : root + "/" + relative
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
                warnings.append("\(relative.isEmpty ? "." : relative): folder cannot be read; skipped")
                continue
            }
            for name in names.sorted() {
                let child = relative.isEmpty ? name : relative + "/" + name
                let full = root + "/" + child
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: full) else { continue }
                let type = attributes[.type] as? FileAttributeType
                if type == .typeDirectory {
                    if !Self.skippedFolders.contains(name) && !excluding.contains(child) { pending.append(child) }
                } else if type == .typeSymbolicLink {
                    var targetIsFolder: ObjCBool = false
                    if FileManager.default.fileExists(atPath: full, isDirectory: &targetIsFolder) {
                        if targetIsFolder.boolValue {
                            warnings.append("\(child): symbolic link to a folder, not followed")
                        } else if Self.isSource(name) {
                            // A linked source file may lie outside the call's roots.
                            try FileAccess.checkRead(full, "generate_spec")
                            sourcePaths.append(child)
                        }
                    } else if Self.isSource(name) {
                        warnings.append("\(child): symbolic link to nothing (or a loop); skipped")
                    }
                } else if type == .typeRegular && Self.isSource(name) {
                    sourcePaths.append(child)
                }
            }
        }
        sourcePaths.sort()
        if sourcePaths.count > Self.maxFiles {
            warnings.append(
                "\(sourcePaths.count) source files: only the first \(Self.maxFiles) (by path) were read; "
                    + "point generate_spec at the folder holding the routes")
            sourcePaths = Array(sourcePaths.prefix(Self.maxFiles))
        }
        for path in sourcePaths { read(path) }
    }

    static func isSource(_ name: String) -> Bool {
        let lower = name.lowercased()
        guard !lower.hasSuffix(".d.ts"), !lower.hasSuffix(".d.mts"), !lower.hasSuffix(".d.cts"),
            let dot = lower.lastIndex(of: ".")
        else { return false }
        return extensions.contains(String(lower[lower.index(after: dot)...]))
    }

    private mutating func read(_ path: String) {
        let full = root + "/" + path
        let size = (try? FileManager.default.attributesOfItem(atPath: full)[.size] as? Int) ?? 0
        guard size <= Self.maxFileBytes else {
            warnings.append(
                "\(path): \(size / 1_000_000) MB, over the \(Self.maxFileBytes / 1_000_000) MB limit for a source "
                    + "file; skipped (routes in it are not listed)")
            return
        }
        guard let data = FileManager.default.contents(atPath: full) else {
            warnings.append("\(path): cannot be read; skipped")
            return
        }
        let bytes = [UInt8](data)
        guard !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) else {
            warnings.append("\(path): not UTF-8 text (binary?); skipped")
            return
        }
        let tokenizer = JavaScriptTokenizer.tokenize(text)
        for problem in tokenizer.problems.prefix(3) {
            warnings.append("\(path):\(problem.line): \(problem.message); routes after it may be missed")
        }
        files.append(RouteSourceFile(path: path, tokens: tokenizer.tokens, docComments: tokenizer.docComments))
    }
}
