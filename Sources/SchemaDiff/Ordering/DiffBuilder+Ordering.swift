import Foundation

// The orders objects are created in: dependencies first.
extension DiffBuilder {
    static func depth(_ key: String, _ tables: [String: TableObject]) -> Int {
        var depth = 0
        var current = key
        var seen: Set<String> = [key]
        while let parent = tables[current]?.parents.first, seen.insert(parent).inserted {
            depth += 1
            current = parent
        }
        return depth
    }

    static func versionLess(_ left: String, _ right: String) -> Bool {
        let l = left.split(separator: ".").map { Int($0) ?? 0 }
        let r = right.split(separator: ".").map { Int($0) ?? 0 }
        return l.lexicographicallyPrecedes(r)
    }

    /// Keys in an order where each domain comes after the domain it is based on.
    static func domainOrder(_ keys: Set<String>, _ domains: [String: DomainObject]) -> [String] {
        var order: [String] = []
        var visited: Set<String> = []
        func visit(_ key: String) {
            guard keys.contains(key), visited.insert(key).inserted else { return }
            if let base = domains[key]?.baseType {
                for other in keys.sorted() where other != key && uses(base, other) { visit(other) }
            }
            order.append(key)
        }
        for key in keys.sorted() { visit(key) }
        return order
    }

    /// Keys in an order where each composite type comes after the composite types of the set its
    /// attributes use.
    static func compositeOrder(_ keys: Set<String>, _ composites: [String: CompositeTypeObject]) -> [String] {
        var order: [String] = []
        var visited: Set<String> = []
        func visit(_ key: String) {
            guard keys.contains(key), visited.insert(key).inserted else { return }
            for attribute in composites[key]?.attributes ?? [] {
                for other in keys.sorted() where other != key && uses(attribute.type, other) { visit(other) }
            }
            order.append(key)
        }
        for key in keys.sorted() { visit(key) }
        return order
    }

    /// Keys in an order where each view comes after the views of the set it reads.
    static func topologicalOrder(_ keys: Set<String>, _ views: [String: ViewObject]) -> [String] {
        var order: [String] = []
        var visited: Set<String> = []
        func visit(_ key: String) {
            guard keys.contains(key), visited.insert(key).inserted else { return }
            for dependency in views[key]?.dependsOnRelations ?? [] { visit(dependency) }
            order.append(key)
        }
        for key in keys.sorted() { visit(key) }
        return order
    }
}

extension DiffBuilder {
    /// Keys in an order where each routine comes after the routines of the set its body calls.
    static func functionOrder(_ keys: Set<String>, _ functions: [String: FunctionObject]) -> [String] {
        var order: [String] = []
        var visited: Set<String> = []
        func visit(_ key: String) {
            guard keys.contains(key), visited.insert(key).inserted else { return }
            for dependency in functions[key]?.dependsOnFunctions ?? [] { visit(dependency) }
            order.append(key)
        }
        for key in keys.sorted() { visit(key) }
        return order
    }

    /// The routines that read a relation (in their signature or body), or call one that does.
    static func needingTables(_ functions: [String: FunctionObject]) -> Set<String> {
        var result = Set(functions.filter { !$0.value.dependsOnRelations.isEmpty }.keys)
        var changed = true
        while changed {
            changed = false
            for (key, function) in functions where !result.contains(key) {
                if (function.dependsOnFunctions ?? []).contains(where: result.contains) {
                    result.insert(key)
                    changed = true
                }
            }
        }
        return result
    }
}
