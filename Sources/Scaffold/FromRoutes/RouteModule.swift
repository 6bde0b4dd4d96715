import BackendCore

/// What one source file declares that route extraction needs: routers and apps, functions and their
/// parameters, imports, exports and static constants.
struct RouteModule {
    struct Function {
        var name: String?
        /// Parameter names by position; nil for a destructured parameter.
        var parameters: [String?]
        var start: Int
        var body: Range<Int>
    }

    enum Export: Equatable {
        case local(String)
        case function(Int)
        case reexport(path: String, name: String)
    }

    struct Router {
        var framework: String
        /// An app or fastify instance: routes on it need no mount.
        var isRoot: Bool
        var ownPrefix: String
        var line: Int
    }

    let file: RouteSourceFile
    var functions: [Function] = []
    var routers: [String: Router] = [:]
    /// Local name -> (module path, exported name: `default`, `*` or a name).
    var imports: [String: (path: String, name: String)] = [:]
    var exports: [String: Export] = [:]
    var constants: [String: JSONValue] = [:]
    var frameworks: Set<String> = []

    var tokens: [JavaScriptToken] { file.tokens }
    var reader: StaticValueReader {
        let constants = constants
        return StaticValueReader(tokens: file.tokens, constant: { constants[$0] })
    }

    /// Local names that build apps and routers, by the package they were imported from.
    private var expressNames: Set<String> = ["express"]
    private var expressRouterNames: Set<String> = []
    private var koaRouterNames: Set<String> = ["Router", "KoaRouter"]
    private var koaNames: Set<String> = ["Koa"]
    private var fastifyNames: Set<String> = ["fastify", "Fastify"]

    static let frameworkOfPackage: [String: String] = [
        "express": "express", "fastify": "fastify", "koa": "koa", "koa-router": "koa", "@koa/router": "koa",
    ]

    init(file: RouteSourceFile, resolve: (String) -> String?) {
        self.file = file
        readImports(resolve: resolve)
        readFunctions()
        readDeclarations()
        readExports(resolve: resolve)
    }

    func token(_ index: Int) -> JavaScriptToken? { tokens.indices.contains(index) ? tokens[index] : nil }

    // MARK: imports

    private mutating func readImports(resolve: (String) -> String?) {
        var index = 0
        while index < tokens.count {
            defer { index += 1 }
            let current = tokens[index]
            if current.isIdentifier("import"), token(index - 1)?.isPunctuator(".") != true,
                token(index + 1).map({ !$0.isPunctuator("(") && !$0.isPunctuator(".") }) == true
            {
                readImportStatement(at: index, resolve: resolve)
            } else if current.isIdentifier("require"), token(index + 1)?.isPunctuator("(") == true,
                let specifier = token(index + 2)?.staticString, token(index + 3)?.isPunctuator(")") == true
            {
                readRequire(at: index, specifier: specifier, resolve: resolve)
            }
        }
    }

    private mutating func readImportStatement(at start: Int, resolve: (String) -> String?) {
        var end = start + 1
        while end < tokens.count, !(tokens[end].isIdentifier("from") && token(end + 1)?.staticString != nil) {
            if tokens[end].isPunctuator(";") || tokens[end].staticString != nil { break }
            end += 1
        }
        let specifier: String
        if let direct = token(start + 1)?.staticString {
            specifier = direct  // import './side-effect'
            noteFramework(specifier)
            return
        } else if let from = token(end + 1)?.staticString, tokens[end].isIdentifier("from") {
            specifier = from
        } else {
            return
        }
        noteFramework(specifier)
        var names: [(local: String, imported: String)] = []
        var index = start + 1
        if token(index)?.isIdentifier("type") == true,
            token(index + 1)?.kind == .identifier
                || token(index + 1)?
                    .isPunctuator("{") == true
        {
            return  // import type: no values
        }
        while index < end {
            let current = tokens[index]
            if current.isPunctuator("*"), token(index + 1)?.isIdentifier("as") == true, let name = token(index + 2) {
                names.append((name.text, "*"))
                index += 3
            } else if current.isPunctuator("{") {
                index += 1
                while index < end, !tokens[index].isPunctuator("}") {
                    if tokens[index].isIdentifier("type") && token(index + 1)?.kind == .identifier {
                        index += 1
                    }
                    let imported = tokens[index].text
                    if token(index + 1)?.isIdentifier("as") == true, let local = token(index + 2) {
                        names.append((local.text, imported))
                        index += 3
                    } else {
                        if tokens[index].kind == .identifier { names.append((imported, imported)) }
                        index += 1
                    }
                    if token(index)?.isPunctuator(",") == true { index += 1 }
                }
                index += 1
            } else if current.kind == .identifier {
                names.append((current.text, "default"))
                index += 1
            } else {
                index += 1
            }
        }
        bind(names, specifier: specifier, resolve: resolve)
    }

    private mutating func readRequire(at index: Int, specifier: String, resolve: (String) -> String?) {
        noteFramework(specifier)
        // const x = require('...'), const { a, b: c } = require('...')
        guard token(index - 1)?.isPunctuator("=") == true else { return }
        if let name = token(index - 2), name.kind == .identifier {
            // `require('./x').y` binds the export y; `require('./x')` the module's default export.
            if token(index + 4)?.isPunctuator(".") == true, let member = token(index + 5), member.kind == .identifier {
                bind([(name.text, member.text)], specifier: specifier, resolve: resolve)
            } else {
                bind([(name.text, "default")], specifier: specifier, resolve: resolve)
            }
        } else if token(index - 2)?.isPunctuator("}") == true {
            var open = index - 2
            while open > 0, !tokens[open].isPunctuator("{") { open -= 1 }
            var names: [(String, String)] = []
            var cursor = open + 1
            while cursor < index - 2 {
                let imported = tokens[cursor]
                if token(cursor + 1)?.isPunctuator(":") == true, let local = token(cursor + 2) {
                    names.append((local.text, imported.text))
                    cursor += 3
                } else {
                    if imported.kind == .identifier { names.append((imported.text, imported.text)) }
                    cursor += 1
                }
                if token(cursor)?.isPunctuator(",") == true { cursor += 1 }
            }
            bind(names, specifier: specifier, resolve: resolve)
        }
    }

    private mutating func noteFramework(_ specifier: String) {
        if let framework = Self.frameworkOfPackage[specifier] { frameworks.insert(framework) }
    }

    private mutating func bind(
        _ names: [(local: String, imported: String)], specifier: String, resolve: (String) -> String?
    ) {
        for (local, imported) in names {
            switch specifier {
            case "express":
                if imported == "Router" { expressRouterNames.insert(local) } else { expressNames.insert(local) }
            case "fastify": fastifyNames.insert(local)
            case "koa": koaNames.insert(local)
            case "koa-router", "@koa/router": koaRouterNames.insert(local)
            default:
                if let path = resolve(specifier) { imports[local] = (path, imported) }
            }
        }
    }

    // MARK: functions

    private mutating func readFunctions() {
        for index in tokens.indices {
            let current = tokens[index]
            if current.isIdentifier("function"), token(index - 1)?.isPunctuator(".") != true {
                var cursor = index + 1
                if token(cursor)?.isPunctuator("*") == true { cursor += 1 }
                var name: String?
                if let named = token(cursor), named.kind == .identifier {
                    name = named.text
                    cursor += 1
                }
                if token(cursor)?.isPunctuator("<") == true { cursor = skipTypeArguments(cursor) }
                guard token(cursor)?.isPunctuator("(") == true else { continue }
                let parametersEnd = reader.closing(cursor)
                var bodyOpen = parametersEnd
                while bodyOpen < tokens.count, !tokens[bodyOpen].isPunctuator("{") {
                    if tokens[bodyOpen].isPunctuator(";") { break }
                    bodyOpen += 1
                }
                guard token(bodyOpen)?.isPunctuator("{") == true else { continue }
                let start = token(index - 1)?.isIdentifier("async") == true ? index - 1 : index
                functions.append(
                    Function(
                        name: name ?? assignedName(before: start), parameters: parameters(cursor, parametersEnd),
                        start: start, body: bodyOpen..<reader.closing(bodyOpen)))
            } else if current.isPunctuator("=>") {
                var start: Int
                var parameterList: [String?]
                if let previous = token(index - 1), previous.kind == .identifier {
                    start = index - 1
                    parameterList = [previous.text]
                } else if let close = closingParenthesis(before: index) {
                    guard let open = openingBracket(of: close) else { continue }
                    start = open
                    parameterList = parameters(open, close + 1)
                } else {
                    continue
                }
                if token(start - 1)?.isIdentifier("async") == true { start -= 1 }
                let bodyStart = index + 1
                let body =
                    token(bodyStart)?.isPunctuator("{") == true
                    ? bodyStart..<reader.closing(bodyStart) : bodyStart..<reader.expressionEnd(from: bodyStart)
                functions.append(
                    Function(name: assignedName(before: start), parameters: parameterList, start: start, body: body))
            }
        }
    }

    /// The `)` closing an arrow function's parameters, allowing a return type annotation before `=>`.
    private func closingParenthesis(before arrow: Int) -> Int? {
        if token(arrow - 1)?.isPunctuator(")") == true { return arrow - 1 }
        // `(a, b): Promise<void> =>`: look back for `):` on the same statement.
        var cursor = arrow - 1
        while cursor > 0, arrow - cursor < 40 {
            if tokens[cursor].isPunctuator(":"), tokens[cursor - 1].isPunctuator(")") { return cursor - 1 }
            if tokens[cursor].isPunctuator(";") || tokens[cursor].isPunctuator("{") { return nil }
            cursor -= 1
        }
        return nil
    }

    private func openingBracket(of close: Int) -> Int? {
        var depth = 0
        var cursor = close
        while cursor >= 0 {
            let current = tokens[cursor]
            if current.kind == .punctuator {
                if [")", "]", "}"].contains(current.text) { depth += 1 }
                if ["(", "[", "{"].contains(current.text) {
                    depth -= 1
                    if depth == 0 { return cursor }
                }
            }
            cursor -= 1
        }
        return nil
    }

    func skipTypeArguments(_ open: Int) -> Int {
        var depth = 0
        var cursor = open
        while cursor < tokens.count {
            let current = tokens[cursor]
            if current.isPunctuator("<") { depth += 1 }
            if current.isPunctuator(">") { depth -= 1 }
            if current.isPunctuator(">>") { depth -= 2 }
            if current.isPunctuator(";") || current.isPunctuator("(") && depth <= 0 { return cursor }
            cursor += 1
            if depth <= 0 { return cursor }
        }
        return cursor
    }

    /// Parameter names of the list `(`...`)` spanning `open..<end`.
    private func parameters(_ open: Int, _ end: Int) -> [String?] {
        var result: [String?] = []
        var cursor = open + 1
        while cursor < end - 1 {
            let stop = min(reader.expressionEnd(from: cursor), end - 1)
            var first = cursor
            if token(first)?.isPunctuator("...") == true { first += 1 }
            let candidate = token(first)
            result.append(candidate?.kind == .identifier && first < stop ? candidate?.text : nil)
            cursor = stop + 1
        }
        return result
    }

    /// `const name = <start>` or `name: <start>` before a function expression.
    private func assignedName(before start: Int) -> String? {
        guard let sign = token(start - 1), sign.isPunctuator("=") || sign.isPunctuator(":"),
            let name = token(start - 2), name.kind == .identifier, token(start - 3)?.isPunctuator(".") != true
        else { return nil }
        return name.text
    }

    // MARK: declarations

    private mutating func readDeclarations() {
        for index in tokens.indices where tokens[index].isPunctuator("=") {
            guard let declared = declaredName(assignedAt: index) else { continue }
            var start = index + 1
            let end = reader.expressionEnd(from: start)
            // `var app = module.exports = express()`: the value is after the last top-level `=` of the chain.
            while let next = topLevelAssignment(in: start..<end) { start = next + 1 }
            if let router = router(start..<end, line: declared.name.line) {
                routers[declared.name.text] = router
                frameworks.insert(router.framework)
            } else if declared.isDeclaration, let value = reader.value(start..<end) {
                constants[declared.name.text] = value
            }
        }
    }

    /// The name assigned by the `=` at `index`: `name = ...`, `const name = ...` or
    /// `const name: Type = ...` (TypeScript); nil for member assignments (`a.b = ...`).
    private func declaredName(assignedAt index: Int) -> (name: JavaScriptToken, isDeclaration: Bool)? {
        func isDeclarationKeyword(_ token: JavaScriptToken?) -> Bool {
            guard let token else { return false }
            return token.isIdentifier("const") || token.isIdentifier("let") || token.isIdentifier("var")
        }
        if let name = token(index - 1), name.kind == .identifier, token(index - 2)?.isPunctuator(".") != true,
            token(index - 2)?.isPunctuator(":") != true
        {
            return (name, isDeclarationKeyword(token(index - 2)))
        }
        var cursor = index - 1
        while cursor > 1, index - cursor < 24 {
            let current = tokens[cursor]
            if current.isPunctuator(";") || current.isPunctuator("=") || current.isPunctuator("}") { return nil }
            if isDeclarationKeyword(current), let name = token(cursor + 1), name.kind == .identifier,
                token(cursor + 2)?.isPunctuator(":") == true
            {
                return (name, true)
            }
            cursor -= 1
        }
        return nil
    }

    private func topLevelAssignment(in range: Range<Int>) -> Int? {
        var depth = 0
        for index in range {
            let current = tokens[index]
            guard current.kind == .punctuator else { continue }
            if ["(", "[", "{"].contains(current.text) { depth += 1 }
            if [")", "]", "}"].contains(current.text) { depth -= 1 }
            if depth == 0 && current.text == "=" { return index }
        }
        return nil
    }

    /// The router or app an initializer creates, if it creates one.
    func router(_ range: Range<Int>, line: Int) -> Router? {
        guard let first = token(range.lowerBound) else { return nil }
        var cursor = range.lowerBound
        if first.isIdentifier("await") { cursor += 1 }
        let isNew = token(cursor)?.isIdentifier("new") == true
        if isNew { cursor += 1 }
        guard let callee = token(cursor), callee.kind == .identifier, cursor < range.upperBound else { return nil }
        var package: String?
        var afterCallee = cursor + 1
        if callee.text == "require", let specifier = token(cursor + 2)?.staticString,
            token(cursor + 3)?.isPunctuator(")") == true
        {
            package = specifier
            afterCallee = cursor + 4
        }
        let member =
            token(afterCallee)?.isPunctuator(".") == true ? token(afterCallee + 1)?.text : nil
        let callOpen = member == nil ? afterCallee : afterCallee + 2
        let isCall = token(callOpen)?.isPunctuator("(") == true
        let options = isCall ? reader.arguments(callOpen).ranges.first.flatMap { reader.value($0) } : nil
        let prefix = options?["prefix"]?.stringValue ?? ""
        let name = callee.text
        if package == "express" || (package == nil && expressNames.contains(name)) {
            if member == "Router" { return Router(framework: "express", isRoot: false, ownPrefix: "", line: line) }
            if member == nil && isCall { return Router(framework: "express", isRoot: true, ownPrefix: "", line: line) }
        }
        if package == nil && expressRouterNames.contains(name) && isCall && member == nil {
            return Router(framework: "express", isRoot: false, ownPrefix: "", line: line)
        }
        if package == "fastify" || (package == nil && fastifyNames.contains(name)) {
            if isCall && member == nil { return Router(framework: "fastify", isRoot: true, ownPrefix: "", line: line) }
        }
        if package == "koa" || (package == nil && koaNames.contains(name)), isNew {
            return Router(framework: "koa", isRoot: true, ownPrefix: "", line: line)
        }
        if package == "koa-router" || package == "@koa/router" || (package == nil && koaRouterNames.contains(name)),
            member == nil, isCall
        {
            return Router(framework: "koa", isRoot: false, ownPrefix: prefix, line: line)
        }
        return nil
    }

    // MARK: exports

    private mutating func readExports(resolve: (String) -> String?) {
        for index in tokens.indices {
            let current = tokens[index]
            if current.isIdentifier("export"), token(index - 1)?.isPunctuator(".") != true {
                readExport(at: index, resolve: resolve)
            } else if current.isIdentifier("module"), token(index + 1)?.isPunctuator(".") == true,
                token(index + 2)?.isIdentifier("exports") == true
            {
                if token(index + 3)?.isPunctuator("=") == true {
                    readCommonJSExport(valueAt: index + 4, name: "default")
                    // `var app = module.exports = express()` exports the variable.
                    if token(index - 1)?.isPunctuator("=") == true, let local = token(index - 2),
                        local.kind == .identifier
                    {
                        exports["default"] = .local(local.text)
                    }
                } else if token(index + 3)?.isPunctuator(".") == true, let name = token(index + 4),
                    token(index + 5)?.isPunctuator("=") == true
                {
                    readCommonJSExport(valueAt: index + 6, name: name.text)
                }
            } else if current.isIdentifier("exports"), token(index - 1)?.isPunctuator(".") != true,
                token(index + 1)?.isPunctuator(".") == true, let name = token(index + 2),
                token(index + 3)?.isPunctuator("=") == true
            {
                readCommonJSExport(valueAt: index + 4, name: name.text)
            }
        }
    }

    private mutating func readExport(at index: Int, resolve: (String) -> String?) {
        guard let next = token(index + 1) else { return }
        if next.isIdentifier("default") {
            readCommonJSExport(valueAt: index + 2, name: "default")
        } else if ["const", "let", "var", "function", "async", "class"].contains(next.text), next.kind == .identifier {
            var cursor = index + 2
            while let candidate = token(cursor), candidate.isIdentifier("function") || candidate.isPunctuator("*") {
                cursor += 1
            }
            if let name = token(cursor), name.kind == .identifier { exports[name.text] = .local(name.text) }
        } else if next.isPunctuator("{") {
            let close = reader.closing(index + 1)
            let source = token(close)?.isIdentifier("from") == true ? token(close + 1)?.staticString : nil
            var cursor = index + 2
            while cursor < close - 1 {
                let local = tokens[cursor].text
                var exported = local
                if token(cursor + 1)?.isIdentifier("as") == true, let alias = token(cursor + 2) {
                    exported = alias.text
                    cursor += 2
                }
                if tokens[cursor].kind == .identifier || tokens[cursor].kind == .string {
                    if let source, let path = resolve(source) {
                        exports[exported] = .reexport(path: path, name: local)
                    } else if source == nil {
                        exports[exported] = .local(local)
                    }
                }
                cursor += 1
                if token(cursor)?.isPunctuator(",") == true { cursor += 1 }
            }
        }
    }

    /// `module.exports = value`, `export default value`, `exports.name = value`.
    private mutating func readCommonJSExport(valueAt start: Int, name: String) {
        guard let value = token(start) else { return }
        if let function = functions.firstIndex(where: { $0.start == start }) {
            exports[name] = .function(function)
        } else if value.isIdentifier("function") || value.isIdentifier("async"),
            let function = functions.firstIndex(where: { $0.start >= start && $0.start <= start + 1 })
        {
            exports[name] = .function(function)
        } else if value.kind == .identifier,
            token(start + 1).map({ $0.isPunctuator(";") || $0.isPunctuator("}") || $0.kind != .punctuator }) ?? true
        {
            exports[name] = .local(value.text)
        } else if value.kind == .identifier, token(start + 1)?.isPunctuator("(") == true,
            let wrapped = reader.arguments(start + 1).ranges.first
        {
            // `export default fp(plugin)` (fastify-plugin and similar wrappers): the wrapped function.
            if let function = functions.firstIndex(where: {
                $0.start == wrapped.lowerBound || $0.start == wrapped.lowerBound + 1
            }) {
                exports[name] = .function(function)
            } else if wrapped.count == 1, tokens[wrapped.lowerBound].kind == .identifier {
                exports[name] = .local(tokens[wrapped.lowerBound].text)
            }
        } else if value.isPunctuator("{"), name == "default" {
            // module.exports = { a, b: c }: named exports.
            let end = reader.closing(start)
            var cursor = start + 1
            while cursor < end - 1 {
                let key = tokens[cursor]
                let stop = reader.expressionEnd(from: cursor)
                if key.kind == .identifier {
                    if token(cursor + 1)?.isPunctuator(":") == true, let local = token(cursor + 2),
                        local.kind == .identifier, cursor + 3 == stop
                    {
                        exports[key.text] = .local(local.text)
                    } else if cursor + 1 == stop {
                        exports[key.text] = .local(key.text)
                    }
                }
                cursor = stop + 1
            }
        }
    }

    /// The innermost function whose body holds `index` and that has a parameter `name`.
    func enclosingParameter(_ name: String, at index: Int) -> (function: Int, position: Int)? {
        var best: (function: Int, position: Int)?
        var bestSize = Int.max
        for (offset, function) in functions.enumerated() where function.body.contains(index) {
            guard let position = function.parameters.firstIndex(of: name), function.body.count < bestSize else {
                continue
            }
            best = (offset, position)
            bestSize = function.body.count
        }
        return best
    }
}
