import BackendCore
import Foundation

/// FNV-1a, 64 bits: a stable content hash for the manifest (change detection, not security).
enum FNV1a {
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// Plans and performs the writes of a scaffold run, confined to the output folder.
struct ProjectWriter {
    let output: String
    let force: Bool

    struct Plan {
        var entries: [ScaffoldResult.FileEntry] = []
        var writes: [(path: String, text: String)] = []
        var removals: [String] = []
        var handEdited: [String] = []
    }

    /// The output folder as an absolute, standardised path; `..` components are refused.
    static func outputFolder(_ raw: String) throws(BackendError) -> String {
        var path = try userPath(raw, field: "output", what: "folder", ifEmpty: "give the project folder to write")
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        guard path != "/" else { throw BackendError(.refused, "output must not be the root folder") }
        return path
    }

    /// A path the caller gave (`field` names it in messages), absolute and standardised; an empty path and
    /// `..` steps are refused, so nothing the caller names can climb out of where it points.
    static func userPath(_ raw: String, field: String, what: String, ifEmpty: String) throws(BackendError) -> String {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw BackendError.invalidInput("\(field): \(ifEmpty)") }
        guard !trimmed.split(separator: "/").contains("..") else {
            throw BackendError(.refused, "\(field) '\(raw)' contains '..': give the \(what) without parent steps")
        }
        let absolute = trimmed.hasPrefix("/") ? trimmed : FileManager.default.currentDirectoryPath + "/" + trimmed
        return (absolute as NSString).standardizingPath
    }

    /// A relative path the generator made; anything that could leave the output folder is refused.
    static func checkRelative(_ path: String) throws(BackendError) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        let plain = path.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9")
                || "/._-".unicodeScalars
                    .contains($0)
        }
        guard plain, !path.hasPrefix("/"), !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw BackendError(.refused, "refusing to write '\(path)': it would not stay inside the output folder")
        }
    }

    func read(_ relative: String) -> [UInt8]? {
        FileManager.default.contents(atPath: output + "/" + relative).map { [UInt8]($0) }
    }

    func plan(_ files: [GeneratedFile]) throws(BackendError) -> Plan {
        var plan = Plan()
        let previous = previousManifest()
        var listed: [String: String] = [:]
        for file in files {
            try Self.checkRelative(file.path)
            let bytes = Array(file.text.utf8)
            let existing = read(file.path)
            let action: String
            switch file.kind {
            case .createOnce:
                action = existing == nil ? "created" : "kept"
            case .generated:
                listed[file.path] = FNV1a.hex(bytes)
                if let existing {
                    if let recorded = previous?[file.path] {
                        if FNV1a.hex(existing) != recorded { plan.handEdited.append(file.path) }
                    } else if existing != bytes {
                        // No record of having written it: someone else's file.
                        plan.handEdited.append(file.path)
                    }
                    action = existing == bytes ? "unchanged" : "updated"
                } else {
                    action = "created"
                }
            }
            plan.entries.append(.init(path: file.path, action: action, generated: file.kind == .generated))
            if action == "created" || action == "updated" { plan.writes.append((file.path, file.text)) }
        }
        for (path, recorded) in (previous ?? [:]).sorted(by: { $0.key < $1.key }) where listed[path] == nil {
            guard (try? Self.checkRelative(path)) != nil, path.hasPrefix("src/generated/"),
                let existing = read(path)
            else { continue }
            if FNV1a.hex(existing) != recorded { plan.handEdited.append(path) }
            plan.removals.append(path)
            plan.entries.append(.init(path: path, action: "removed", generated: true))
        }
        let manifest = manifestText(listed)
        let existingManifest = read(ProjectEmitter.manifestPath)
        let manifestAction =
            existingManifest == nil ? "created" : existingManifest == Array(manifest.utf8) ? "unchanged" : "updated"
        plan.entries.append(.init(path: ProjectEmitter.manifestPath, action: manifestAction, generated: true))
        if manifestAction != "unchanged" { plan.writes.append((ProjectEmitter.manifestPath, manifest)) }
        return plan
    }

    /// `path -> hash` of the last run's manifest; nil when there is none (or it is unreadable).
    func previousManifest() -> [String: String]? {
        guard let bytes = read(ProjectEmitter.manifestPath), let value = try? JSONParser.parse(bytes),
            let files = value["files"]?.objectValue
        else { return nil }
        var result: [String: String] = [:]
        for member in files { if let hash = member.value.stringValue { result[member.key] = hash } }
        return result
    }

    func manifestText(_ listed: [String: String]) -> String {
        var files = JSONObject()
        for (path, hash) in listed.sorted(by: { $0.key < $1.key }) { files[path] = .string(hash) }
        let manifest = JSONValue.object(
            JSONObject([
                "generator": .string("senior-backend scaffold"), "hash": .string("fnv1a64"), "files": .object(files),
            ]))
        return TypeScript.pretty(manifest, quoteKeys: true) + "\n"
    }

    func apply(_ plan: Plan) throws(BackendError) {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            throw BackendError(.failed, "cannot create \(output): \(error.localizedDescription)")
        }
        let root = try FileAccess.resolve(output)
        for (relative, text) in plan.writes {
            let target = try confined(relative, root: root)
            let folder = (target as NSString).deletingLastPathComponent
            do {
                try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw BackendError(.failed, "cannot create \(folder): \(error.localizedDescription)")
            }
            try ProjectWriter.replace(target, with: Array(text.utf8))
        }
        for relative in plan.removals {
            guard let target = try? confined(relative, root: root) else { continue }
            try? manager.removeItem(atPath: target)
        }
    }

    /// The full path of a file of the project, checked before anything is created or removed there: a
    /// symbolic link inside the project (a folder on the way, or the file itself) must not carry a write or
    /// a removal outside it, nor make folders there.
    func confined(_ relative: String, root: String) throws(BackendError) -> String {
        let target = output + "/" + relative
        let folder = (target as NSString).deletingLastPathComponent
        let resolved: String
        do {
            resolved = try FileAccess.resolve(folder)
        } catch {
            throw BackendError(.refused, "refusing to write \(relative): \(folder) is \(error.message)")
        }
        guard FileAccess.isInside(resolved, root: root) else {
            throw BackendError(
                .refused, "refusing to write \(relative): \(folder) leads outside \(output), to \(resolved)")
        }
        var info = stat()
        if lstat(target, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
            throw BackendError(.refused, "refusing to write \(relative): it is a symbolic link")
        }
        return target
    }

    /// Writes beside `target` and renames over it: atomic, without Foundation's fsync per file (one fsync
    /// per file was most of the wall time of a 500-file project).
    static func replace(_ target: String, with bytes: [UInt8]) throws(BackendError) {
        let temporary = target + ".scaffold-tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw BackendError(.failed, "cannot write \(target): \(String(cString: strerror(errno)))")
        }
        var offset = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        close(descriptor)
        if failure == 0 && rename(temporary, target) == 0 { return }
        let reason = String(cString: strerror(failure != 0 ? failure : errno))
        unlink(temporary)
        throw BackendError(.failed, "cannot write \(target): \(reason)")
    }
}
