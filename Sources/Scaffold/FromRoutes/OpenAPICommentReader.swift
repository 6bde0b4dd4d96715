import BackendCore
import Foundation
import Yams

/// `@openapi` / `@swagger` JSDoc blocks (the swagger-jsdoc convention): the YAML after the tag holds path
/// items (`/users: {get: ...}`) and optionally other top-level members (`components`, `tags`).
struct OpenAPICommentReader {
    struct Block {
        var file: String
        var line: Int
        var document: JSONObject
    }

    private(set) var blocks: [Block] = []
    private(set) var warnings: [String] = []

    init(files: [RouteSourceFile]) {
        for file in files {
            for comment in file.docComments {
                read(comment, in: file.path)
            }
        }
    }

    private mutating func read(_ comment: DocComment, in file: String) {
        var lines = comment.text.split(separator: "\n", omittingEmptySubsequences: false).map { raw -> String in
            // Drop the ` * ` gutter: leading blanks, one `*`, and one space after it.
            var line = Substring(raw)
            while let first = line.first, first == " " || first == "\t" { line = line.dropFirst() }
            if line.hasPrefix("*") {
                line = line.dropFirst()
                if line.hasPrefix(" ") { line = line.dropFirst() }
            }
            return String(line).replacingOccurrences(of: "\r", with: "")
        }
        guard let tagIndex = lines.firstIndex(where: { $0.hasPrefix("@openapi") || $0.hasPrefix("@swagger") }) else {
            return
        }
        let tagLine = comment.line + tagIndex
        // The block ends at the next JSDoc tag (`@param`, ...) at the start of a line.
        lines = Array(lines[(tagIndex + 1)...])
        if let next = lines.firstIndex(where: { $0.hasPrefix("@") }) { lines = Array(lines[..<next]) }
        let text = lines.joined(separator: "\n")
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            warnings.append("\(file):\(tagLine): empty @openapi block; ignored")
            return
        }
        let value: JSONValue
        do {
            guard let node = try Yams.compose(yaml: text) else { return }
            value = try SpecLoader.convert(node, at: "#")
        } catch let error as BackendError {
            warnings.append("\(file):\(tagLine): @openapi block: \(error.message); ignored")
            return
        } catch {
            let reason = String(describing: error).split(separator: "\n").first.map(String.init) ?? "unreadable"
            warnings.append("\(file):\(tagLine): @openapi block is not valid YAML (\(reason)); ignored")
            return
        }
        guard let object = value.objectValue else {
            warnings.append("\(file):\(tagLine): @openapi block is not a mapping of paths; ignored")
            return
        }
        blocks.append(Block(file: file, line: tagLine, document: object))
    }
}
