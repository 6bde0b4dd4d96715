import Foundation

/// The output of `pg_dump --schema-only --no-owner`, cut into its entries and normalised, so that two
/// databases compare by everything pg_dump prints rather than by what `SchemaModel` reads.
///
/// Normalisations (the README lists them too): the preamble before the first entry (`SET` lines,
/// `set_config('search_path')`, the version comments, `\restrict`) and the closing comment are dropped;
/// the `SET default_tablespace` / `SET default_table_access_method` lines between entries are dropped;
/// an entry's header loses its `Owner:` and `Tablespace:` parts; entries are compared as a set keyed by
/// their header (name, type, schema), not in the dump's order; the column lines of a `CREATE TABLE`
/// are compared as a set (column order is not part of the comparison, a new column always comes last).
public struct SchemaDump: Equatable, Sendable {
    /// Each entry's header (`Name: ...; Type: ...; Schema: ...`) and its normalised lines.
    public private(set) var entries: [String: [String]]

    public init(text: String) {
        var blocks: [String: [[String]]] = [:]
        var key: String?
        var current: [String] = []
        func flush() {
            if let key { blocks[key, default: []].append(Self.normalise(current)) }
            current = []
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line == "--", index + 2 < lines.count, lines[index + 2] == "--",
                lines[index + 1].hasPrefix("-- Name: ") || lines[index + 1] == "-- PostgreSQL database dump complete"
            {
                flush()
                key = lines[index + 1].hasPrefix("-- Name: ") ? Self.header(lines[index + 1]) : nil
                index += 3
                continue
            }
            if key != nil { current.append(line) }
            index += 1
        }
        flush()
        // Two entries under one header (rare: same-named objects of one kind) compare in a fixed order.
        entries = blocks.mapValues { group in
            Array(group.sorted { $0.joined(separator: "\n") < $1.joined(separator: "\n") }.joined(separator: [""]))
        }
    }

    /// `-- Name: t; Type: TABLE; Schema: public; Owner: app` -> `Name: t; Type: TABLE; Schema: public`.
    static func header(_ line: String) -> String {
        line.dropFirst(3).components(separatedBy: "; ")
            .filter { !$0.hasPrefix("Owner: ") && !$0.hasPrefix("Tablespace: ") }
            .joined(separator: "; ")
    }

    static func normalise(_ lines: [String]) -> [String] {
        var kept = lines.filter {
            !($0.hasPrefix("SET default_tablespace = ") || $0.hasPrefix("SET default_table_access_method = "))
                && !$0.hasPrefix("\\restrict ") && !$0.hasPrefix("\\unrestrict ")
        }
        while kept.first?.isEmpty == true { kept.removeFirst() }
        while kept.last?.isEmpty == true { kept.removeLast() }
        // The column lines of each CREATE TABLE, as a sorted set without their separating commas.
        var result: [String] = []
        var index = 0
        while index < kept.count {
            let line = kept[index]
            result.append(line)
            index += 1
            guard line.hasPrefix("CREATE "), line.contains(" TABLE "), line.hasSuffix(" (") else { continue }
            var columns: [String] = []
            while index < kept.count, kept[index].hasPrefix("    ") {
                let column = kept[index]
                columns.append(column.hasSuffix(",") ? String(column.dropLast()) : column)
                index += 1
            }
            result += columns.sorted()
        }
        return result
    }

    /// The entries that differ, each a short unified-diff excerpt (`-` this dump, `+` the other), at most
    /// `limit` entries; empty when the two dumps are the same.
    public func differences(to other: SchemaDump, limit: Int = 8) -> [String] {
        let keys = Set(entries.keys).union(other.entries.keys).sorted()
        let differing = keys.filter { entries[$0] != other.entries[$0] }
        var result = differing.prefix(limit).map { key in
            "@@ \(key) @@\n" + Self.excerpt(entries[key] ?? [], other.entries[key] ?? []).joined(separator: "\n")
        }
        if differing.count > limit { result.append("… \(differing.count - limit) more entries differ") }
        return result
    }

    /// Changed lines with one line of context around them, at most 12 lines.
    static func excerpt(_ old: [String], _ new: [String]) -> [String] {
        let changes = new.difference(from: old)
        var removed: Set<Int> = []
        var inserted: Set<Int> = []
        for change in changes {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var tagged: [(line: String, changed: Bool)] = []
        var (i, j) = (0, 0)
        while i < old.count || j < new.count {
            if i < old.count, removed.contains(i) {
                tagged.append(("- " + old[i], true))
                i += 1
            } else if j < new.count, inserted.contains(j) {
                tagged.append(("+ " + new[j], true))
                j += 1
            } else {
                tagged.append(("  " + (i < old.count ? old[i] : new[j]), false))
                i += 1
                j += 1
            }
        }
        var lines: [String] = []
        var skipped = false
        for (index, item) in tagged.enumerated() {
            let near = tagged[max(0, index - 1)...min(tagged.count - 1, index + 1)].contains(where: \.changed)
            if near {
                if skipped, !lines.isEmpty { lines.append("  …") }
                lines.append(item.line)
                skipped = false
            } else {
                skipped = true
            }
        }
        return lines.count > 12 ? Array(lines.prefix(12)) + ["  … \(lines.count - 12) more lines"] : lines
    }
}
