import Testing

@testable import BlastwallCore

@Suite struct ApprovalEngineTests {
    let engine = ApprovalEngine(groups: ["senior": ["@dana", "@acme/staff"]])
    let dana = Principal(name: "dana", kind: .human, role: .approver, groups: ["@acme/payments"], emails: ["dana@acme.example"])
    let lee = Principal(name: "lee", kind: .human, role: .approver, groups: ["@acme/ledger"], emails: ["lee@acme.example"])
    let sam = Principal(name: "sam", kind: .human, role: .approver, groups: [], emails: ["sam@acme.example"])
    let kim = Principal(name: "kim", kind: .human, role: .engineer, groups: ["@acme/payments"], emails: ["kim@acme.example"])
    let bot = Principal(name: "review-bot", kind: .bot, role: .approver, groups: ["@acme/payments", "@acme/ledger", "senior"])
    let agent = Principal(name: "claude", kind: .ai, role: .approver, groups: ["@acme/payments"])

    var gate: GateRequirements {
        GateRequirements(
            decision: .review, requirements: Requirements(approvals: 2, owners: .all, groups: ["senior": 1]),
            owners: ["payments": ["@acme/payments"], "ledger": ["@acme/ledger"]],
            authors: [Identity(name: "Sam", email: "sam@acme.example")])
    }

    func approve(_ principal: Principal, override: Bool = false) -> Review {
        Review(reviewer: principal, verdict: .approve, isOverride: override, head: "h1")
    }

    @Test func ownersOfEveryTouchedServiceAndAGroupAreNeeded() {
        let none = engine.status(of: gate, reviews: [])
        #expect(none.state == .pending)
        #expect(none.missing == ["1 owner of `ledger`", "1 owner of `payments`", "1 of group `senior`", "2 more approvals (0 of 2)"])
        #expect(none.summary == "needs 1 owner of `ledger`, 1 owner of `payments`, 1 of group `senior`, 2 more approvals (0 of 2)")

        let oneOwner = engine.status(of: gate, reviews: [approve(dana)])
        #expect(oneOwner.missing == ["1 owner of `ledger`", "1 more approval (1 of 2)"], "dana owns payments and is senior")

        let both = engine.status(of: gate, reviews: [approve(dana), approve(lee)])
        #expect(both.state == .satisfied)
        #expect(both.countedApprovers == ["dana", "lee"])
        #expect(both.summary == "approved by dana, lee")
        let nothing = GateRequirements(decision: .allow, requirements: Requirements(), owners: [:], authors: [])
        #expect(engine.status(of: nothing, reviews: []).summary == "no approval is required")
    }

    @Test func aiBotsAuthorsAndNonApproversNeverCount() {
        let status = engine.status(of: gate, reviews: [approve(bot), approve(agent), approve(sam), approve(kim), approve(dana)])
        #expect(status.countedApprovers == ["dana"])
        #expect(engine.disqualification(of: bot, for: gate)?.contains("never count") == true)
        #expect(engine.disqualification(of: agent, for: gate)?.contains("never count") == true)
        #expect(engine.disqualification(of: sam, for: gate)?.contains("authored") == true)
        #expect(engine.disqualification(of: kim, for: gate)?.contains("role engineer") == true)
    }

    @Test func distinctPeopleCountOnce() {
        let status = engine.status(of: gate, reviews: [approve(dana), approve(dana)])
        #expect(status.missing.contains("1 more approval (1 of 2)"))
    }

    @Test func aRejectionRejectsAndDenialsCannotBeApprovedAway() {
        #expect(engine.status(of: gate, reviews: [approve(dana), Review(reviewer: lee, verdict: .reject, head: "h1")]).state == .rejected)
        var denied = gate
        denied.decision = .deny
        denied.denials = ["rule 'no-secrets': remove the secret"]
        #expect(engine.status(of: denied, reviews: [approve(dana), approve(lee)]).state == .denied)
    }

    @Test func aFreezeNeedsItsOverrideApprovals() {
        var frozen = gate
        frozen.decision = .deny
        frozen.freezeOverride = Requirements(approvals: 2, groups: ["senior": 1])
        let normal = engine.status(of: frozen, reviews: [approve(dana), approve(lee)])
        #expect(normal.state == .denied, "ordinary approvals do not lift a freeze")
        #expect(normal.missing.first?.hasSuffix("(freeze override)") == true)
        let overridden = engine.status(of: frozen, reviews: [approve(dana, override: true), approve(lee, override: true)])
        #expect(overridden.state == .satisfied)
    }

    @Test func anyOwnerIsEnough() {
        var any = gate
        any.requirements = Requirements(approvals: 1, owners: .any)
        #expect(engine.status(of: any, reviews: [approve(lee)]).state == .satisfied)
        #expect(engine.status(of: any, reviews: [approve(Principal(name: "pat", kind: .human, role: .approver))]).state == .pending)
    }

    @Test func newHeadsDismissOnlyApprovalsWhoseServicesChanged() {
        let reviews = [approve(dana), approve(lee), approve(Principal(name: "pat", kind: .human, role: .approver))]
        let (kept, dismissed) = engine.retained(reviews, changedFiles: [("services/ledger/a.swift", "ledger")], owners: gate.owners)
        #expect(kept.map(\.reviewer.name) == ["dana"])
        #expect(dismissed.map(\.reviewer.name) == ["lee", "pat"], "pat owns nothing touched, so answers for every service")
        let unowned = engine.retained(reviews, changedFiles: [("README.md", nil)], owners: gate.owners)
        #expect(unowned.kept.isEmpty && unowned.dismissed.count == 3)
    }
}
