import Testing

@testable import BlastwallCore

/// Who counts among a pull request's reviewers: the rules the forges lack.
@Suite struct ForgeReviewCountingTests {
    typealias ForgeReview = ForgeReviewCounting.ForgeReview

    let people: [String: Principal] = [
        "dana-gh": Principal(name: "dana", kind: .human, role: .approver, emails: ["dana@acme.example"]),
        "lee-gh": Principal(name: "lee", kind: .human, role: .approver),
        "sam-gh": Principal(name: "sam", kind: .human, role: .approver, emails: ["sam@acme.example"]),
        "vic-gh": Principal(name: "vic", kind: .human, role: .viewer),
    ]

    /// An AI-authored commit with a human co-author, Sam.
    let commits = [
        Commit(
            sha: "a1", author: Identity(name: "Claude", email: "noreply@anthropic.com"),
            committer: Identity(name: "Claude", email: "noreply@anthropic.com"),
            message: "Retry charges\n\nCo-authored-by: Sam <sam@acme.example>")
    ]

    func count(_ reviews: [ForgeReview], unmapped: Bool = false) -> (counted: [String], ignored: [String]) {
        let result = ForgeReviewCounting(countUnmappedReviewers: unmapped).count(
            reviews, author: "pat-gh", commitIdentities: ForgeReviewCounting.identities(of: commits), head: "h2",
            principal: { people[$0] })
        return (result.counted.map { "\($0.review.reviewer.name):\($0.review.verdict.rawValue)" }, result.ignored.map(\.reason))
    }

    @Test func botsAgentsTheAuthorAndCoAuthorsNeverCount() {
        let (counted, ignored) = count([
            ForgeReview(login: "renovate[bot]", state: .approved), ForgeReview(login: "helper", isBot: true, state: .approved),
            ForgeReview(login: "Copilot", state: .approved), ForgeReview(login: "pat-gh", state: .approved),
            ForgeReview(login: "sam-gh", state: .approved), ForgeReview(login: "dana-gh", state: .approved),
        ])
        #expect(counted == ["dana:approve"])
        #expect(ignored.count == 5)
        #expect(ignored.contains { $0.contains("renovate[bot] is a bot") } && ignored.contains { $0.contains("helper is a bot") })
        #expect(ignored.contains { $0.contains("Copilot is an AI agent") })
        #expect(ignored.contains { $0.contains("pat-gh opened the pull request") })
        #expect(ignored.contains { $0.contains("sam-gh wrote or co-wrote commits") }, "the human co-author of an AI commit")
    }

    @Test func eachReviewersLatestReviewCounts() {
        #expect(
            count([ForgeReview(login: "dana-gh", state: .approved), ForgeReview(login: "dana-gh", state: .changesRequested)]).counted
                == ["dana:reject"])
        #expect(
            count([ForgeReview(login: "dana-gh", state: .changesRequested), ForgeReview(login: "dana-gh", state: .approved)]).counted
                == ["dana:approve"])
        #expect(
            count([ForgeReview(login: "dana-gh", state: .approved), ForgeReview(login: "dana-gh", state: .commented)]).counted == [
                "dana:approve"
            ],
            "a comment does not take an approval back")
        #expect(count([ForgeReview(login: "dana-gh", state: .approved), ForgeReview(login: "dana-gh", state: .dismissed)]).counted.isEmpty)
    }

    @Test func unmappedReviewersAndRolesThatCannotApprove() {
        let unmapped = count([ForgeReview(login: "stranger", state: .approved)])
        #expect(unmapped.counted.isEmpty && unmapped.ignored.first?.contains("identity create NAME --github stranger") == true)
        #expect(count([ForgeReview(login: "stranger", state: .approved)], unmapped: true).counted == ["github:stranger:approve"])
        let viewer = count([ForgeReview(login: "vic-gh", state: .approved)])
        #expect(viewer.counted.isEmpty && viewer.ignored.first?.contains("role viewer") == true)
    }

    /// What counts is what the engine then weighs: two owners of two services.
    @Test func countedReviewsMeetTheEngine() {
        let result = ForgeReviewCounting().count(
            [ForgeReview(login: "dana-gh", state: .approved, commit: "h2"), ForgeReview(login: "lee-gh", state: .approved, commit: "h2")],
            author: "pat-gh", commitIdentities: ForgeReviewCounting.identities(of: commits), head: "h2", principal: { people[$0] })
        let gate = GateRequirements(
            decision: .review, requirements: Requirements(approvals: 2, owners: .all), owners: ["payments": ["@dana"], "ledger": ["lee"]],
            authors: ForgeReviewCounting.identities(of: commits))
        #expect(ApprovalEngine(groups: [:]).status(of: gate, reviews: result.counted.map(\.review)).state == .satisfied)
    }
}
