import ArgumentParser
import BackendCore
import DecisionEngine
import Foundation
import ToolCatalog

extension Tenancy: ExpressibleByArgument {}
extension DataSensitivity: ExpressibleByArgument {}
extension ArchitecturePattern: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}
extension CommunicationStyle: ExpressibleByArgument {}

struct Decide: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank the stack profiles against the team's facts (never approves anything).",
        discussion: """
            Exit status: 0 recommended, 1 blocked by a kill criterion, 2 refused (facts missing) or bad input.
            Profiles: the built-ins plus --profiles-dir (or SENIOR_BACKEND_PROFILES), which add or replace by name.
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case markdown, json }

    @OptionGroup var facts: FactOptions

    @Option(help: "A folder of extra profiles (*.json).") var profilesDir: String?
    @Flag(help: "List the profiles in force and exit.") var listProfiles = false
    @Flag(help: "Decide the documented sample (TypeScript, 8 engineers, 50 QPS, 20:1, shared, pii, modular monolith).")
    var sample = false
    @Option(help: "markdown (the default) or json.") var output: OutputFormat = .markdown
    @Flag(help: "Same as --output json.") var json = false

    func run() async throws {
        let asJSON = json || output == .json
        let directory = profilesDir ?? ProcessInfo.processInfo.environment[ProfileLibrary.environmentVariable]
        let library = try CommandOutput.run { try ToolCatalog.profileLibrary(directory: directory) }
        if listProfiles {
            if asJSON {
                print(JSONWriter.string(try JSONValue(encoding: library.profiles)))
            } else {
                for profile in library.profiles {
                    print("- **\(profile.name)** \(profile.version): \(profile.description)")
                }
                for warning in library.warnings { print("- warning: \(warning)") }
            }
            return
        }
        let result = try CommandOutput.run {
            try ProfileDecider(library: library).decide(sample ? .sample : facts.request)
        }
        if asJSON {
            print(JSONWriter.string(try JSONValue(encoding: result)))
        } else {
            print(result.markdown)
        }
        switch result.status {
        case .recommended: return
        case .blocked: throw ExitCode(1)
        case .refused: throw ExitCode(2)
        }
    }
}

/// The team's facts, with the names of the skill's command line; shared by `decide` and `grill`.
struct FactOptions: ParsableArguments {
    @Option(help: "Engineers on the team within a year.") var teamSize: Int?
    @Option(name: .customLong("qps-p99"), help: "One-year p99 QPS forecast.") var qpsP99: Double?
    @Option(help: "Reads per write (20 for 20:1).") var readWriteRatio: Double?
    @Option(help: "single-tenant | shared-multi-tenant | isolated-multi-tenant") var tenancy: Tenancy?
    @Option(help: "public | internal | pii-only | pii | phi | pci | regulated") var dataSensitivity: DataSensitivity?
    @Option(help: "monolith | modular-monolith | domain-bounded-services | microservices | serverless")
    var pattern: ArchitecturePattern?
    @Option(help: "typescript | python | go | rust | java | kotlin | dotnet") var languagePreference: Language?
    @Option(help: "true | false") var platformTeam: Bool?
    @Option(help: "true | false") var needsAdminPanel: Bool?
    @Option(help: "Q3: sync | async | event-driven") var communicationStyle: CommunicationStyle?
    @Option(help: "Q4: the named compliance owner.") var complianceOwner: String?
    @Option(help: "Q4: true | false") var encryptionAtRestPlan: Bool?
    @Option(help: "Q2: single-tenant priced as enterprise (true | false).") var enterprisePricing: Bool?
    @Option(help: "Q6: RPO in minutes.") var rpoMinutes: Double?
    @Option(help: "Q6: RTO in minutes.") var rtoMinutes: Double?
    @Option(help: "Q7: availability SLO as a fraction (0.999).") var sloAvailability: Double?
    @Option(name: .customLong("slo-p99-ms"), help: "Q7: p99 latency objective, ms.") var sloP99Ms: Double?
    @Option(help: "Q7: who owns the error budget.") var errorBudgetOwner: String?

    var request: DecideRequest {
        var request = DecideRequest()
        request.teamSize = teamSize
        request.qpsP99 = qpsP99
        request.readWriteRatio = readWriteRatio
        request.tenancy = tenancy
        request.dataSensitivity = dataSensitivity
        request.pattern = pattern
        request.languagePreference = languagePreference
        request.platformTeam = platformTeam
        request.needsAdminPanel = needsAdminPanel
        request.communicationStyle = communicationStyle
        request.complianceOwner = complianceOwner
        request.encryptionAtRestPlan = encryptionAtRestPlan
        request.enterprisePricing = enterprisePricing
        request.rpoMinutes = rpoMinutes
        request.rtoMinutes = rtoMinutes
        request.sloAvailability = sloAvailability
        request.sloP99Ms = sloP99Ms
        request.errorBudgetOwner = errorBudgetOwner
        return request
    }

}
