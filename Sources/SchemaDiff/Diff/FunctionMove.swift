import Foundation

/// A function or procedure that only changes schema: the same name, arguments, result and body.
/// `ALTER FUNCTION ... SET SCHEMA` keeps its OID, so the views, triggers, defaults and grants that use
/// it stay as they are, where a drop and create would have to rebuild them (or fail on them).
struct FunctionMove: Equatable {
    var from: String
    var to: String

    /// The moves from `source` to `target`: a source routine missing from the target paired with a target
    /// routine missing from the source whose definition is the same but for the schema in its header.
    static func find(_ source: SchemaModel, _ target: SchemaModel) -> [FunctionMove] {
        var moves: [FunctionMove] = []
        var taken: Set<String> = []
        for (key, old) in source.functions.sorted(by: { $0.key < $1.key }) where target.functions[key] == nil {
            guard let (schema, rest) = parts(key) else { continue }
            let match = target.functions.sorted(by: { $0.key < $1.key }).first { newKey, new in
                guard source.functions[newKey] == nil, !taken.contains(newKey), new.kind == old.kind,
                    new.result == old.result, let (newSchema, newRest) = parts(newKey), newRest == rest,
                    newSchema != schema
                else { return false }
                return relocated(old.definition, from: schema, to: newSchema) == new.definition
            }
            if let (newKey, _) = match {
                moves.append(FunctionMove(from: key, to: newKey))
                taken.insert(newKey)
            }
        }
        return moves
    }

    /// The source as it is once the moves ran: each moved routine under its new name, and what
    /// referenced it (other routines, views) referencing the new name.
    static func apply(_ moves: [FunctionMove], to source: SchemaModel, target: SchemaModel) -> SchemaModel {
        guard !moves.isEmpty else { return source }
        var result = source
        let renamed = Dictionary(uniqueKeysWithValues: moves.map { ($0.from, $0.to) })
        for move in moves {
            guard var function = result.functions.removeValue(forKey: move.from) else { continue }
            function.signature = move.to
            function.definition = target.functions[move.to]?.definition ?? function.definition
            result.functions[move.to] = function
        }
        for (key, function) in result.functions {
            result.functions[key]?.dependsOnFunctions = function.dependsOnFunctions?.map { renamed[$0] ?? $0 }.sorted()
        }
        // What calls a moved routine prints it with its new schema (the OID is the same): an index,
        // view, constraint, trigger, default or policy that changes only so is not rebuilt for it.
        func requalified(_ text: String) -> String { moves.reduce(text) { $1.requalify($0) } }
        for (key, view) in result.views {
            result.views[key]?.dependsOnFunctions = view.dependsOnFunctions.map { renamed[$0] ?? $0 }.sorted()
            result.views[key]?.definition = requalified(view.definition)
        }
        for (key, index) in result.indexes { result.indexes[key]?.definition = requalified(index.definition) }
        for (key, item) in result.constraints { result.constraints[key]?.definition = requalified(item.definition) }
        for (key, item) in result.triggers { result.triggers[key]?.definition = requalified(item.definition) }
        for (key, item) in result.policies {
            result.policies[key]?.using = item.using.map(requalified)
            result.policies[key]?.withCheck = item.withCheck.map(requalified)
        }
        for (key, table) in result.tables {
            for (name, column) in table.columns {
                result.tables[key]?.columns[name]?.defaultExpression = column.defaultExpression.map(requalified)
            }
        }
        return result
    }

    /// `text` with each call of the moved routine as the catalog prints it after the move: schema-qualified
    /// unless its schema is `public` (on the search path of the catalog reads).
    func requalify(_ text: String) -> String {
        guard let (fromSchema, fromName) = Self.parts(from), let (toSchema, _) = Self.parts(to),
            let name = fromName.split(separator: "(").first.map(String.init)
        else { return text }
        func printed(_ schema: String) -> String {
            schema == "public" ? Self.bare(name) : "\(Self.bare(schema)).\(Self.bare(name))"
        }
        let (old, new) = (printed(fromSchema) + "(", printed(toSchema) + "(")
        var result = ""
        var rest = text[...]
        while let range = rest.range(of: old) {
            let before = range.lowerBound == rest.startIndex ? result.last : rest[rest.index(before: range.lowerBound)]
            let partOfName = before.map {
                $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" || $0 == "." || $0 == "\""
            }
            result += rest[..<range.lowerBound]
            result += partOfName ?? false ? old : new
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    /// `"schema"."name"(args)` -> (schema, `name(args)`), the name unquoted.
    static func parts(_ signature: String) -> (String, String)? {
        var quoted = false
        for index in signature.indices {
            let character = signature[index]
            if character == "\"" { quoted.toggle() }
            if character == "(" && !quoted {
                let names = SQLText.split(String(signature[..<index]))
                guard names.count == 2 else { return nil }
                return (names[0], names[1] + String(signature[index...]))
            }
        }
        return nil
    }

    /// `pg_get_functiondef` text with the schema of its first line changed.
    static func relocated(_ definition: String, from old: String, to new: String) -> String {
        let lines = definition.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        guard let header = lines.first else { return definition }
        var changed = String(header)
        for (before, after) in [(bare(old), bare(new)), (SQLText.ident(old), SQLText.ident(new))] {
            for kind in ["FUNCTION ", "PROCEDURE "] where changed.contains(kind + before + ".") {
                changed = changed.replacingOccurrences(of: kind + before + ".", with: kind + after + ".")
                return ([changed] + lines.dropFirst().map(String.init)).joined(separator: "\n")
            }
        }
        return definition
    }

    /// A name as `quote_ident` prints it (bare when it needs no quotes, keywords aside).
    static func bare(_ name: String) -> String {
        name.wholeMatch(of: /[a-z_][a-z0-9_$]*/) != nil ? name : SQLText.ident(name)
    }
}

extension DiffBuilder {
    mutating func moveFunctions() {
        for move in functionMoves {
            let function = target.functions[move.to]
            let kind = function?.kind == "p" ? "PROCEDURE" : "FUNCTION"
            add("ALTER \(kind) \(move.from) SET SCHEMA \(SQLText.schema(move.to))")
        }
    }
}
