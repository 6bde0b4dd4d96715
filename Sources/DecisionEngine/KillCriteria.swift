import Foundation

/// The kill criteria: the engine's five, and those of the forcing questions that the inputs can test.
///
/// A tripped criterion blocks the recommendation. A criterion whose facts were not given is not a
/// trip: it becomes a gap naming the question that settles it.
enum KillCriteria {
    static func tripped(request: DecideRequest, facts: Facts) -> [DecisionResult.KillCriterion] {
        var trips: [DecisionResult.KillCriterion] = []
        func trip(_ id: String, _ rule: String, _ observed: String, _ resolve: String) {
            trips.append(.init(id: id, rule: rule, observed: observed, resolve: resolve))
        }
        let team = facts.teamSize
        if facts.pattern == .microservices && team < 30 {
            trip(
                "microservices-small-team", "microservices need a team of at least 30 (Q5)",
                "microservices with \(team) engineers",
                "choose modular-monolith, or show 30+ engineers with domain owners and independently deployable bounded contexts"
            )
        }
        if facts.pattern == .microservices && !facts.platformTeam {
            trip(
                "microservices-no-platform-team", "microservices need a platform team (Q5)",
                "microservices without a platform team",
                "staff a platform team first, or choose modular-monolith")
        }
        if facts.sensitivity.tier >= 3 && team < 4 {
            trip(
                "regulated-data-tiny-team", "PHI, PCI or regulated data needs a team of at least 4 (Q4)",
                "\(facts.sensitivity.rawValue) data with \(team) engineers",
                "grow the team to 4+, or reduce scope so the regulated data lives with a compliant provider")
        }
        if facts.qps > 5000 && (facts.pattern == .modularMonolith || facts.pattern == .monolith) {
            trip(
                "monolith-over-5000-qps", "a p99 QPS forecast above 5,000 rules out a single monolith (Q1, Q5)",
                "\(ProfileDecider.format(facts.qps)) QPS p99 on \(facts.pattern.rawValue)",
                "re-check the QPS evidence, or plan extraction of the hot path along a bounded context")
        }
        if facts.qps < 1 && team > 5 {
            trip(
                "no-load-large-team", "under 1 QPS p99 does not need a team of more than 5 (Q1)",
                "\(ProfileDecider.format(facts.qps)) QPS p99 with \(team) engineers",
                "trace the load forecast to evidence (current QPS x growth x peak factor), or shrink the team")
        }
        if request.communicationStyle == .eventDriven && team < 20 {
            trip(
                "event-driven-small-team", "event-driven everywhere needs a team of at least 20 (Q3)",
                "event-driven default with \(team) engineers",
                "make synchronous calls the default and name the few flows that are asynchronous")
        }
        if facts.sensitivity.tier >= 3 {
            let owner = request.complianceOwner?.trimmingCharacters(in: .whitespaces)
            if owner?.isEmpty == true || request.encryptionAtRestPlan == false {
                trip(
                    "regulated-data-without-owner",
                    "PHI or PCI data needs a named compliance owner and an encryption-at-rest plan (Q4)",
                    owner?.isEmpty == true ? "no compliance owner named" : "no encryption-at-rest plan",
                    "name the compliance owner and write the encryption-at-rest plan")
            }
        }
        if facts.tenancy == .singleTenant && request.enterprisePricing == false {
            trip(
                "single-tenant-without-enterprise-pricing",
                "single-tenant deployments need enterprise pricing, about $100K+ ARR a tenant (Q2)",
                "single-tenant without enterprise pricing",
                "choose shared multi-tenancy with row-level isolation, or price single-tenant as an enterprise deal")
        }
        if let owner = request.errorBudgetOwner, owner.trimmingCharacters(in: .whitespaces).isEmpty,
            request.sloAvailability == nil
        {
            trip(
                "slo-without-number-or-owner", "an SLO needs a number and a named error-budget owner (Q7)",
                "no SLO number and no owner",
                "state the SLO on a measurable SLI (e.g. 99.9% under 500 ms over 30 days) and name the owner")
        }
        return trips
    }

    /// Criteria the inputs could not test, as questions to answer.
    static func gaps(request: DecideRequest, facts: Facts) -> [DecisionResult.Gap] {
        var gaps: [DecisionResult.Gap] = []
        if facts.sensitivity.tier >= 3, request.complianceOwner == nil || request.encryptionAtRestPlan == nil {
            gaps.append(.init(what: "compliance owner and encryption-at-rest plan", question: "Q4 (data sensitivity)"))
        }
        if facts.tenancy == .singleTenant, request.enterprisePricing == nil {
            gaps.append(.init(what: "whether single-tenant is priced as enterprise", question: "Q2 (tenancy)"))
        }
        if request.communicationStyle == nil {
            gaps.append(.init(what: "the default communication style", question: "Q3 (sync, async or event-driven)"))
        }
        if request.sloAvailability != nil || request.sloP99Ms != nil,
            (request.errorBudgetOwner ?? "").trimmingCharacters(in: .whitespaces).isEmpty
        {
            gaps.append(.init(what: "the error-budget owner", question: "Q7 (SLO with a named error-budget owner)"))
        }
        return gaps
    }
}
