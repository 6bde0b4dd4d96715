/// A stack profile (`profiles/<name>.json`, schema `profiles/profile.schema.json`).
public struct Profile: Codable, Sendable, Equatable {
    public struct Range: Codable, Sendable, Equatable {
        public var min: Double?
        public var max: Double?

        public func contains(_ value: Double) -> (min: Bool?, max: Bool?) {
            (min.map { value >= $0 }, max.map { value <= $0 })
        }
    }

    public struct Constraints: Codable, Sendable, Equatable {
        public var teamSize: Range?
        public var tenancy: [Tenancy]?
        public var maxDataSensitivity: DataSensitivity?
        public var patterns: [ArchitecturePattern]?
        public var languages: [Language]?
        public var qpsP99: Range?
        public var readWriteRatio: Range?
        public var platformTeam: Bool?
        public var adminPanel: Bool?

        enum CodingKeys: String, CodingKey {
            case teamSize = "team_size", tenancy, maxDataSensitivity = "max_data_sensitivity", patterns, languages
            case qpsP99 = "qps_p99", readWriteRatio = "read_write_ratio", platformTeam = "platform_team"
            case adminPanel = "admin_panel"
        }
    }

    public struct StackLayer: Codable, Sendable, Equatable {
        public var layer: String
        public var picks: [String]
    }

    public struct AntiRecommendation: Codable, Sendable, Equatable {
        public enum Severity: String, Codable, Sendable { case kill, warn }
        public var item: String
        public var severity: Severity
        public var reason: String
    }

    public struct Thresholds: Codable, Sendable, Equatable {
        public var p50Ms: Double
        public var p95Ms: Double
        public var p99Ms: Double
        public var uptime: Double
        public var rpoMinutes: Double
        public var rtoMinutes: Double
        public var testCoverage: Double?
        public var maxScanSeverity: String?

        enum CodingKeys: String, CodingKey {
            case p50Ms = "p50_ms", p95Ms = "p95_ms", p99Ms = "p99_ms", uptime
            case rpoMinutes = "rpo_minutes", rtoMinutes = "rto_minutes"
            case testCoverage = "test_coverage", maxScanSeverity = "max_scan_severity"
        }
    }

    public struct Approval: Codable, Sendable, Equatable {
        public var change: String
        public var roles: [String]
    }

    public var name: String
    public var description: String
    public var version: String
    public var constraints: Constraints
    public var stack: [StackLayer]
    public var antiRecommendations: [AntiRecommendation]
    public var thresholds: Thresholds
    public var approvers: [Approval]
    public var canon: [String]

    enum CodingKeys: String, CodingKey {
        case name, description, version, constraints, stack
        case antiRecommendations = "anti_recommendations"
        case thresholds, approvers, canon
    }
}
