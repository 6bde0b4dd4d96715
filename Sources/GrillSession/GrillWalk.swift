import DecisionEngine
import Foundation

/// The rules of the walk: which question is open, and which answers trip a kill criterion.
enum GrillWalk {
    /// Fields still missing for question `number`, given the answers so far.
    static func missingFields(_ number: Int, _ answers: DecideRequest) -> [String] {
        var missing: [String] = []
        func need(_ name: String, _ present: Bool) { if !present { missing.append(name) } }
        switch number {
        case 1:
            need("qps_p99", answers.qpsP99 != nil)
            need("read_write_ratio", answers.readWriteRatio != nil)
        case 2:
            need("tenancy", answers.tenancy != nil)
            if answers.tenancy == .singleTenant { need("enterprise_pricing", answers.enterprisePricing != nil) }
        case 3:
            need("communication_style", answers.communicationStyle != nil)
        case 4:
            need("data_sensitivity", answers.dataSensitivity != nil)
            if let tier = answers.dataSensitivity?.tier, tier >= 3 {
                need("compliance_owner", answers.complianceOwner != nil)
                need("encryption_at_rest_plan", answers.encryptionAtRestPlan != nil)
            }
        case 5:
            need("pattern", answers.pattern != nil)
            need("team_size", answers.teamSize != nil)
            need("platform_team", answers.platformTeam != nil)
            need("language_preference", answers.languagePreference != nil)
            need("needs_admin_panel", answers.needsAdminPanel != nil)
        case 6:
            need("rpo_minutes", answers.rpoMinutes != nil)
            need("rto_minutes", answers.rtoMinutes != nil)
        default:
            need("slo_availability", answers.sloAvailability != nil)
            need("slo_p99_ms", answers.sloP99Ms != nil)
            need("error_budget_owner", answers.errorBudgetOwner != nil)
        }
        return missing
    }

    static func openQuestion(_ answers: DecideRequest) -> Int? {
        (1...7).first { !missingFields($0, answers).isEmpty }
    }

    /// The first kill criterion the answers trip, in question order.
    static func kill(_ answers: DecideRequest, vagueAnswerTo vague: Int?) -> GrillResult.Kill? {
        let question = { (number: Int) in ForcingQuestion.all[number - 1].killCriterion }
        if vague == 1 {
            return .init(
                question: 1, criterion: question(1), observed: "an answer with no QPS or read/write number",
                resolve: "give qps_p99 and read_write_ratio, traced to evidence (current QPS x growth x peak factor)")
        }
        if answers.tenancy == .singleTenant, answers.enterprisePricing == false {
            return .init(
                question: 2, criterion: question(2), observed: "single-tenant without enterprise pricing",
                resolve: "choose shared-multi-tenant with row-level isolation, or price single-tenant as enterprise")
        }
        if answers.communicationStyle == .eventDriven, let team = answers.teamSize, team < 20 {
            return .init(
                question: 3, criterion: question(3), observed: "event-driven default with \(team) engineers",
                resolve: "make sync the default and name the asynchronous flows")
        }
        if let tier = answers.dataSensitivity?.tier, tier >= 3 {
            let owner = answers.complianceOwner?.trimmingCharacters(in: .whitespaces)
            if owner?.isEmpty == true || answers.encryptionAtRestPlan == false {
                return .init(
                    question: 4, criterion: question(4),
                    observed: owner?.isEmpty == true ? "no compliance owner named" : "no encryption-at-rest plan",
                    resolve: "name the compliance owner and write the encryption-at-rest plan")
            }
        }
        if answers.pattern == .microservices {
            if let team = answers.teamSize, team < 30 {
                return .init(
                    question: 5, criterion: question(5), observed: "microservices with \(team) engineers",
                    resolve: "choose modular-monolith, or show 30+ engineers with domain owners")
            }
            if answers.platformTeam == false {
                return .init(
                    question: 5, criterion: question(5), observed: "microservices without a platform team",
                    resolve: "staff a platform team first, or choose modular-monolith")
            }
        }
        if vague == 6 {
            return .init(
                question: 6, criterion: question(6), observed: "no RPO and RTO in writing",
                resolve: "write rpo_minutes and rto_minutes for the customer-facing database")
        }
        if vague == 7 {
            return .init(
                question: 7, criterion: question(7), observed: "no SLO number and no error-budget owner",
                resolve: "give slo_availability, slo_p99_ms and the error_budget_owner")
        }
        if let owner = answers.errorBudgetOwner, owner.trimmingCharacters(in: .whitespaces).isEmpty {
            return .init(
                question: 7, criterion: question(7), observed: "the error-budget owner is blank",
                resolve: "name the person who owns the error budget")
        }
        return nil
    }

    /// Answers a call gives, laid over the ones known; a given field replaces the old value.
    static func merge(_ known: DecideRequest, _ given: DecideRequest) -> DecideRequest {
        var merged = known
        func take<T>(_ path: WritableKeyPath<DecideRequest, T?>) {
            if let value = given[keyPath: path] { merged[keyPath: path] = value }
        }
        take(\.teamSize)
        take(\.qpsP99)
        take(\.readWriteRatio)
        take(\.tenancy)
        take(\.dataSensitivity)
        take(\.pattern)
        take(\.languagePreference)
        take(\.platformTeam)
        take(\.needsAdminPanel)
        take(\.communicationStyle)
        take(\.complianceOwner)
        take(\.encryptionAtRestPlan)
        take(\.enterprisePricing)
        take(\.rpoMinutes)
        take(\.rtoMinutes)
        take(\.sloAvailability)
        take(\.sloP99Ms)
        take(\.errorBudgetOwner)
        return merged
    }
}
