/// The web framework of a generated project and what differs between them; the rest is shared.
enum Framework: String, CaseIterable {
    case express, fastify, koa

    var displayName: String {
        switch self {
        case .express: "Express"
        case .fastify: "Fastify"
        case .koa: "Koa"
        }
    }

    /// The folder of `Sources/Scaffold/Templates` holding this framework's templates.
    var templateFolder: String { rawValue }

    /// The import that brings `rawType` into `operations.ts` and `security.ts`.
    var requestImport: String {
        switch self {
        case .express: #"import type express from "express";"#
        case .fastify: #"import type { FastifyRequest } from "fastify";"#
        case .koa: #"import type Koa from "koa";"#
        }
    }

    /// The framework's own request object, handed to handlers as `request.raw`.
    var rawType: String {
        switch self {
        case .express: "express.Request"
        case .fastify: "FastifyRequest"
        case .koa: "Koa.Context"
        }
    }

    /// The operation's path in this framework's route syntax.
    func route(_ operation: APIModel.Operation) -> String {
        switch self {
        case .express: return operation.expressPath
        case .fastify: return Self.routePath(operation, escape: { $0 == ":" ? "::" : String($0) })
        case .koa: return Self.routePath(operation, escape: { "{}()[]+?!*:\\".contains($0) ? "\\\($0)" : String($0) })
        }
    }

    /// `/pets/{pet-id}` -> `/pets/:pet_id` with the parameter keys of the model; literal text escaped.
    static func routePath(_ operation: APIModel.Operation, escape: (Character) -> String) -> String {
        var result = ""
        var rest = Substring(operation.path)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open].map(escape).joined()
            let name = String(rest[rest.index(after: open)..<close])
            let key = operation.parameters.first { $0.location == "path" && $0.name == name }?.key ?? name
            result += ":" + key
            rest = rest[rest.index(after: close)...]
        }
        return result + rest.map(escape).joined()
    }
}
