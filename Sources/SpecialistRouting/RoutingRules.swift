/// Who can answer a concern: this server's own tools (then a concern of the map), or a map concern alone.
///
/// Evidence is written over concepts (`ConceptLexicon`): a rule adds its weight when the concern mentions
/// all of its concepts and none of its `none` concepts; a negative weight is negative evidence ("migrate to
/// AWS" is not a schema migration). Specialists, paths and order still come only from the composition map.
struct RoutingOwner: Sendable {
    struct Rule: Sendable {
        let all: Set<String>
        let none: Set<String>
        let weight: Double

        init(_ all: Set<String>, _ weight: Double, none: Set<String> = []) {
            self.all = all
            self.weight = weight
            self.none = none
        }
    }

    let id: String
    /// This server's tools, in the order to call them; empty for a specialist concern.
    let tools: [String]
    /// The map concern whose specialists follow (the owner itself for a specialist concern).
    let concern: String
    let rules: [Rule]

    func score(_ concepts: Set<String>) -> Double {
        rules.filter { $0.all.isSubset(of: concepts) && $0.none.isDisjoint(with: concepts) }.map(\.weight)
            .reduce(0, +)
    }
}

enum RoutingRules {
    /// The lowest score that lets one of this server's tools answer.
    static let threshold = 3.0
    /// The lowest score that lets a specialist concern answer (the map's keywords alone stay under it).
    static let concernThreshold = 2.5

    /// Concerns this server answers with its own tools.
    static let toolOwners: [RoutingOwner] = [
        RoutingOwner(
            id: "load-test", tools: ["load_test"], concern: "slo",
            rules: [
                .init(["load-test"], 4, none: ["grill"]),
                .init(["traffic", "backend"], 1.5), .init(["traffic", "latency"], 3),
                .init(["traffic", "server-errors"], 3), .init(["latency", "regression"], 3, none: ["query-plan"]),
                .init(["server-errors", "regression"], 2),
                .init(["latency", "backend"], 3, none: ["query-plan", "query", "database", "ci-cd"]),
                .init(["rate-limit", "verify"], 3), .init(["bad-input", "traffic"], 2),
                .init(["traffic", "regression"], 2), .init(["capacity", "traffic"], 3),
                .init(["capacity", "backend"], 1.5),
                .init(["latency", "breach"], 3),
                .init(["architecture", "choice"], -3), .init(["stack", "choice"], -3),
            ]),
        RoutingOwner(
            id: "slow-query", tools: ["analyze_schema"], concern: "schema-design",
            rules: [
                .init(["query-plan"], 4), .init(["query", "latency"], 3), .init(["query", "optimize"], 3),
                .init(["database", "latency"], 3), .init(["database", "optimize"], 2), .init(["index", "latency"], 2),
                .init(["index", "optimize"], 2), .init(["index", "database"], 3.5), .init(["schema-health"], 4),
                .init(["schema-change"], -2), .init(["failed-migration"], -4), .init(["data-model"], -1),
                // A GraphQL or OpenAPI schema is an API contract, not the database's.
                .init(["api-design"], -3, none: ["query", "query-plan", "index"]),
            ]),
        RoutingOwner(
            id: "schema-change", tools: ["plan_migration", "apply_migration"], concern: "zero-downtime-migrations",
            rules: [
                .init(["schema-change"], 4), .init(["schema-change", "production"], 2),
                .init(["migration", "database"], 2.5), .init(["migration"], 1.5),
                .init(["migration", "production"], 1),
                .init(["migration", "cloud"], -5, none: ["schema-change", "database"]),
                .init(["migration", "stack"], -4, none: ["schema-change", "database"]),
                .init(["run-migration", "migration"], -2), .init(["failed-migration"], -3),
                .init(["schema-change", "api-design"], -3, none: ["database"]),
            ]),
        RoutingOwner(
            id: "run-migration", tools: ["apply_migration"], concern: "zero-downtime-migrations",
            rules: [.init(["run-migration", "migration"], 5), .init(["failed-migration"], -5)]),
        RoutingOwner(
            id: "failed-migration", tools: ["analyze_schema", "plan_migration"], concern: "zero-downtime-migrations",
            rules: [.init(["failed-migration"], 6)]),
        RoutingOwner(
            id: "architecture", tools: ["grill_next_question", "decide_profile"], concern: "architecture-grill",
            rules: [
                .init(["architecture", "choice"], 4), .init(["architecture", "build"], 3), .init(["architecture"], 1.5),
                .init(["stack", "choice"], 3.5), .init(["stack", "build"], 1), .init(["grill"], 4),
                .init(["pick-database"], 4),
                .init(["observability"], -2), .init(["api-design"], -1.5), .init(["cloud"], -1),
            ]),
        RoutingOwner(
            id: "decide", tools: ["decide_profile", "grill_next_question"], concern: "architecture-grill",
            rules: [.init(["decide"], 6)]),
        RoutingOwner(
            id: "scaffold", tools: ["scaffold"], concern: "api-contract",
            rules: [
                .init(["spec", "generate"], 4.5), .init(["spec-from-routes"], 4.5),
                .init(["crud-from-db"], 3), .init(["crud-from-db", "generate"], 1.5),
                .init(["crud-from-db", "backend"], 1), .init(["generate", "stack"], 1),
                .init(["spec", "stack"], 3.5, none: ["review", "generate"]),
            ]),
    ]

    /// Evidence for each concern of the composition map, by concern id.
    static let concernRules: [String: [RoutingOwner.Rule]] = [
        "slo": [.init(["slo"], 3), .init(["slo", "latency"], 1), .init(["slo", "breach"], 1)],
        "api-contract": [
            .init(["api-design"], 3), .init(["api-design", "backend"], 1), .init(["spec"], 1),
            .init(["data-model"], -1, none: ["backend"]),
        ],
        "schema-design": [
            .init(["data-model"], 3), .init(["data-model", "database"], 1), .init(["index", "database"], 1),
        ],
        "zero-downtime-migrations": [.init(["schema-change", "production"], 2)],
        "observability": [.init(["observability"], 3), .init(["personal-data"], -1)],
        "mcp-server": [.init(["mcp"], 3), .init(["mcp", "backend"], 1)],
        "ci-cd": [.init(["ci-cd"], 3)],
        "dependency-audit": [.init(["dependencies"], 3), .init(["dependencies", "security"], 1)],
        "api-tests": [.init(["api-tests"], 3), .init(["api-tests", "backend"], 0.5)],
        "security-hardening": [
            .init(["security"], 3), .init(["security", "bad-input"], 1), .init(["personal-data"], 1.5),
            .init(["personal-data", "handling"], 2),
            .init(["personal-data", "observability"], 2.5),
            .init(["rate-limit"], 2, none: ["verify", "load-test"]), .init(["dependencies"], -1),
        ],
        "cloud-architecture": [.init(["cloud"], 3)],
        "feature-flags": [.init(["feature-flags"], 3)],
        "chaos-engineering": [.init(["chaos"], 3)],
        "pre-commit-review": [.init(["code-review"], 3, none: ["api-design", "grill"])],
        "architecture-grill": [.init(["grill"], 3)],
        "compliance-evidence": [.init(["compliance"], 3), .init(["compliance", "personal-data"], 1)],
    ]

    /// What each tool is for, said where the router names it.
    static let why: [String: String] = [
        "load_test":
            "measure it: throughput, p50-p99.9, status counts and errors under the load described; compare with a baseline to prove a regression or a fix",
        "analyze_schema":
            "evidence from the database: the schema checks, EXPLAIN of the slow query and index advice verified with hypopg",
        "plan_migration":
            "diff the live schema against the target and write up/down files proven on a shadow database, each statement labelled with its locks and hazards",
        "apply_migration":
            "dry-run first (runs and rolls back), then apply with the ledger, checksums and advisory lock once the approvers signed off",
        "grill_next_question":
            "walk the seven forcing questions one at a time; the pattern (Q5) is justified by team size",
        "decide_profile": "rank the stack profiles against the team's facts; it names the approvers",
        "scaffold": "generate the typed handlers, validation and types (or the spec from routes, or CRUD from tables)",
    ]
}
