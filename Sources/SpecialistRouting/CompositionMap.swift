import BackendCore
import Foundation

/// The composition map, parsed from `references/composition_map.md`: concerns, their order, escalations.
public struct CompositionMap: Sendable {
    public struct Concern: Sendable, Equatable {
        public let id: String
        public let summary: String
        public let specialists: [String]
        public let paths: [String]
        public let when: String
        /// Forcing questions (1-7) whose answers the specialist needs before it is forked.
        public let afterQuestions: [Int]
        public let handOver: String
        public let keywords: [String]
    }

    public struct Escalation: Sendable, Equatable {
        public let topic: String
        public let owners: [String]
        public let keywords: [String]
    }

    public let concerns: [Concern]
    /// Concern ids in the order specialists run, SLO first.
    public let order: [String]
    public let escalations: [Escalation]

    public func concern(id: String) -> Concern? { concerns.first { $0.id == id } }

    /// Parses the map; a table or order entry that does not fit is an error naming the line.
    public init(markdown: String) throws(BackendError) {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let specialistRows = try Self.table(under: "## Specialists", in: lines)
        concerns = try specialistRows.map { row throws(BackendError) in
            Concern(
                id: try row.field("id"),
                summary: try row.field("concern"),
                specialists: Self.list(try row.field("specialists")),
                paths: Self.list(try row.field("paths")),
                when: try row.field("when"),
                afterQuestions: try Self.list(try row.field("after questions")).map { text throws(BackendError) in
                    guard let number = Int(text), (1...7).contains(number) else {
                        throw BackendError(.failed, "composition map: question '\(text)' is not 1-7 (line \(row.line))")
                    }
                    return number
                },
                handOver: try row.field("hand over"),
                keywords: Self.list(try row.field("keywords")).map { $0.lowercased() })
        }
        escalations = try Self.table(under: "## Out of scope", in: lines).map { row throws(BackendError) in
            Escalation(
                topic: try row.field("topic"), owners: Self.list(try row.field("escalate to")),
                keywords: Self.list(try row.field("keywords")).map { $0.lowercased() })
        }
        order = Self.orderedIds(under: "## Order", in: lines)
        let known = Set(concerns.map(\.id))
        guard concerns.count == known.count else {
            throw BackendError(.failed, "composition map: duplicate concern id")
        }
        for id in order where !known.contains(id) {
            throw BackendError(.failed, "composition map: the order names '\(id)', which is not a concern id")
        }
        guard !concerns.isEmpty, order.first == "slo" else {
            throw BackendError(.failed, "composition map: needs concerns and an order that starts with `slo`")
        }
    }

    struct Row {
        let line: Int
        let cells: [String: String]
        func field(_ name: String) throws(BackendError) -> String {
            guard let value = cells[name] else {
                throw BackendError(.failed, "composition map: line \(line) has no '\(name)' column")
            }
            return value
        }
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func cells(_ line: String) -> [String] {
        var trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("|") { trimmed.removeFirst() }
        if trimmed.hasSuffix("|") { trimmed.removeLast() }
        return trimmed.split(separator: "|", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
    }

    static func table(under heading: String, in lines: [String]) throws(BackendError) -> [Row] {
        guard let start = lines.firstIndex(of: heading) else {
            throw BackendError(.failed, "composition map: no '\(heading)' section")
        }
        var index = start + 1
        while index < lines.count, !lines[index].hasPrefix("|") { index += 1 }
        guard index + 1 < lines.count else { throw BackendError(.failed, "composition map: '\(heading)' has no table") }
        let header = cells(lines[index]).map { $0.lowercased() }
        var rows: [Row] = []
        index += 2  // header and separator
        while index < lines.count, lines[index].hasPrefix("|") {
            let values = cells(lines[index])
            guard values.count == header.count else {
                throw BackendError(
                    .failed, "composition map: line \(index + 1) has \(values.count) cells, the header \(header.count)")
            }
            rows.append(Row(line: index + 1, cells: Dictionary(uniqueKeysWithValues: zip(header, values))))
            index += 1
        }
        return rows
    }

    static func orderedIds(under heading: String, in lines: [String]) -> [String] {
        guard let start = lines.firstIndex(of: heading) else { return [] }
        var ids: [String] = []
        for line in lines[(start + 1)...] {
            if line.hasPrefix("## ") { break }
            guard let first = line.first, first.isNumber, let open = line.firstIndex(of: "`") else { continue }
            let rest = line[line.index(after: open)...]
            if let close = rest.firstIndex(of: "`") { ids.append(String(rest[..<close])) }
        }
        return ids
    }
}
