import BackendCore

/// Input of `scaffold` (schema: `schemas/scaffold.input.json`). Exactly one source: `spec`, `from_db` or
/// `generate_spec`.
public struct ScaffoldRequest: Codable, Sendable, Equatable {
    /// The OpenAPI 3.x document: a path (`.json` is read as JSON, anything else as YAML) or an http(s) URL.
    public var spec: String?
    /// A PostgreSQL connection string: introspect it (read-only) into an OpenAPI 3.1 document and a CRUD project.
    public var fromDb: String?
    /// A folder of Express, Fastify or Koa TypeScript/JavaScript: its routes become an OpenAPI 3.1 document.
    public var generateSpec: String?
    /// With `from_db`: the PostgreSQL schema to introspect (default `public`).
    public var dbSchema: String?
    /// A folder of the user's mustache templates overriding ours by file name.
    public var templates: String?
    /// `express` (default), `fastify` or `koa`.
    public var framework: String?
    /// The project folder (or, with `generate_spec`, the spec file to write); nothing is written outside it.
    public var output: String
    /// Overwrite hand edits under `src/generated/` (handlers and `src/app.ts` are still never overwritten).
    public var force: Bool?
    /// Report what would change without writing anything.
    public var dryRun: Bool?
    /// `envelope` (default, DOMAIN section 7) or `problem+json` (RFC 9457).
    public var errorFormat: String?

    public init(
        spec: String? = nil, fromDb: String? = nil, generateSpec: String? = nil, dbSchema: String? = nil,
        templates: String? = nil, framework: String? = nil, output: String, force: Bool? = nil, dryRun: Bool? = nil,
        errorFormat: String? = nil
    ) {
        self.spec = spec
        self.fromDb = fromDb
        self.generateSpec = generateSpec
        self.dbSchema = dbSchema
        self.templates = templates
        self.framework = framework
        self.output = output
        self.force = force
        self.dryRun = dryRun
        self.errorFormat = errorFormat
    }

    enum CodingKeys: String, CodingKey {
        case spec
        case fromDb = "from_db"
        case generateSpec = "generate_spec"
        case dbSchema = "db_schema"
        case templates, framework, output, force
        case dryRun = "dry_run"
        case errorFormat = "error_format"
    }

    /// Where the run starts from.
    public enum Source: Equatable, Sendable {
        case spec(String)
        case database(String)
        case routes(String)
    }

    /// The one source given, or an error naming the choice.
    public func source() throws(BackendError) -> Source {
        let given = [spec.map(Source.spec), fromDb.map(Source.database), generateSpec.map(Source.routes)]
            .compactMap { $0 }
        guard given.count == 1, let source = given.first else {
            throw BackendError.invalidInput(
                given.isEmpty
                    ? "give one source: spec (an OpenAPI document), from_db (a connection string) or generate_spec "
                        + "(a folder of routes)"
                    : "give one source only: spec, from_db and generate_spec exclude each other")
        }
        return source
    }
}

/// Output of `scaffold` (schema: `schemas/scaffold.output.json`).
public struct ScaffoldResult: Codable, Sendable, Equatable {
    public struct OperationEntry: Codable, Sendable, Equatable {
        public var operationId: String
        public var method: String
        public var path: String
        /// The path in the framework's route syntax (`/pets/:id`).
        public var route: String
        /// The handler's file (scaffold), or where the route was found (`generate_spec`: `file:line`).
        public var handlerFile: String
        public var secured: Bool

        enum CodingKeys: String, CodingKey {
            case operationId = "operation_id", method, path
            case route, handlerFile = "handler_file", secured
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
    /// `spec`, `from_db` or `generate_spec`.
    public var source: String
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
    /// Environment variables to set before the service accepts traffic on every secured operation
    /// (one entry per scheme with a built-in verifier; `A or B` when either suffices). Scaffold only.
    public var requiredConfiguration: [String]? = nil

    enum CodingKeys: String, CodingKey {
        case status, source, spec
        case openapiVersion = "openapi_version"
        case title, framework
        case errorFormat = "error_format"
        case output
        case basePath = "base_path"
        case operations, schemas
        case securitySchemes = "security_schemes"
        case files, counts, warnings
        case nextSteps = "next_steps"
        case requiredConfiguration = "required_configuration"
    }
}
