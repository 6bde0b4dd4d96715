import BackendCore

/// An Express / Fastify / Koa route path (path-to-regexp syntax) as OpenAPI paths with their path parameters.
///
/// `:id` -> `{id}`; `:id(\d+)` -> `{id}` typed integer (any other constraint becomes a `pattern`);
/// a trailing optional `:id?` gives two paths (without and with the segment); `*` becomes `{wildcard}`.
struct RoutePath: Equatable {
    struct Parameter: Equatable {
        var name: String
        var schema: JSONValue
    }

    var path: String
    var parameters: [Parameter]

    /// Joins a mount prefix and a route path the way the frameworks do (no doubled or trailing slash).
    static func join(_ prefix: String, _ path: String) -> String {
        var left = prefix
        while left.hasSuffix("/") { left.removeLast() }
        if path.isEmpty || path == "/" { return left.isEmpty ? "/" : left }
        return left + (path.hasPrefix("/") ? path : "/" + path)
    }

    /// The OpenAPI forms of `route`, and notes on what could not be expressed exactly.
    static func convert(_ route: String) -> (paths: [RoutePath], notes: [String]) {
        var notes: [String] = []
        var path = ""
        var parameters: [Parameter] = []
        var optionalStart: Int?
        var optionalParameterCount = 0
        let scalars = Array(route.unicodeScalars)
        var index = 0
        var wildcards = 0
        var inGroup = false
        func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
            (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || scalar == "_"
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == ":" && index + 1 < scalars.count && scalars[index + 1] == ":" {
                // Fastify's escaped colon: a literal ':'.
                path += ":"
                index += 2
                continue
            }
            if scalar == ":" && index + 1 < scalars.count && isNameScalar(scalars[index + 1]) {
                index += 1
                var name = ""
                while index < scalars.count, isNameScalar(scalars[index]) {
                    name.unicodeScalars.append(scalars[index])
                    index += 1
                }
                var schema = JSONValue.object(JSONObject(["type": .string("string")]))
                if index < scalars.count, scalars[index] == "(" {
                    var depth = 0
                    var pattern = ""
                    while index < scalars.count {
                        let next = scalars[index]
                        index += 1
                        if next == "\\", index < scalars.count {
                            pattern.unicodeScalars.append(next)
                            pattern.unicodeScalars.append(scalars[index])
                            index += 1
                            continue
                        }
                        if next == "(" { depth += 1 }
                        if next == ")" {
                            depth -= 1
                            if depth == 0 { break }
                        }
                        if depth > 1 || next != "(" { pattern.unicodeScalars.append(next) }
                    }
                    schema = constraintSchema(pattern)
                }
                if index < scalars.count, scalars[index] == "?" {
                    index += 1
                    optionalParameterCount += 1
                    if optionalStart == nil {
                        optionalStart =
                            path.lastIndex(of: "/").map { path.distance(from: path.startIndex, to: $0) } ?? path.count
                    }
                } else if index < scalars.count, scalars[index] == "*" || scalars[index] == "+" {
                    notes.append("':\(name)\(scalars[index])' matches several segments; described as one parameter")
                    index += 1
                }
                if inGroup { optionalParameterCount += 1 }
                path += "{\(name)}"
                parameters.append(Parameter(name: name, schema: schema))
                continue
            }
            if scalar == "{" || scalar == "}" {
                // Express 5 optional group: `/users{/:id}`.
                if scalar == "{" && optionalStart == nil { optionalStart = path.count }
                if scalar == "{" { inGroup = true } else { inGroup = false }
                index += 1
                continue
            }
            if scalar == "*" {
                wildcards += 1
                var name = wildcards == 1 ? "wildcard" : "wildcard\(wildcards)"
                // Express 5 names its wildcards: `/files/*path`.
                var named = ""
                while index + 1 < scalars.count, isNameScalar(scalars[index + 1]) {
                    named.unicodeScalars.append(scalars[index + 1])
                    index += 1
                }
                if !named.isEmpty { name = named }
                if inGroup { optionalParameterCount += 1 }
                notes.append("'*' matches any text; described as the path parameter {\(name)}")
                path += "{\(name)}"
                parameters.append(Parameter(name: name, schema: .object(JSONObject(["type": .string("string")]))))
                index += 1
                continue
            }
            path.unicodeScalars.append(scalar)
            index += 1
        }
        if path.isEmpty { path = "/" }
        let full = RoutePath(path: path, parameters: parameters)
        guard let optionalStart else { return ([full], notes) }
        // Only a trailing optional part can be two paths; a middle one stays required.
        let tail = path.dropFirst(optionalStart)
        let tailParameters = tail.filter { $0 == "{" }.count
        guard tailParameters == optionalParameterCount, tail.filter({ $0 == "/" }).count <= 1 else {
            notes.append("an optional parameter in the middle of the path is described as required")
            return ([full], notes)
        }
        var short = String(path.prefix(optionalStart))
        if short.isEmpty { short = "/" }
        let kept = Array(parameters.dropLast(tailParameters))
        return ([RoutePath(path: short, parameters: kept), full], notes)
    }

    /// `\d+` and friends are integers; any other constraint is kept as a string pattern.
    static func constraintSchema(_ pattern: String) -> JSONValue {
        let integers: Set<String> = [#"\d+"#, "[0-9]+", #"\d*"#, "[0-9]*", #"[1-9]\d*"#, "[1-9][0-9]*"]
        if integers.contains(pattern) { return .object(JSONObject(["type": .string("integer")])) }
        return .object(JSONObject(["type": .string("string"), "pattern": .string("^(?:\(pattern))$")]))
    }
}
