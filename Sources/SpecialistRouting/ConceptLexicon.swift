/// Groups of everyday words and phrases that mean one thing to a backend engineer.
///
/// A concern is read as the set of concepts it mentions; the owners' rules (`RoutingRules`) are written over
/// concepts, never over single words, so "p95 doubled", "latency is twice what it was" and "responses got
/// slower" meet on the same evidence. Phrases are normalised like the concern ("*" = up to four words).
enum ConceptLexicon {
    static let groups: [String: [String]] = [
        // Traffic and performance.
        "load-test": [
            "load test", "load testing", "stress test", "soak test", "spike test", "performance test", "perf test",
            "benchmark", "wrk", "k6", "jmeter", "locust", "gatling", "vegeta", "artillery", "hammer", "flood",
            "simulate * traffic", "simulate * users", "simulate * requests", "fire * requests", "send * requests",
            "capacity test", "throughput test", "how much traffic", "how many requests", "how many users",
            "can * handle", "can * survive", "can * cope", "can * take", "will * hold up", "hold up under",
        ],
        "traffic": [
            "load", "traffic", "concurrency", "concurrent", "peak", "spike", "burst", "black friday", "rush",
            "many users", "lots of users", "thousands of users", "heavy", "busy", "rps", "qps", "requests per second",
            "req s", "throughput", "shoppers", "visitors", "users at once", "at once", "thousand", "thousands",
            "hundreds of", "10 k",
            "million requests",
        ],
        "latency": [
            "bottleneck", "struggling", "overloaded", "bogged down", "choking",
            "latency", "latencies", "response time", "p50", "p75", "p90", "p95", "p99", "p99.9", "p999", "tail",
            "percentile", "millisecond", "ms", "seconds to respond", "slow", "slower", "sluggish", "laggy", "lag",
            "takes forever", "take * seconds", "takes * seconds", "took * seconds", "timeout", "timeouts", "time out",
            "timing out", "hang", "hangs", "speed up", "faster", "performance",
        ],
        "server-errors": [
            "500", "5xx", "502", "503", "504", "internal server error", "error rate", "errors", "failing", "fail",
            "fall over", "falls over", "fell over", "crash", "crashes", "drop requests", "dropped requests",
            "connection refused", "connection reset", "goes down", "went down", "outage",
        ],
        "regression": [
            "after the deploy", "after deploy", "since the deploy", "after * deploy", "since * deploy",
            "after * release", "since * release", "after * upgrade", "last deploy", "doubled", "tripled", "twice",
            "regression", "regressed", "got worse", "worse than", "went up", "jumped", "increase", "baseline",
            "before and after", "than before", "new version", "compare", "v1 * v2",
        ],
        "capacity": [
            "sustain", "withstand", "handle", "cope with", "survive", "max out", "maxes out", "breaking point",
            "saturate", "saturation", "how far", "headroom", "ceiling", "limit of",
        ],
        "breach": [
            "breach", "breaching", "breached", "exceed", "exceeds", "exceeded", "over the target", "above the target",
            "over * slo", "above * slo", "blew past", "blow past", "miss * target", "missing * target", "violat",
            "but the target", "instead of", "way above", "way over",
        ],
        "personal-data": [
            "email", "emails", "customer data", "personal data", "pii", "credit card", "card number", "card numbers",
            "ssn", "social security", "phone number", "phone numbers", "home address", "date of birth", "passport",
        ],
        "handling": [
            "store", "storing", "stored", "keep", "handle", "process", "collect", "safely", "securely", "protect",
        ],
        "review": ["review", "critique", "feedback on", "look over", "audit"],
        "rate-limit": [
            "rate limit", "rate limiting", "rate limited", "throttle", "throttling", "429", "too many requests",
            "retry after", "brute force",
        ],
        "verify": [
            "working", "kick in", "kicks in", "effective", "hold",
            "check", "verify", "confirm", "make sure", "ensure", "prove", "test", "see whether", "see if", "does",
            "really", "actually",
        ],
        "bad-input": [
            "400", "bad request", "invalid", "malformed", "bad payload", "bad input", "validation", "rejected",
            "reject",
        ],
        "backend": [
            "api", "endpoint", "route", "service", "server", "backend", "http", "rest", "url", "app", "application",
            "site", "website", "checkout", "login", "signup", "request", "response", "handler", "instance", "node",
            "express", "fastify", "production", "prod", "deploy", "release",
        ],
        // The database.
        "database": [
            "database", "db", "postgres", "postgresql", "psql", "sql", "mysql", "table", "row", "column", "schema",
            "orm", "prisma", "sequelize", "typeorm", "drizzle", "knex", "sqlalchemy", "pg", "relation", "tuple",
        ],
        "query": [
            "sql",
            "query", "queries", "select", "join", "where clause", "nplus1", "orm call", "lookup", "report", "search",
            "order by", "group by", "aggregate", "count",
        ],
        "query-plan": [
            "explain", "explain analyze", "query plan", "execution plan", "seq scan", "sequential scan",
            "full scan", "full table scan", "table scan", "missing index", "missing indexes", "which index",
            "index advice", "suggest index", "suggest indexes", "nplus1", "pg stat statements", "slow query log",
            "slow query", "slow queries", "hypopg", "covering index", "partial index", "composite index",
            "index only scan", "index scan", "planner", "query planner",
        ],
        "schema-health": [
            "dead rows", "table bloat", "index bloat",
            "bloat", "bloated", "vacuum", "autovacuum", "dead tuples", "unused index", "duplicate index",
            "redundant index", "overflow", "integer overflow", "sequence overflow", "invalid index",
            "foreign key without", "foreign keys without", "unindexed", "schema problems", "schema issues",
            "audit * schema", "audit * database", "review * schema", "check * schema", "lint * schema",
            "health check * database", "analyze * schema", "analyze * database",
        ],
        "optimize": [
            "optimize", "optimise", "optimization", "tune", "tuning", "speed up", "faster", "improve performance",
            "make * faster", "fix", "cpu", "expensive", "costly", "heavy",
        ],
        "index": [
            "index", "indexes", "indices", "indexing", "add * index", "create * index", "new index", "index on",
            "which * index", "what * index", "should * index",
        ],
        "schema-change": [
            "new table", "add * table", "create * table", "column on", "column to", "add * columns",
            "alter table", "add column", "add * column", "drop column", "drop * column", "drop the * column",
            "remove * column", "delete * column", "rename column", "rename * column", "rename * table",
            "change * column", "column type", "change * type", "int to bigint", "widen",
            "new column", "not null", "add * constraint", "add * foreign key", "backfill", "schema change",
            "change * schema", "drop table", "drop * table", "split * column", "expand contract", "expand and contract",
            "ddl", "target schema", "schema diff", "diff * schema", "up and down", "down migration", "v2 sql",
            "schema sql", "add * index concurrently",
        ],
        "migration": [
            "migration", "migrations", "migrate", "migrating", "flyway", "liquibase", "alembic", "prisma migrate",
            "knex migrate",
        ],
        "run-migration": [
            "dry run", "apply * migration", "apply * migrations", "run * migration", "run * migrations",
            "execute * migration", "pending migration", "pending migrations", "roll back", "rollback",
            "revert * migration", "undo * migration", "ledger", "checksum",
        ],
        "failed-migration": [
            "migration failed", "migration * failed", "failed migration", "half applied", "halfway through",
            "migration broke", "migration * broke", "stuck migration", "migration * stuck", "partially applied",
        ],
        "production": [
            "production", "prod", "live", "big table", "large table", "huge table", "million rows", "millions of rows",
            "200m", "100m", "billion", "zero downtime", "without downtime", "no downtime", "lock", "locking",
            "blocking", "maintenance window", "online",
        ],
        // Architecture and stack.
        "architecture": [
            "monolith", "microservic", "micro services", "services", "modular monolith", "architecture",
            "split * monolith", "break up", "break * up", "break apart", "decompose", "extract * service",
            "service boundaries", "serverless", "event driven", "domain driven", "bounded context", "distributed",
            "soa", "synchronous", "asynchronous", "message queue", "event bus", "multi tenant", "single tenant",
            "tenancy", "tenant isolation", "database per tenant", "shared schema", "one database per",
        ],
        "pick-database": [
            "pick * database", "choose * database", "which database", "what database", "database should we",
            "postgres or mysql", "mysql or postgres", "mongodb", "mongo", "nosql", "sql or nosql", "dynamodb",
            "cassandra", "document database", "document store",
        ],
        "choice": [
            "need", "do we need", "necessary", "overkill", "makes sense",
            "should we", "should i", "which", "choose", "pick", "decide", "decision", "vs", "versus", " or ",
            "what stack", "recommend", "best", "trade off", "tradeoff", "worth", "go with", "switch to", "move to",
            "rewrite in", "is it time", "enough", "time to", "options", "better",
        ],
        "stack": [
            "stack", "tech stack", "framework", "language", "technology", "node", "nodejs", "express", "fastify",
            "nestjs", "nest", "django", "fastapi", "flask", "go", "golang", "rust", "java", "spring", "kotlin",
            "dotnet", "net", "python", "typescript", "rails", "ruby", "php", "laravel", "koa", "hono",
        ],
        "build": [
            "build", "start", "starting", "new project", "greenfield", "from scratch", "kick off", "set up", "create",
            "new backend", "new service", "new system", "design",
        ],
        "decide": [
            "stack profile", "stack profiles", "rank * profiles", "rank the profiles", "profile", "decide profile",
            "recommend a stack", "which profile", "score * profiles",
        ],
        "grill": [
            "grill", "grill me", "forcing questions", "forcing question", "poke holes", "devils advocate",
            "challenge * architecture", "challenge * design", "sanity check", "pre flight", "preflight",
            "stress test the design", "stress test * architecture", "stress test * plan", "stress test * idea",
            "lock in", "architecture review", "review * architecture",
        ],
        // Scaffolding.
        "spec": [
            "openapi", "swagger", "spec", "specification", "yaml", "openapi yaml", "api definition", "api contract",
            "contract", "json schema",
        ],
        "generate": [
            "generate", "generated", "scaffold", "bootstrap", "boilerplate", "codegen", "code generation",
            "stub", "stubs", "skeleton", "turn * into", "from the spec", "from * spec", "create * handlers",
            "produce", "build * from", "create * from", "routes from", "typed handlers",
        ],
        "crud-from-db": [
            "api for * database", "api on top of", "api over", "expose * database", "existing database",
            "for my database",
            "crud", "from * database", "from * tables", "on top of * tables", "over * tables", "expose * tables",
            "from db",
        ],
        "spec-from-routes": [
            "spec from", "openapi from", "document * routes", "from * existing routes", "from * routes",
            "reverse engineer", "generate * spec", "generate * openapi", "openapi document from",
        ],
        // Specialist concerns.
        "slo": [
            "slo", "slos", "sli", "slis", "error budget", "availability", "uptime", "nines", "99.9", "99.99",
            "service level", "reliability target", "latency target", "sla", "target", "objective", "budget burn",
        ],
        "api-design": [
            "error response", "error responses", "response format", "responses look", "response body",
            "design * endpoint", "endpoints for", "design * routes", "resource", "resources",
            "api design", "design * api", "rest", "restful", "graphql", "resource naming", "naming", "versioning",
            "version * api", "breaking change", "breaking", "backward compatible", "backwards compatible",
            "pagination", "paginate", "filtering", "sorting", "status code", "status codes", "error format",
            "error envelope", "envelope", "idempotency", "idempotent", "etag", "hateoas", "field", "response shape",
            "problem json", "webhook", "grpc", "url design", "mobile clients", "clients",
        ],
        "data-model": [
            "design * schema", "database schema for",
            "data model", "data modeling", "model * data", "erd", "entity", "entities", "relationship", "relationships",
            "normalize", "normalization", "denormalize", "table design", "design * tables", "design the schema",
            "schema design", "primary key", "foreign key", "uuid", "bigint", "one to many", "many to many", "jsonb",
            "partitioning", "partition", "how do we model", "how should we model", "model the",
        ],
        "observability": [
            "observability", "monitoring", "monitor", "metrics", "logs", "logging", "tracing", "traces",
            "distributed tracing", "opentelemetry", "otel", "dashboard", "dashboards", "alert", "alerts", "alerting",
            "paged", "paging", "pager", "on call", "golden signals", "prometheus", "grafana", "datadog", "new relic",
            "sentry", "visibility", "find out", "from customers", "root cause", "correlation id", "structured log",
        ],
        "mcp": [
            "mcp", "model context protocol", "ai agent", "ai agents", "agents", "llm", "claude", "chatgpt",
            "tools for", "as tools",
        ],
        "ci-cd": [
            "ci", "cd", "ci cd", "pipeline", "pipelines", "github actions", "gitlab", "jenkins", "circleci",
            "continuous integration", "continuous delivery", "continuous deployment", "deploy automatically",
            "build and deploy", "deploys to", "deploy to staging", "release process", "on every merge", "every push",
            "every commit * deploy",
        ],
        "dependencies": [
            "dependency", "dependencies", "vulnerability", "vulnerabilities", "vulnerable", "cve", "cves", "npm audit",
            "pip audit", "outdated", "license", "licence", "licenses", "supply chain", "sbom", "snyk", "dependabot",
            "packages", "package", "lockfile", "lock file", "third party",
        ],
        "api-tests": [
            "api tests", "api test", "integration test", "integration tests", "contract test", "contract tests",
            "contract testing", "test suite", "e2e test", "e2e tests", "end to end test", "pact", "schemathesis",
            "supertest", "postman", "write tests", "tests for", "test coverage", "fuzz", "regression tests",
        ],
        "security": [
            "protect", "abuse", "abusive", "bots", "scraping", "ddos", "spam", "plain text", "plaintext",
            "token", "tokens", "expire", "expiry", "refresh token", "bearer",
            "security", "secure", "harden", "hardening", "auth", "authentication", "authenticate", "authorization",
            "authorize", "login", "log in", "password", "passwords", "jwt", "jwts", "oauth", "session", "cookie",
            "csrf", "xss", "sql injection", "injection", "owasp", "pentest", "penetration", "rbac", "role based",
            "permissions", "access control", "helmet", "cors", "secrets", "api key", "api keys", "bcrypt", "argon2",
            "tls", "encrypt", "encryption", "leak", "leaked", "exposed", "exposure", "breach", "hacked", "attack",
            "attacker", "other tenants", "other users", "idor", "security headers", "headers",
        ],
        "cloud": [
            "cloud", "aws", "azure", "gcp", "google cloud", "kubernetes", "k8s", "terraform", "autoscaling",
            "auto scaling", "scale out", "horizontal scaling", "load balancer", "cdn", "region", "multi region",
            "infrastructure", "infra", "hosting", "ec2", "lambda", "ecs", "eks", "gke", "cloud run", "heroku",
            "fly io", "vps", "docker", "containers", "vm", "cloud bill", "cloud cost",
        ],
        "feature-flags": [
            "turn * on for", "internal users", "only for * users", "subset of users", "some users", "staff only",
            "enable * for", "switch on for",
            "feature flag", "feature flags", "flag", "flags", "toggle", "toggles", "canary", "dark launch",
            "kill switch", "gradual rollout", "rollout", "roll out", "percent of users", "of users first",
            "a b test", "launchdarkly", "unleash", "beta users",
        ],
        "chaos": [
            "zone failure", "zone outage", "region failure", "survive * failure", "survives * failure", "node failure",
            "disaster recovery drill",
            "chaos", "fault injection", "game day", "gameday", "resilience", "kill pods", "blast radius",
            "what happens if", "failover", "simulate * outage", "inject * failure", "inject * latency",
        ],
        "code-review": [
            "my changes", "before * push", "check * changes", "before i merge",
            "look at * code", "this code", "my code", "our code", "whats wrong with", "check * code", "read * code",
            "code review", "review * code", "review my", "review this", "review the diff", "review * diff",
            "diff", "pull request", "pr", "before * commit", "before merging", "look over", "check my code",
            "code quality", "review * change", "review * changes", "review * commit",
        ],
        "compliance": [
            "compliance", "compliant", "hipaa", "soc 2", "soc2", "iso 27001", "iso27001", "gdpr", "pci", "pci dss",
            "audit", "auditor", "auditors", "audit evidence", "regulated", "regulation", "phi", "baa",
            "certification", "patient", "patients", "medical records", "health records",
        ],
    ]

    /// Each group's phrases as stem sequences.
    static let phrases: [String: [[String]]] = groups.mapValues { list in
        list.map { phrase in
            phrase.split(separator: " ").flatMap { part in
                part == "*" ? ["*"] : ConcernText.words(String(part)).map(ConcernText.stem)
            }
        }.filter { !$0.isEmpty }
    }

    /// The concepts `text` mentions.
    static func concepts(in text: ConcernText) -> Set<String> {
        Set(phrases.compactMap { id, list in list.contains(where: text.find) ? id : nil })
    }
}
