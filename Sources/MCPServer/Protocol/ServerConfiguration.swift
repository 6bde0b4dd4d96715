/// Settings of one server run.
public struct ServerConfiguration: Sendable {
    /// Handshake revisions (`initialize`), newest first; an unknown requested version is answered with the first.
    public static let supportedVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    /// Stateless revisions, declared in each request's `_meta`.
    public static let modernVersions = ["2026-07-28"]
    /// How long a client may cache list results, `server/discover` and `resources/read` (2026-07-28): the
    /// catalog is fixed for the life of the process.
    public var cacheTTLMs = 3_600_000

    public var name = "senior-backend"
    public var title = "Senior backend engineer"
    public var version: String
    /// Items per page of `tools/list`, `resources/list` and `prompts/list`.
    public var pageSize = 50
    /// The longest message accepted, in bytes; longer lines get an error and are dropped as they stream.
    public var maxMessageBytes = 32 << 20
    public var instructions =
        "Tools of a senior backend engineer. Rank stack profiles with decide_profile (it refuses without the team's facts and never approves); route work with route_to_specialist. Every result has a digest of at most 200 words plus the structured result. References, including the seven forcing questions, are resources under senior-backend://references/; the review workflow is the prompt backend-review."

    public init(version: String) {
        self.version = version
    }
}
