/// One of the seven forcing questions: what is asked, what is recommended, the canon, the kill criterion
/// and the answer fields that settle it. The prose lives in `references/forcing_questions.md`.
public struct ForcingQuestion: Sendable, Codable, Equatable {
    public var number: Int
    public var topic: String
    public var text: String
    public var recommendedAnswer: String
    public var rationale: String
    public var canon: [String]
    public var killCriterion: String
    /// Answer fields this question needs (more may be needed depending on the answers, e.g. Q4 for PHI).
    public var fields: [String]

    enum CodingKeys: String, CodingKey {
        case number, topic, text, recommendedAnswer = "recommended_answer", rationale, canon
        case killCriterion = "kill_criterion", fields
    }

    public static let all: [ForcingQuestion] = [
        .init(
            number: 1, topic: "Load profile",
            text:
                "What are the read/write ratio and the p99 QPS one year from now, and what evidence are they traced to (current QPS x growth x peak factor)?",
            recommendedAnswer:
                "If nothing is measured yet: about 10:1 reads to writes and under 100 QPS p99, written down as an assumption to re-check a month after launch.",
            rationale:
                "Most new business backends are small and read-dominated, so a modest assumption is cheap to correct.",
            canon: [
                "Kleppmann, Designing Data-Intensive Applications (2017), ch. 1 and 5",
                "Helland, Life beyond Distributed Transactions (2007)", "Vogels, Eventually Consistent (2008)",
            ],
            killCriterion: "\"We'll need to scale\" with no number behind it.",
            fields: ["qps_p99", "read_write_ratio"]),
        .init(
            number: 2, topic: "Tenancy",
            text:
                "Single-tenant, shared multi-tenant or isolated multi-tenant, and how does that follow from the data sensitivity?",
            recommendedAnswer:
                "shared-multi-tenant with a tenant_id column and row-level security on every tenant table.",
            rationale:
                "One schema and one fleet to run, isolation enforced by the database, and a path to isolate a large tenant later.",
            canon: ["AWS SaaS Tenant Isolation Strategies (2021)"],
            killCriterion: "Single-tenant without enterprise pricing (about $100K+ ARR per tenant).",
            fields: ["tenancy"]),
        .init(
            number: 3, topic: "Sync, async or event-driven",
            text:
                "What is the default way components talk (sync, async or event-driven), and which named flows are exceptions?",
            recommendedAnswer:
                "sync by default, a database-backed job queue for slow or retryable work, events only at named boundaries with several consumers.",
            rationale:
                "Synchronous code is the easiest to test, trace and debug; queues and events belong only where their cost is earned.",
            canon: [
                "Reinertsen, Principles of Product Development Flow (2009)",
                "Fowler, What do you mean by \"Event-Driven\"? (2017)",
            ],
            killCriterion: "Event-driven everywhere with a team under 20.",
            fields: ["communication_style"]),
        .init(
            number: 4, topic: "Data sensitivity",
            text:
                "What is the highest data tier present (public, internal, pii-only, pii, phi, pci, regulated)? For PHI or PCI: who owns compliance, and what is the encryption-at-rest plan?",
            recommendedAnswer: "pii as soon as there are user accounts.",
            rationale: "An email address or a name is personal data, so almost every product with a login is tier 2.",
            canon: [
                "HIPAA Security Rule (45 CFR 164)", "PCI-DSS v4.0", "GDPR arts. 5, 25, 32", "NIST SP 800-53 rev. 5",
            ],
            killCriterion: "PHI or PCI without a named compliance owner and an encryption-at-rest plan.",
            fields: ["data_sensitivity"]),
        .init(
            number: 5, topic: "Monolith, modular monolith or services",
            text:
                "Monolith, modular monolith or services, justified by the team: how many engineers, is there a platform team, which language does the team ship, is an admin panel needed?",
            recommendedAnswer:
                "modular-monolith below 30 engineers; services only with 30+ engineers, domain owners, independently deployable bounded contexts and a platform team.",
            rationale:
                "Module boundaries give most of the benefit of services without distributed failure modes or a platform to run.",
            canon: [
                "Newman, Building Microservices 2e (2021), ch. 3", "Fowler, MonolithFirst (2015)",
                "Skelton & Pais, Team Topologies (2019)", "Evans, Domain-Driven Design (2003)",
            ],
            killCriterion:
                "Services for any reason other than team >= 30 with domain owners, bounded contexts and a platform team.",
            fields: ["pattern", "team_size", "platform_team", "language_preference", "needs_admin_panel"]),
        .init(
            number: 6, topic: "RPO and RTO",
            text:
                "What are the RPO and RTO of each data surface, in writing, starting with the customer-facing production database?",
            recommendedAnswer:
                "RPO at most 60 minutes and RTO at most 240 minutes for the primary database, with point-in-time recovery and a quarterly restore drill.",
            rationale:
                "These targets are reachable on day one with managed PostgreSQL and stop a disaster from becoming an improvisation.",
            canon: ["Google SRE Workbook (2018), ch. 7-8", "ISO 22301", "AWS Disaster Recovery of Workloads (2024)"],
            killCriterion: "A customer-facing production database with no RPO and RTO in writing.",
            fields: ["rpo_minutes", "rto_minutes"]),
        .init(
            number: 7, topic: "SLO and error budget",
            text:
                "What is the SLO on a measurable SLI (e.g. 99.9% of requests under 500 ms over 30 days), who owns the error budget, and what is the rule when it runs low?",
            recommendedAnswer:
                "99.9% of requests under 500 ms over a rolling 30 days at the load balancer; the tech lead owns the budget; feature work stops under 25% remaining.",
            rationale: "A number and an owner turn reliability from a wish into a decision rule.",
            canon: ["Google SRE Workbook (2018), ch. 2-4", "Beyer et al., Site Reliability Engineering (2016)"],
            killCriterion: "\"High availability\" with no number and no owner.",
            fields: ["slo_availability", "slo_p99_ms", "error_budget_owner"]),
    ]
}
