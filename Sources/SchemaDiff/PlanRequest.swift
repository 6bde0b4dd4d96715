import BackendCore
import Foundation

/// Input of `plan_migration` (schema: `schemas/plan_migration.input.json`).
public struct PlanRequest: Codable, Sendable, Equatable {
    /// The live database (libpq string or URI); omitted: `DATABASE_URL`, then the `PG*` variables.
    public var connection: String?
    /// The target schema: a `.sql` file, or a folder whose `.sql` files are loaded in name order.
    public var target: String?
    /// Or a second database whose schema is the target (read directly, no shadow needed for it).
    public var targetConnection: String?
    /// Where to write the migration files; without it the plan is only reported.
    public var output: String?
    /// Include destructive changes (drops, narrowing types); otherwise they are listed as pending.
    public var allowDestructive: Bool?
    /// A few words for the file names (default `schema_change`).
    public var slug: String?

    public init(target: String?, connection: String? = nil) {
        self.target = target
        self.connection = connection
    }

    enum CodingKeys: String, CodingKey {
        case connection, target, targetConnection = "target_connection", output
        case allowDestructive = "allow_destructive", slug
    }

    /// The target script: the file, or the folder's `.sql` files joined in name order.
    func targetSQL(_ target: String) throws(BackendError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) else {
            throw .invalidInput("target \(target): no such file or folder")
        }
        let paths: [String]
        if isDirectory.boolValue {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []).filter {
                $0.hasSuffix(".sql")
            }
            paths = names.sorted().map { (target as NSString).appendingPathComponent($0) }
            guard !paths.isEmpty else { throw .invalidInput("target \(target) holds no .sql file") }
        } else {
            paths = [target]
        }
        var script = ""
        for path in paths {
            // A .sql file in the folder may be a link out of the call's roots.
            try FileAccess.checkRead(path, "target")
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else { throw .invalidInput("\(path): unreadable or not UTF-8") }
            script += text + "\n"
        }
        return script
    }
}

/// Output of `plan_migration`.
public struct PlanResult: Codable, Sendable, Equatable {
    public var database: String
    public var up: [MigrationStatement]
    public var down: [MigrationStatement]
    public var pending: [PendingChange]
    public var proof: ProofOutcome
    public var files: [String]
    public var nextStep: String

    /// The plan is not proven (failed, or checked at model level only): an error result over MCP, exit
    /// status 1 on the CLI.
    public var failedCheck: Bool { !proof.passed }

    enum CodingKeys: String, CodingKey {
        case database, up, down, pending, proof, files, nextStep = "next_step"
    }
}

/// Plans, proves and (with `output`) writes a migration from the live schema to a target `.sql`.
public struct PlanMigration: Sendable {
    public let environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    public func run(_ request: PlanRequest) throws(BackendError) -> PlanResult {
        let live = request.connection.flatMap { $0.isEmpty ? nil : $0 } ?? environment["DATABASE_URL"] ?? ""
        guard !live.isEmpty else {
            throw .invalidInput(
                "connection: give the live database (or set DATABASE_URL); the shadow databases go on its server")
        }
        let allow = request.allowDestructive == true
        let planner = MigrationPlanner()
        let plan: MigrationPlan
        switch (request.target, request.targetConnection) {
        case (let target?, nil):
            plan = try planner.plan(
                liveURL: live, targetSQL: try request.targetSQL(target), allowDestructive: allow)
        case (nil, let targetURL?):
            plan = try planner.plan(liveURL: live, targetURL: targetURL, allowDestructive: allow)
        default:
            throw .invalidInput("give exactly one of target (a .sql file or folder) and target_connection (a database)")
        }
        var files: [String] = []
        if let output = request.output, plan.proof.passed {
            files = try MigrationWriter.write(
                plan: plan, output: URL(fileURLWithPath: output), slug: request.slug ?? "schema_change")
        }
        return PlanResult(plan: plan, database: SecretRedactor.redact(live), files: files)
    }
}

extension PlanResult {
    /// The result of a plan; `database` is already redacted.
    public init(plan: MigrationPlan, database: String, files: [String]) {
        let proof = plan.proof
        let next: String
        if proof.level == .model && proof.clean {
            next =
                "Not proven, so nothing was written: the shadows were compared by the schema model only (\(proof.note))."
        } else if !proof.passed && plan.isEmpty && proof.error == nil {
            next =
                "The live schema differs from the target in what this tool cannot plan (see proof.dump_differences); nothing was written."
        } else if !proof.passed {
            next = "The plan failed its proof, so nothing was written: see proof for what differed."
        } else if plan.isEmpty {
            next = "The live schema already matches the target (pg_dump of both is the same)."
        } else if files.isEmpty {
            next = "Proven. Give output to write the files, then apply them with apply_migration (dry run first)."
        } else {
            next =
                "Proven and written. Apply with apply_migration (dry run first)\(plan.pending.isEmpty ? "" : "; \(plan.pending.count) destructive change(s) pending")."
        }
        self.init(
            database: database, up: plan.up, down: plan.down, pending: plan.pending, proof: proof, files: files,
            nextStep: next)
    }
}

extension PlanResult {
    public var digest: Digest {
        let verdict =
            proof.passed
            ? "proof passed (pg_dump)"
            : proof.level == .model && proof.clean ? "model-level check only, not proven" : "proof FAILED"
        var digest = Digest("Migration plan: \(up.count) up / \(down.count) down statement(s), \(verdict)")
        let hazards = Dictionary(grouping: up.flatMap(\.hazards), by: { $0 }).mapValues(\.count)
        if !hazards.isEmpty {
            digest.bullet(
                "Hazards: "
                    + hazards.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) ×\($0.value)" }
                    .joined(separator: ", "))
        }
        for statement in up.prefix(5) { digest.bullet("`\(statement.sql.prefix(120))`") }
        if up.count > 5 { digest.add("… \(up.count - 5) more in the structured result.") }
        if !pending.isEmpty {
            digest.bullet(
                "Pending (needs allow_destructive): " + pending.prefix(4).map(\.object).joined(separator: ", "))
        }
        if !proof.passed {
            let reasons =
                (proof.error.map { [$0] } ?? []) + proof.upDifferences + proof.downDifferences
                + (proof.level == .model ? [proof.note] : [])
            if !reasons.isEmpty { digest.bullet("Proof: " + reasons.prefix(3).joined(separator: "; ")) }
            if let first = proof.dumpDifferences.first {
                let lines = first.split(separator: "\n").prefix(8).joined(separator: "\n")
                digest.add("pg_dump differs in \(proof.dumpDifferences.count) place(s), first:\n```\n\(lines)\n```")
            }
        }
        if !files.isEmpty {
            digest.bullet("Wrote " + files.map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))
        }
        digest.next(nextStep)
        return digest
    }
}
