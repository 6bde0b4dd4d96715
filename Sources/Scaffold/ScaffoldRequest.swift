/// Input of `scaffold` (schema: `schemas/scaffold.input.json`).
public struct ScaffoldRequest: Codable, Sendable, Equatable {
    /// Path of the OpenAPI 3.0/3.1 document (`.json` is read as JSON, anything else as YAML).
    public var spec: String
    /// `express` (default). `fastify` and `koa` are accepted by the schema and refused as not implemented yet.
    public var framework: String?
    /// The project folder; nothing is written outside it.
    public var output: String
    /// Overwrite hand edits under `src/generated/` (handlers and `src/app.ts` are still never overwritten).
    public var force: Bool?
    /// Report what would change without writing anything.
    public var dryRun: Bool?
    /// `envelope` (default, DOMAIN section 7) or `problem+json` (RFC 9457).
    public var errorFormat: String?

    public init(
        spec: String, framework: String? = nil, output: String, force: Bool? = nil, dryRun: Bool? = nil,
        errorFormat: String? = nil
    ) {
        self.spec = spec
        self.framework = framework
        self.output = output
        self.force = force
        self.dryRun = dryRun
        self.errorFormat = errorFormat
    }

    enum CodingKeys: String, CodingKey {
        case spec, framework, output, force
        case dryRun = "dry_run"
        case errorFormat = "error_format"
    }
}

/// Output of `scaffold` (schema: `schemas/scaffold.output.json`).
public struct ScaffoldResult: Codable, Sendable, Equatable {
    public struct OperationEntry: Codable, Sendable, Equatable {
        public var operationId: String
        public var method: String
        public var path: String
        public var expressPath: String
        public var handlerFile: String
        public var secured: Bool

        enum CodingKeys: String, CodingKey {
            case operationId = "operation_id", method, path
            case expressPath = "express_path", handlerFile = "handler_file", secured
        }
    }

    public struct FileEntry: Codable, Sendable, Equatable {
        /// Path relative to the output folder.
        public var path: String
        /// `created`, `updated`, `unchanged`, `kept` (exists, never overwritten) or `removed`.
        public var action: String
        /// True for files under `src/generated/`, rewritten on every run.
        public var generated: Bool
    }

    public struct Counts: Codable, Sendable, Equatable {
        public var created = 0
        public var updated = 0
        public var unchanged = 0
        public var kept = 0
        public var removed = 0
    }

    /// `written` or `dry_run`.
    public var status: String
    public var spec: String
    public var openapiVersion: String
    public var title: String
    public var framework: String
    public var errorFormat: String
    public var output: String
    public var basePath: String
    public var operations: [OperationEntry]
    public var schemas: Int
    public var securitySchemes: [String]
    public var files: [FileEntry]
    public var counts: Counts
    public var warnings: [String]
    public var nextSteps: [String]

    enum CodingKeys: String, CodingKey {
        case status, spec
        case openapiVersion = "openapi_version"
        case title, framework
        case errorFormat = "error_format"
        case output
        case basePath = "base_path"
        case operations, schemas
        case securitySchemes = "security_schemes"
        case files, counts, warnings
        case nextSteps = "next_steps"
    }
}
