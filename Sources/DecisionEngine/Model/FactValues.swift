/// Tenancy models, as the CLI and the schemas spell them.
public enum Tenancy: String, Codable, Sendable, CaseIterable {
    case singleTenant = "single-tenant"
    case sharedMultiTenant = "shared-multi-tenant"
    case isolatedMultiTenant = "isolated-multi-tenant"
}

/// Data sensitivity classes, ordered by tier.
public enum DataSensitivity: String, Codable, Sendable, CaseIterable {
    case `public`, `internal`
    case piiOnly = "pii-only"
    case pii, phi, pci, regulated

    /// public 0, internal 1, pii-only and pii 2, phi and pci 3, regulated 4.
    public var tier: Int {
        switch self {
        case .public: 0
        case .internal: 1
        case .piiOnly, .pii: 2
        case .phi, .pci: 3
        case .regulated: 4
        }
    }
}

/// Architecture patterns; matched exactly, so `monolith` never matches `modular-monolith`.
public enum ArchitecturePattern: String, Codable, Sendable, CaseIterable {
    case monolith
    case modularMonolith = "modular-monolith"
    case domainBoundedServices = "domain-bounded-services"
    case microservices, serverless
}

public enum Language: String, Codable, Sendable, CaseIterable {
    case typescript, python, go, rust, java, kotlin, dotnet
}

/// How services talk by default (forcing question 3).
public enum CommunicationStyle: String, Codable, Sendable, CaseIterable {
    case sync, async
    case eventDriven = "event-driven"
}
