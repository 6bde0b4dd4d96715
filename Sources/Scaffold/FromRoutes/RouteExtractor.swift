import BackendCore

/// Finds route registrations in the files of a routes folder and resolves the prefixes they are mounted
/// under, across files (imports, requires, exports, fastify plugins, koa-router nesting).
struct RouteExtractor {
    /// One route found in the code, before it becomes OpenAPI.
    struct Route {
        var method: String
        /// The full path as the framework sees it (mount prefixes joined), in the framework's syntax.
        var route: String
        var file: String
        var line: Int
        /// The handler's name when it is a plain identifier (or a named function).
        var handlerName: String?
        /// A koa-router route name (`router.get('name', '/path', ...)`).
        var routeName: String?
        /// A fastify route schema (`params`, `querystring`, `headers`, `body`, `response`, ...).
        var schema: JSONObject?
        var framework: String
    }

    /// A router, app, fastify instance or router-typed function parameter.
    struct RouterKey: Hashable {
        var file: String
        /// `var:name` or `fn:<function index>:<parameter position>`.
        var name: String
    }

    enum Binding {
        case router(RouterKey)
        case function(file: String, index: Int)
        case module(String)
    }

    private struct PendingRoute {
        var router: RouterKey
        var route: Route
    }

    private struct Mount {
        var parent: RouterKey
        var child: RouterKey
        var prefix: String
    }

    static let methods: [String: String] = [
        "get": "get", "post": "post", "put": "put", "patch": "patch", "delete": "delete", "del": "delete",
        "options": "options", "head": "head", "all": "all",
    ]

    private(set) var routes: [Route] = []
    private(set) var warnings: [String] = []
    private(set) var frameworks: Set<String> = []
    private var modules: [String: RouteModule] = [:]
    private var pending: [PendingRoute] = []
    private var mounts: [Mount] = []
    private var prefixOverrides: [RouterKey: String] = [:]
    /// Problems with registrations, reported once linking says the receiver really is a router.
    private var keyedWarnings: [(key: RouterKey, message: String)] = []
    /// Parameter names that say "a router" even when no call passing one was found.
    static let routerParameterNames: Set<String> = [
        "app", "router", "server", "fastify", "instance", "api", "routes", "route", "r", "application",
    ]

    init(files: [RouteSourceFile]) {
        let paths = Set(files.map(\.path))
        for file in files {
            let module = RouteModule(file: file) { specifier in Self.resolve(specifier, from: file.path, in: paths) }
            modules[file.path] = module
            frameworks.formUnion(module.frameworks)
        }
        for file in files { scan(file.path) }
        link()
    }

    /// A relative module specifier as a path of the folder (`./users` -> `routes/users.ts`).
    static func resolve(_ specifier: String, from file: String, in paths: Set<String>) -> String? {
        guard specifier.hasPrefix("./") || specifier.hasPrefix("../") else { return nil }
        var parts = file.split(separator: "/").map(String.init).dropLast()
        for part in specifier.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            } else {
                parts.append(String(part))
            }
        }
        let base = parts.joined(separator: "/")
        var stems = [base]
        // TypeScript ESM imports name the compiled file: `./users.js` is `users.ts`.
        for compiled in [".js", ".mjs", ".cjs", ".jsx"] where base.hasSuffix(compiled) {
            stems.append(String(base.dropLast(compiled.count)))
        }
        let extensions = ["", ".ts", ".tsx", ".js", ".mjs", ".cjs", ".jsx", ".mts", ".cts"]
        for stem in stems {
            for suffix in extensions where paths.contains(stem + suffix) { return stem + suffix }
            for suffix in extensions.dropFirst() where paths.contains(stem + "/index" + suffix) {
                return stem + "/index" + suffix
            }
        }
        return nil
    }

    // MARK: bindings

    /// A static value reader for `module` whose constants may come from other files of the folder
    /// (`import { itemSchema } from './schemas'`).
    private func reader(_ module: RouteModule) -> StaticValueReader {
        let modules = modules
        let file = module.file.path
        return StaticValueReader(tokens: module.tokens) { name in Self.constant(name, in: file, modules: modules) }
    }

    private static func constant(
        _ name: String, in file: String, modules: [String: RouteModule], depth: Int = 0
    )
        -> JSONValue?
    {
        guard depth < 8, let module = modules[file] else { return nil }
        if let value = module.constants[name] { return value }
        guard let imported = module.imports[name], let target = modules[imported.path] else { return nil }
        switch target.exports[imported.name] {
        case .local(let local): return constant(local, in: imported.path, modules: modules, depth: depth + 1)
        case .reexport(let path, let original):
            guard let source = modules[path], case .local(let local) = source.exports[original] else { return nil }
            return constant(local, in: path, modules: modules, depth: depth + 1)
        default: return nil
        }
    }

    /// What `name` stands for at token `index` of `file`.
    func binding(_ name: String, in file: String, at index: Int, depth: Int = 0) -> Binding? {
        guard depth < 16, let module = modules[file] else { return nil }
        if index >= 0, let parameter = module.enclosingParameter(name, at: index) {
            return .router(RouterKey(file: file, name: "fn:\(parameter.function):\(parameter.position)"))
        }
        if module.routers[name] != nil { return .router(RouterKey(file: file, name: "var:\(name)")) }
        if let function = module.functions.firstIndex(where: { $0.name == name }) {
            return .function(file: file, index: function)
        }
        if let imported = module.imports[name] {
            return exported(imported.name, of: imported.path, depth: depth + 1)
        }
        return nil
    }

    /// What module `path` exports as `name` (`default`, `*` or a name).
    func exported(_ name: String, of path: String, depth: Int = 0) -> Binding? {
        guard depth < 16, let module = modules[path] else { return nil }
        if name == "*" { return .module(path) }
        switch module.exports[name] {
        case .local(let local): return binding(local, in: path, at: -1, depth: depth + 1)
        case .function(let index): return .function(file: path, index: index)
        case .reexport(let source, let original): return exported(original, of: source, depth: depth + 1)
        case nil:
            // CommonJS `module.exports = { a, b }` imported whole: a namespace.
            return name == "default" && !module.exports.isEmpty ? .module(path) : nil
        }
    }

    /// The binding of the expression in `range` when it names a router or a function: `x`, `ns.x`,
    /// `x.routes()`, `require('./x')`, `require('./x').y`.
    func expressionBinding(_ range: Range<Int>, in file: String) -> Binding? {
        guard let module = modules[file], !range.isEmpty else { return nil }
        let tokens = module.tokens
        var cursor = range.lowerBound
        var current: Binding?
        if tokens[cursor].isIdentifier("require"), cursor + 3 < range.upperBound,
            let specifier = tokens[cursor + 2].staticString,
            let path = Self.resolve(specifier, from: file, in: Set(modules.keys))
        {
            current = exported("default", of: path) ?? .module(path)
            cursor += 4
        } else if tokens[cursor].kind == .identifier {
            current = binding(tokens[cursor].text, in: file, at: cursor)
            cursor += 1
        }
        while cursor + 1 < range.upperBound, tokens[cursor].isPunctuator("."), let binding = current {
            let member = tokens[cursor + 1].text
            switch binding {
            case .module(let path): current = exported(member, of: path)
            case .router:
                // koa: `router.routes()` / `router.middleware()` mount the router itself.
                guard member == "routes" || member == "middleware" else { return nil }
                if cursor + 3 < range.upperBound, tokens[cursor + 2].isPunctuator("("),
                    tokens[cursor + 3].isPunctuator(")")
                {
                    cursor += 2
                }
            case .function: return nil
            }
            cursor += 2
        }
        return cursor == range.upperBound ? current : nil
    }

    private func routerKey(_ range: Range<Int>, in file: String) -> RouterKey? {
        if case .router(let key) = expressionBinding(range, in: file) { return key }
        return nil
    }

    // MARK: scanning

    private mutating func scan(_ file: String) {
        guard let module = modules[file] else { return }
        let tokens = module.tokens
        let reader = reader(module)
        var index = 0
        while index < tokens.count {
            defer { index += 1 }
            let receiver = tokens[index]
            guard receiver.kind == .identifier, index == 0 || !tokens[index - 1].isPunctuator(".") else { continue }
            guard index + 1 < tokens.count else { continue }
            if tokens[index + 1].isPunctuator("(") {
                scanCall(of: receiver.text, at: index, in: module)
                continue
            }
            guard tokens[index + 1].isPunctuator("."), index + 2 < tokens.count else { continue }
            let member = tokens[index + 2]
            var open = index + 3
            if open < tokens.count, tokens[open].isPunctuator("<") { open = module.skipTypeArguments(open) }
            let key = binding(receiver.text, in: file, at: index).flatMap { binding -> RouterKey? in
                if case .router(let key) = binding { return key }
                return nil
            }
            guard member.kind == .identifier else { continue }
            if open < tokens.count, tokens[open].isPunctuator("("), member.kind == .identifier {
                var arguments = reader.arguments(open)
                handleMemberCall(
                    receiver: receiver, key: key, member: member.text, arguments: arguments.ranges,
                    end: arguments.end, in: module)
                // `app.get(...).post(...)`, `router.use(...).use(...)`: these calls return the router itself.
                guard key != nil, member.text != "route" else { continue }
                var cursor = arguments.end
                while cursor + 2 < tokens.count, tokens[cursor].isPunctuator("."), tokens[cursor + 2].isPunctuator("("),
                    Self.methods[tokens[cursor + 1].text] != nil
                        || ["use", "register"].contains(tokens[cursor + 1].text)
                {
                    arguments = reader.arguments(cursor + 2)
                    let chained = JavaScriptToken(kind: .identifier, text: receiver.text, line: tokens[cursor + 1].line)
                    handleMemberCall(
                        receiver: chained, key: key, member: tokens[cursor + 1].text, arguments: arguments.ranges,
                        end: arguments.end, in: module)
                    cursor = arguments.end
                }
            } else if open < tokens.count, tokens[open].isPunctuator("."), member.kind == .identifier,
                let method = tokens[safe: open + 1], Self.methods[method.text] != nil,
                tokens[safe: open + 2]?.isPunctuator("(") == true
            {
                // `this.router.get('/x', ...)`: a receiver that is a member expression cannot be resolved.
                let arguments = reader.arguments(open + 2)
                if arguments.ranges.count >= 2, let first = reader.value(arguments.ranges[0])?.stringValue,
                    first.hasPrefix("/")
                {
                    warnings.append(
                        "\(file):\(method.line): \(receiver.text).\(member.text).\(method.text)('\(first)', ...) looks "
                            + "like a route on '\(receiver.text).\(member.text)', which is not a router variable found "
                            + "in the folder; not listed")
                }
            }
        }
        keyedWarnings += computedCalls(module)
    }

    /// `router[method]('/x', ...)`: the method is computed, so the route cannot be listed.
    private func computedCalls(_ module: RouteModule) -> [(key: RouterKey, message: String)] {
        var found: [(key: RouterKey, message: String)] = []
        let tokens = module.tokens
        for index in tokens.indices.dropLast(2) where tokens[index].kind == .identifier {
            guard tokens[index + 1].isPunctuator("["), index == 0 || !tokens[index - 1].isPunctuator("."),
                case .router(let key) = binding(tokens[index].text, in: module.file.path, at: index)
            else { continue }
            let close = reader(module).closing(index + 1)
            guard close < tokens.count, tokens[close].isPunctuator("(") else { continue }
            found.append(
                (
                    key,
                    "\(module.file.path):\(tokens[index].line): \(tokens[index].text)[...](...) registers a route with "
                        + "a computed method; not listed"
                ))
        }
        return found
    }

    private mutating func handleMemberCall(
        receiver: JavaScriptToken, key: RouterKey?, member: String, arguments: [Range<Int>], end: Int,
        in module: RouteModule
    ) {
        let file = module.file.path
        let tokens = module.tokens
        let location = "\(file):\(receiver.line)"
        if let method = Self.methods[member] {
            guard let key else {
                // `cache.get('key')` and friends: only a path-like first argument and a handler make a route.
                if arguments.count >= 2, let first = reader(module).value(arguments[0])?.stringValue,
                    first.hasPrefix("/")
                {
                    warnings.append(
                        "\(location): \(receiver.text).\(member)('\(first)', ...) looks like a route, but "
                            + "'\(receiver.text)' is not a router, app or fastify instance found in the folder; not listed"
                    )
                }
                return
            }
            addShorthand(method: method, key: key, arguments: arguments, line: receiver.line, in: module)
            return
        }
        guard let key else {
            // route('/x') on something unknown: say so only when it looks like routing.
            if member == "route", let first = arguments.first,
                reader(module).value(first)?.stringValue?.hasPrefix("/") == true
            {
                warnings.append(
                    "\(location): \(receiver.text).route(...) on an unknown router variable '\(receiver.text)'; not listed"
                )
            }
            return
        }
        switch member {
        case "route":
            guard let first = arguments.first else { return }
            if tokens[first.lowerBound].isPunctuator("{") || reader(module).value(first)?.objectValue != nil {
                addFastifyRoute(key: key, options: first, line: receiver.line, in: module)
            } else {
                addChain(key: key, pathArgument: first, chainStart: end, line: receiver.line, in: module)
            }
        case "use":
            addMounts(parent: key, arguments: arguments, line: receiver.line, in: module)
        case "register":
            guard let plugin = arguments.first else { return }
            var prefix = ""
            if arguments.count > 1, let options = reader(module).value(arguments[1]) {
                prefix = options["prefix"]?.stringValue ?? ""
            } else if arguments.count > 1 {
                keyedWarnings.append(
                    (key, "\(location): register(...) options are not static; a prefix in them is not applied"))
            }
            if let child = pluginKey(plugin, in: module) {
                mounts.append(Mount(parent: key, child: child, prefix: prefix))
            }
        case "prefix":
            if let first = arguments.first, let prefix = reader(module).value(first)?.stringValue {
                prefixOverrides[key] = prefix
            }
        default: break
        }
    }

    /// `fastify.register(plugin)`, `register(require('./x'))`, `register(fp(plugin))`, `register(async (f) => {})`.
    private func pluginKey(_ range: Range<Int>, in module: RouteModule) -> RouterKey? {
        let file = module.file.path
        var range = range
        let tokens = module.tokens
        if tokens[range.lowerBound].isIdentifier("import"), range.count > 3,
            let specifier = tokens[range.lowerBound + 2].staticString,
            let path = Self.resolve(specifier, from: file, in: Set(modules.keys)),
            case .function(let target, let index) = exported("default", of: path)
        {
            return RouterKey(file: target, name: "fn:\(index):0")
        }
        if let function = module.functions.firstIndex(where: {
            $0.start == range.lowerBound
                || ($0.start == range.lowerBound + 1 && tokens[range.lowerBound].isIdentifier("async"))
        }) {
            return RouterKey(file: file, name: "fn:\(function):0")
        }
        // fp(plugin): the wrapped plugin.
        if range.count > 3, tokens[range.lowerBound].kind == .identifier,
            tokens[range.lowerBound + 1].isPunctuator("("),
            !tokens[range.lowerBound].isIdentifier("require")
        {
            let inner = reader(module).arguments(range.lowerBound + 1)
            if let first = inner.ranges.first, inner.end == range.upperBound { range = first }
        }
        switch expressionBinding(range, in: file) {
        case .function(let target, let index): return RouterKey(file: target, name: "fn:\(index):0")
        case .router(let key): return key
        default:
            if let function = module.functions.firstIndex(where: { $0.start == range.lowerBound }) {
                return RouterKey(file: file, name: "fn:\(function):0")
            }
            return nil
        }
    }

    /// A call `f(app)`, `require('./routes')(app)`: the function's router parameters mount on the arguments.
    private mutating func scanCall(of name: String, at index: Int, in module: RouteModule) {
        let file = module.file.path
        let tokens = module.tokens
        guard !["function", "if", "for", "while", "switch", "catch", "return"].contains(name) else { return }
        if index > 0, tokens[index - 1].isIdentifier("function") { return }
        var target: Binding?
        var open = index + 1
        if name == "require", let specifier = tokens[safe: index + 2]?.staticString,
            tokens[safe: index + 3]?.isPunctuator(")") == true, tokens[safe: index + 4]?.isPunctuator("(") == true,
            let path = Self.resolve(specifier, from: file, in: Set(modules.keys))
        {
            target = exported("default", of: path)
            open = index + 4
        } else {
            target = binding(name, in: file, at: index)
        }
        guard case .function(let targetFile, let function) = target else { return }
        // A call inside the function itself (recursion) adds nothing.
        for (position, argument) in reader(module).arguments(open).ranges.enumerated() {
            guard let parent = routerKey(argument, in: file) else { continue }
            let child = RouterKey(file: targetFile, name: "fn:\(function):\(position)")
            if child != parent { mounts.append(Mount(parent: parent, child: child, prefix: "")) }
        }
    }

    private mutating func addMounts(parent: RouterKey, arguments: [Range<Int>], line: Int, in module: RouteModule) {
        let file = module.file.path
        var prefixes = [""]
        var rest = arguments[...]
        if let first = arguments.first {
            if let value = reader(module).value(first) {
                if let text = value.stringValue {
                    prefixes = [text]
                    rest = arguments.dropFirst()
                } else if let items = value.arrayValue, items.allSatisfy({ $0.stringValue != nil }) {
                    prefixes = items.compactMap(\.stringValue)
                    rest = arguments.dropFirst()
                }
            } else if routerKey(first, in: file) == nil, arguments.count > 1,
                arguments.dropFirst().contains(where: { routerKey($0, in: file) != nil })
            {
                keyedWarnings.append(
                    (
                        parent,
                        "\(file):\(line): a router is mounted under a computed prefix; its routes are listed without it"
                    ))
                rest = arguments.dropFirst()
            }
        }
        for argument in rest {
            guard let child = routerKey(argument, in: file), child != parent else { continue }
            for prefix in prefixes { mounts.append(Mount(parent: parent, child: child, prefix: prefix)) }
        }
    }

    /// The path argument(s) of a registration: static strings, or nil with a reason.
    private func paths(_ range: Range<Int>, in module: RouteModule) -> (paths: [String], problem: String?) {
        let tokens = module.tokens
        if let value = reader(module).value(range) {
            if let text = value.stringValue { return ([text], nil) }
            if let items = value.arrayValue, items.allSatisfy({ $0.stringValue != nil }) {
                return (items.compactMap(\.stringValue), nil)
            }
            return ([], "the path is not a string")
        }
        let first = tokens[range.lowerBound]
        if first.kind == .regex { return ([], "the path is a regular expression (\(first.text))") }
        if first.isPunctuator("...") { return ([], "the arguments are spread (...), so the path is unknown") }
        if case .template(isStatic: false) = first.kind { return ([], "dynamic path (template `\(first.text)`)") }
        let text = tokens[range].map(\.text).joined(separator: " ")
        return ([], "dynamic path (\(text.prefix(60)))")
    }

    private func handlerName(_ arguments: ArraySlice<Range<Int>>, in module: RouteModule) -> String? {
        guard let last = arguments.last else { return nil }
        let tokens = module.tokens
        if last.count == 1, tokens[last.lowerBound].kind == .identifier { return tokens[last.lowerBound].text }
        var cursor = last.lowerBound
        if tokens[cursor].isIdentifier("async") { cursor += 1 }
        if tokens[safe: cursor]?.isIdentifier("function") == true, let name = tokens[safe: cursor + 1],
            name.kind == .identifier
        {
            return name.text
        }
        return nil
    }

    private mutating func addShorthand(
        method: String, key: RouterKey, arguments: [Range<Int>], line: Int, in module: RouteModule
    ) {
        let file = module.file.path
        let tokens = module.tokens
        guard let first = arguments.first else { return }
        if tokens[first.lowerBound].isPunctuator("...") {
            keyedWarnings.append(
                (
                    key,
                    "\(file):\(line): \(method) route with spread arguments (...): the path is unknown; not listed"
                ))
            return
        }
        var rest = arguments.dropFirst()
        var pathRange = first
        var routeName: String?
        // koa-router named route: router.get('name', '/path', ...).
        if let name = reader(module).value(first)?.stringValue, !name.hasPrefix("/"), let second = rest.first,
            reader(module).value(second)?.stringValue?.hasPrefix("/") == true
        {
            routeName = name
            pathRange = second
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty else {
            // One argument: an Express setting read (app.get('env')) or a lone middleware; not a route.
            return
        }
        let found = paths(pathRange, in: module)
        guard found.problem == nil else {
            keyedWarnings.append(
                (key, "\(file):\(line): \(method.uppercased()) route not listed: \(found.problem ?? "")"))
            return
        }
        var schema: JSONObject?
        // fastify.get('/x', { schema: {...} }, handler)
        if rest.count >= 2, tokens[rest.first!.lowerBound].isPunctuator("{") {
            schema = staticSchema(inOptions: rest.first!, line: line, in: module)
        }
        for path in found.paths {
            pending.append(
                PendingRoute(
                    router: key,
                    route: Route(
                        method: method, route: path, file: file, line: line, handlerName: handlerName(rest, in: module),
                        routeName: routeName, schema: schema, framework: framework(of: key))))
        }
    }

    /// `router.route('/x').get(...).put(...)`.
    private mutating func addChain(
        key: RouterKey, pathArgument: Range<Int>, chainStart: Int, line: Int, in module: RouteModule
    ) {
        let file = module.file.path
        let tokens = module.tokens
        let found = paths(pathArgument, in: module)
        var cursor = chainStart
        while cursor + 2 < tokens.count, tokens[cursor].isPunctuator("."), tokens[cursor + 2].isPunctuator("(") {
            let member = tokens[cursor + 1]
            let arguments = reader(module).arguments(cursor + 2)
            if let method = Self.methods[member.text] {
                if let problem = found.problem {
                    keyedWarnings.append(
                        (key, "\(file):\(member.line): \(method.uppercased()) route not listed: \(problem)"))
                } else {
                    for path in found.paths {
                        pending.append(
                            PendingRoute(
                                router: key,
                                route: Route(
                                    method: method, route: path, file: file, line: member.line,
                                    handlerName: handlerName(arguments.ranges[...], in: module), routeName: nil,
                                    schema: nil, framework: framework(of: key))))
                    }
                }
            }
            cursor = arguments.end
        }
    }

    /// `fastify.route({ method, url, schema, handler })`.
    private mutating func addFastifyRoute(key: RouterKey, options: Range<Int>, line: Int, in module: RouteModule) {
        let file = module.file.path
        let members = objectMembers(options, in: module)
        var methods: [String] = []
        if let range = members["method"], let value = reader(module).value(range) {
            methods = (value.arrayValue ?? [value]).compactMap { $0.stringValue?.lowercased() }
        }
        guard !methods.isEmpty else {
            keyedWarnings.append(
                (key, "\(file):\(line): route({...}) with a method that is not a static string; not listed"))
            return
        }
        guard let pathRange = members["url"] ?? members["path"] else {
            keyedWarnings.append((key, "\(file):\(line): route({...}) without url; not listed"))
            return
        }
        let found = paths(pathRange, in: module)
        guard found.problem == nil else {
            keyedWarnings.append((key, "\(file):\(line): route({...}) not listed: \(found.problem ?? "")"))
            return
        }
        let schema = members["schema"].flatMap { schemaObject($0, line: line, in: module) }
        let handler = members["handler"].flatMap { handlerName([$0][...], in: module) }
        for method in methods {
            guard let normalised = Self.methods[method] else {
                keyedWarnings.append(
                    (key, "\(file):\(line): route({...}) method '\(method)' is not an HTTP method OpenAPI lists"))
                continue
            }
            for path in found.paths {
                pending.append(
                    PendingRoute(
                        router: key,
                        route: Route(
                            method: normalised, route: path, file: file, line: line, handlerName: handler,
                            routeName: nil, schema: schema, framework: framework(of: key))))
            }
        }
    }

    /// Members of an object literal at `range`: key -> value token range (static keys only).
    private func objectMembers(_ range: Range<Int>, in module: RouteModule) -> [String: Range<Int>] {
        let tokens = module.tokens
        var result: [String: Range<Int>] = [:]
        guard tokens[range.lowerBound].isPunctuator("{") else {
            // An identifier naming a same-file constant object: no token ranges to offer.
            return result
        }
        var cursor = range.lowerBound + 1
        let end = reader(module).closing(range.lowerBound) - 1
        while cursor < end {
            let key = tokens[cursor]
            let stop = reader(module).expressionEnd(from: cursor)
            if key.kind == .identifier || key.kind == .string, tokens[safe: cursor + 1]?.isPunctuator(":") == true {
                result[key.text] = (cursor + 2)..<stop
            } else if key.kind == .identifier, cursor + 1 == stop {
                result[key.text] = cursor..<stop  // shorthand `{ handler }`
            } else if key.kind == .identifier, tokens[safe: cursor + 1]?.isPunctuator("(") == true {
                result[key.text] = cursor..<stop  // method `handler(request) {}`
            }
            cursor = stop + 1
        }
        return result
    }

    private func staticSchema(inOptions range: Range<Int>, line: Int, in module: RouteModule) -> JSONObject? {
        guard let schemaRange = objectMembers(range, in: module)["schema"] else { return nil }
        return schemaObject(schemaRange, line: line, in: module)
    }

    /// A fastify schema: static as a whole, or member by member (a computed member is left out).
    private func schemaObject(_ range: Range<Int>, line: Int, in module: RouteModule) -> JSONObject? {
        if let whole = reader(module).value(range)?.objectValue { return whole }
        var result = JSONObject()
        for (key, valueRange) in objectMembers(range, in: module).sorted(by: {
            $0.value.lowerBound < $1.value.lowerBound
        }) {
            if let value = reader(module).value(valueRange) {
                result[key] = value
            }
        }
        return result.count > 0 ? result : nil
    }

    private func framework(of key: RouterKey) -> String {
        if key.name.hasPrefix("var:"), let router = modules[key.file]?.routers[String(key.name.dropFirst(4))] {
            return router.framework
        }
        return modules[key.file]?.frameworks.sorted().first ?? "unknown"
    }

    // MARK: linking

    private mutating func link() {
        var parents: [RouterKey: [Mount]] = [:]
        for mount in mounts { parents[mount.child, default: []].append(mount) }
        var cache: [RouterKey: [String]] = [:]
        var reported: Set<RouterKey> = []

        func ownPrefix(_ key: RouterKey) -> String {
            if let override = prefixOverrides[key] { return override }
            if key.name.hasPrefix("var:") {
                return modules[key.file]?.routers[String(key.name.dropFirst(4))]?.ownPrefix ?? ""
            }
            return ""
        }

        func prefixes(_ key: RouterKey, visiting: Set<RouterKey>) -> [String] {
            if let cached = cache[key] { return cached }
            let own = ownPrefix(key)
            guard let incoming = parents[key], !incoming.isEmpty else { return [own] }
            var result: [String] = []
            for mount in incoming {
                if visiting.contains(mount.parent) {
                    warnings.append("\(key.file): routers mount each other in a cycle; the cycle is cut")
                    continue
                }
                for parent in prefixes(mount.parent, visiting: visiting.union([key])) {
                    result.append(RoutePath.join(RoutePath.join(parent, mount.prefix), own))
                }
            }
            if result.isEmpty { result = [own] }
            var seen: Set<String> = []
            result = result.filter { seen.insert($0).inserted }
            cache[key] = result
            return result
        }

        // A router: declared as one, or a parameter given one by a call or mount (or named like one).
        var trust: [RouterKey: Bool] = [:]
        func trusted(_ key: RouterKey, visiting: Set<RouterKey> = []) -> Bool {
            if let known = trust[key] { return known }
            var result = key.name.hasPrefix("var:")
            if !result, let incoming = parents[key], !incoming.isEmpty {
                result = incoming.contains {
                    !visiting.contains($0.parent) && trusted($0.parent, visiting: visiting.union([key]))
                }
            } else if !result {
                result = looksLikeRouter(key)
            }
            trust[key] = result
            return result
        }

        for item in keyedWarnings where trusted(item.key) { warnings.append(item.message) }
        for item in pending {
            let key = item.router
            if !trusted(key) {
                // A parameter never given a router, in a file that imports no framework: `client.get('/x', cb)`
                // in an HTTP helper, say. Not a route, but said rather than dropped.
                warnings.append(
                    "\(item.route.file):\(item.route.line): \(item.route.method.uppercased()) \(item.route.route) on "
                        + "\(describe(key)), which no call in the folder gives a router; not listed")
                continue
            }
            if parents[key] == nil, !reported.contains(key), !isRoot(key) {
                reported.insert(key)
                warnings.append(
                    "\(item.route.file):\(item.route.line): \(describe(key)) is not mounted anywhere found in the "
                        + "folder; its routes are listed without a mount prefix")
            }
            for prefix in prefixes(key, visiting: [key]) {
                var route = item.route
                let written = route.route
                route.route =
                    prefix.isEmpty ? written : RoutePath.join(prefix, written == "/" && !prefix.isEmpty ? "" : written)
                if route.method == "all" {
                    warnings.append(
                        "\(route.file):\(route.line): ALL \(route.route) answers every method; OpenAPI has no such "
                            + "operation, so it is not listed (register the methods it serves one by one)")
                    continue
                }
                routes.append(route)
            }
        }
    }

    /// A router-typed function parameter never linked: trusted when its name or its file says so.
    private func looksLikeRouter(_ key: RouterKey) -> Bool {
        guard let module = modules[key.file] else { return false }
        if !module.frameworks.isEmpty { return true }
        let parts = key.name.split(separator: ":")
        guard parts.count == 3, let index = Int(parts[1]), let position = Int(parts[2]),
            let parameter = module.functions[safe: index]?.parameters[safe: position] ?? nil
        else { return false }
        return Self.routerParameterNames.contains(parameter)
    }

    private func isRoot(_ key: RouterKey) -> Bool {
        guard key.name.hasPrefix("var:") else { return false }
        return modules[key.file]?.routers[String(key.name.dropFirst(4))]?.isRoot ?? false
    }

    private func describe(_ key: RouterKey) -> String {
        if key.name.hasPrefix("var:") { return "router '\(key.name.dropFirst(4))'" }
        let parts = key.name.split(separator: ":")
        guard parts.count == 3, let index = Int(parts[1]), let position = Int(parts[2]),
            let function = modules[key.file]?.functions[safe: index]
        else { return "a router parameter" }
        let parameter = function.parameters[safe: position].flatMap { $0 } ?? "#\(position)"
        return "parameter '\(parameter)' of function \(function.name.map { "'\($0)'" } ?? "(anonymous)")"
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
