// swift-tools-version:6.2
import PackageDescription

/// Settings shared by our own targets: Swift 6 mode, and warnings fail the build.
let strictSettings: [SwiftSetting] = [
    .treatAllWarnings(as: .error)
]

let package = Package(
    name: "senior-backend",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "senior-backend", targets: ["senior-backend"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // Errors, JSON, digests, redaction, schema validation and the tool abstraction. Pure.
        .target(name: "BackendCore", swiftSettings: strictSettings),
        // The composition map and the router over it. Pure.
        .target(name: "SpecialistRouting", dependencies: ["BackendCore"], swiftSettings: strictSettings),
        // Stack profiles ranked against a team's facts, with the kill criteria. Pure.
        .target(name: "DecisionEngine", dependencies: ["BackendCore"], swiftSettings: strictSettings),
        // The seven forcing questions, one per call, with per-session state files. Foundation only.
        .target(name: "GrillSession", dependencies: ["BackendCore", "DecisionEngine"], swiftSettings: strictSettings),
        // libpq, the PostgreSQL client library (Debian: libpq-dev).
        // libpq and libzmq are opened at first use (dlopen), not linked: see the loaders in these C targets.
        .target(name: "CLibPQ"),
        // A small Swift wrapper over libpq: connections, queries, scripts, transactions, errors.
        .target(name: "PostgresClient", dependencies: ["BackendCore", "CLibPQ"], swiftSettings: strictSettings),
        // PostgreSQL analysis: the catalog snapshot, the checks, index advice, explain.
        .target(
            name: "SchemaAnalysis", dependencies: ["BackendCore", "PostgresClient"], swiftSettings: strictSettings),
        // The schema diff: catalog model, ordered up/down statements, the proof on shadow databases.
        .target(name: "SchemaDiff", dependencies: ["BackendCore", "PostgresClient"], swiftSettings: strictSettings),
        // The HTTP/1.1 load generator: raw SwiftNIO client, HdrHistogram per event loop, reports.
        .target(
            name: "LoadTest",
            dependencies: [
                "BackendCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strictSettings
        ),
        // libzmq, the ZeroMQ library (Debian: libzmq3-dev): the transport of Locust's master/worker protocol.
        .target(name: "CZeroMQ"),
        // The load generator as a worker of a Locust master: ZeroMQ + MessagePack, Locust's stats format, the
        // HdrHistogram message and the master-side plugin that merges them.
        .target(
            name: "LocustWorker", dependencies: ["BackendCore", "LoadTest", "CZeroMQ"],
            resources: [.embedInCode("Resources")], swiftSettings: strictSettings),
        // Applies migration files: lint, ledger, checksums, advisory lock, one transaction per file.
        .target(
            name: "MigrationRunner", dependencies: ["BackendCore", "PostgresClient", "SchemaDiff"],
            swiftSettings: strictSettings),
        // OpenAPI 3.x -> Express, Fastify or Koa TypeScript; a database -> OpenAPI + CRUD; routes -> OpenAPI.
        .target(
            name: "Scaffold",
            dependencies: [
                "BackendCore", "PostgresClient", .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            resources: [.embedInCode("Templates")],
            swiftSettings: strictSettings),
        // Every tool, schema, reference and prompt, compiled into the binary.
        .target(
            name: "ToolCatalog",
            dependencies: [
                "BackendCore", "SpecialistRouting", "DecisionEngine", "GrillSession", "SchemaAnalysis", "LoadTest",
                "MigrationRunner", "Scaffold", "SchemaDiff",
            ],
            resources: [.embedInCode("Resources")],
            swiftSettings: strictSettings
        ),
        // JSON-RPC 2.0 / MCP over stdio on SwiftNIO.
        .target(
            name: "MCPServer",
            dependencies: [
                "BackendCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The thin command line: argument parsing only.
        .executableTarget(
            name: "senior-backend",
            dependencies: [
                "BackendCore", "ToolCatalog", "MCPServer", "SpecialistRouting", "DecisionEngine", "GrillSession",
                "SchemaAnalysis", "LoadTest", "LocustWorker", "MigrationRunner", "Scaffold", "SchemaDiff",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "BackendCoreTests", dependencies: ["BackendCore"], swiftSettings: strictSettings),
        .testTarget(
            name: "SchemaDiffTests",
            dependencies: ["SchemaDiff", "PostgresTestSupport", "PostgresClient", "BackendCore"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ToolCatalogTests",
            dependencies: [
                "ToolCatalog", "BackendCore", "SpecialistRouting", "DecisionEngine", "GrillSession", "SchemaAnalysis",
                "MigrationRunner", "LoadTest", "Scaffold", "SchemaDiff", "PostgresTestSupport",
            ],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DecisionEngineTests",
            dependencies: ["DecisionEngine", "GrillSession", "ToolCatalog", "BackendCore"],
            swiftSettings: strictSettings
        ),
        // Test support: a database of its own on the test cluster for each test.
        .target(
            name: "PostgresTestSupport", dependencies: ["PostgresClient", "BackendCore"],
            path: "Tests/PostgresTestSupport", swiftSettings: strictSettings),
        .testTarget(
            name: "MigrationRunnerTests",
            dependencies: ["MigrationRunner", "PostgresTestSupport", "PostgresClient", "BackendCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SchemaAnalysisTests",
            dependencies: ["SchemaAnalysis", "PostgresTestSupport", "PostgresClient", "BackendCore"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LoadTestTests",
            dependencies: [
                "LoadTest", "BackendCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LocustWorkerTests", dependencies: ["LocustWorker", "LoadTest", "BackendCore"],
            exclude: ["Fixtures"], swiftSettings: strictSettings),
        .testTarget(
            name: "ScaffoldTests", dependencies: ["Scaffold", "BackendCore", "PostgresTestSupport", "PostgresClient"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "MCPServerTests",
            dependencies: ["MCPServer", "BackendCore", "ToolCatalog"],
            swiftSettings: strictSettings
        ),
    ]
)
