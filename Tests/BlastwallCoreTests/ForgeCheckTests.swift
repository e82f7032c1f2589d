import Testing

@testable import BlastwallCore

/// What the gate shows on a pull request, and which labels it carries.
@Suite struct ForgeCheckTests {
    static let pending = GateStatus(state: .pending, missing: ["1 owner of `payments`"], reasons: [], countedApprovers: ["lee"])

    @Test func eachGateStateHasItsConclusion() {
        let states: [(GateStatus.State, ForgeCheck.Conclusion)] = [
            (.satisfied, .success), (.pending, .actionRequired), (.denied, .failure), (.rejected, .failure),
        ]
        for (state, conclusion) in states {
            let status = GateStatus(state: state, missing: [], reasons: ["r"], countedApprovers: [])
            let check = ForgeCheck.gate(status, head: "h", ignored: [], stale: [], analysis: nil, annotations: [], detailsURL: nil)
            #expect(check.conclusion == conclusion, "\(state)")
        }
        #expect(ForgeCheck.analysing(head: "h", reason: "r").conclusion == .pending)
        #expect(ForgeCheck.unanalysable(head: "h", reason: "the policy at the base does not load").conclusion == .failure)
    }

    @Test func theSummarySaysWhatIsMissingWhoDidNotCountAndWhatWentStale() {
        let stale = ForgeCheck.StaleApproval(login: "dana_gh", commit: String(repeating: "c", count: 40), files: ["payments/a.txt"])
        let check = ForgeCheck.gate(
            Self.pending, head: "h", ignored: [ForgeReviewCounting.Ignored(login: "bot", reason: "bot is a bot")], stale: [stale],
            analysis: "## analysis\n", annotations: [], detailsURL: "https://bw/api/v1/changes/3")
        #expect(check.title == "Blastwall: pending — needs 1 owner of `payments`")
        #expect(check.description == "pending: needs 1 owner of `payments`")
        #expect(check.summary.contains("- 1 owner of `payments`") && check.summary.contains("**Counted approvals:** lee"))
        #expect(check.summary.contains("dana\\_gh on cccccccccccc is stale: `payments/a.txt`"), "\(check.summary)")
        #expect(check.summary.contains("- bot is a bot") && check.summary.hasSuffix("---\n\n## analysis\n"))
        #expect(ForgeCheck.StaleApproval(login: "x", commit: "c", files: []).message.contains("no longer"))
    }

    @Test func descriptionsFitCommitStatusesAndSummariesFitCheckRuns() {
        let long = GateStatus(
            state: .pending, missing: (1...40).map { "1 owner of `service-\($0)`" }, reasons: [], countedApprovers: [])
        let check = ForgeCheck.gate(long, head: "h", ignored: [], stale: [], analysis: nil, annotations: [], detailsURL: nil)
        #expect(check.description.count == ForgeCheck.descriptionLimit && check.description.hasSuffix("…"))
        let huge = ForgeCheck(head: "h", conclusion: .success, title: "t", summary: String(repeating: "x", count: 70_000))
        #expect(huge.summary.count == ForgeCheck.summaryLimit)
    }

    @Test func labelsFollowProvenanceTierAndMissingOwners() {
        let labels = ForgeSettings.Labels()
        #expect(
            ForgeLabels.wanted(labels, provenance: "ai-assisted", tiers: [2, 1], status: Self.pending)
                == ["blastwall/ai-assisted", "blastwall/tier-1", "blastwall/needs-owners"])
        let satisfied = GateStatus(state: .satisfied, missing: [], reasons: [], countedApprovers: ["a"])
        #expect(ForgeLabels.wanted(labels, provenance: "human", tiers: [3], status: satisfied) == ["blastwall/tier-3"])
        #expect(ForgeLabels.wanted(.none, provenance: "ai-authored", tiers: [1], status: Self.pending).isEmpty)
        // Only labels this server added are removed; one a person set stays.
        let (add, remove) = ForgeLabels.changes(
            wanted: ["blastwall/tier-1"], added: ["blastwall/tier-1", "blastwall/needs-owners"],
            present: ["blastwall/needs-owners", "keep-me"])
        #expect(add == ["blastwall/tier-1"] && remove == ["blastwall/needs-owners"])
    }
}
