/// Input of `decide_profile` (schema: `schemas/decide_profile.input.json`).
///
/// Every field is optional in the type so the engine, not the decoder, can refuse a request that lacks
/// the facts, naming each missing field and the forcing question that obtains it.
public struct DecideRequest: Codable, Sendable, Equatable {
    public var teamSize: Int?
    public var qpsP99: Double?
    public var readWriteRatio: Double?
    public var tenancy: Tenancy?
    public var dataSensitivity: DataSensitivity?
    public var pattern: ArchitecturePattern?
    public var languagePreference: Language?
    public var platformTeam: Bool?
    public var needsAdminPanel: Bool?
    /// Q3: the default communication style.
    public var communicationStyle: CommunicationStyle?
    /// Q4: who owns compliance for PHI/PCI/regulated data.
    public var complianceOwner: String?
    /// Q4: whether an encryption-at-rest plan exists.
    public var encryptionAtRestPlan: Bool?
    /// Q2: whether single-tenant deployments are priced as enterprise deals (about $100K+ ARR a tenant).
    public var enterprisePricing: Bool?
    /// Q6: recovery point and time objectives, minutes.
    public var rpoMinutes: Double?
    public var rtoMinutes: Double?
    /// Q7: the availability SLO as a fraction, the p99 latency objective, and who owns the error budget.
    public var sloAvailability: Double?
    public var sloP99Ms: Double?
    public var errorBudgetOwner: String?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case teamSize = "team_size", qpsP99 = "qps_p99", readWriteRatio = "read_write_ratio", tenancy
        case dataSensitivity = "data_sensitivity", pattern, languagePreference = "language_preference"
        case platformTeam = "platform_team", needsAdminPanel = "needs_admin_panel"
        case communicationStyle = "communication_style", complianceOwner = "compliance_owner"
        case encryptionAtRestPlan = "encryption_at_rest_plan", enterprisePricing = "enterprise_pricing"
        case rpoMinutes = "rpo_minutes", rtoMinutes = "rto_minutes", sloAvailability = "slo_availability"
        case sloP99Ms = "slo_p99_ms", errorBudgetOwner = "error_budget_owner"
    }

    /// The documented sample: TypeScript, 8 engineers, 50 QPS, 20:1, shared tenancy, PII, modular monolith.
    public static var sample: DecideRequest {
        var request = DecideRequest()
        request.teamSize = 8
        request.qpsP99 = 50
        request.readWriteRatio = 20
        request.tenancy = .sharedMultiTenant
        request.dataSensitivity = .pii
        request.pattern = .modularMonolith
        request.languagePreference = .typescript
        return request
    }
}
