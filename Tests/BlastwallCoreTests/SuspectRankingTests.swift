import CEL
import Testing

@testable import BlastwallCore

/// Suspects on constructed histories: reach through the dependency graph, time, kind, ties, what came
/// after the start, and unrelated services listed apart.
@Suite struct SuspectRankingTests {
    // checkout depends on payments, which depends on ledger; search stands alone.
    let graph = DependencyGraph(services: [
        Service(name: "checkout", paths: [], dependsOn: ["payments"]), Service(name: "payments", paths: [], dependsOn: ["ledger"]),
        Service(name: "ledger", paths: []), Service(name: "search", paths: []),
    ])
    let start = Timestamp(rfc3339: "2026-12-02T03:00:00Z")!

    func at(minutesBefore minutes: Double) -> Timestamp {
        Timestamp(nanoseconds: start.nanoseconds - Int128(minutes * 60e9))!
    }

    func rollout(_ id: Int, _ service: String, minutesBefore minutes: Double, inProgress: Bool = false) -> SuspectCandidate {
        SuspectCandidate(
            kind: .rollout, reference: "rollout/\(id)", service: service, time: at(minutesBefore: minutes), isInProgress: inProgress,
            summary: "rollout \(id) of \(service) reached 25%", rollback: .abortRollout(id: Int64(id)))
    }

    @Test func theIncidentsOwnServiceOutranksItsDependenciesAndUnrelatedOnesStandApart() {
        let (ranked, unrelated) = SuspectRanking().rank(
            [
                rollout(1, "ledger", minutesBefore: 5), rollout(2, "checkout", minutesBefore: 5), rollout(3, "payments", minutesBefore: 5),
                rollout(4, "search", minutesBefore: 1),
            ], service: "checkout", start: start, graph: graph)
        #expect(ranked.map(\.candidate.reference) == ["rollout/2", "rollout/3", "rollout/1"])
        #expect(ranked[0].explanation == "rollout 2 of checkout reached 25% 5 minutes before the incident began; on checkout itself")
        #expect(ranked[1].explanation.contains("on payments, which checkout depends on"))
        #expect(ranked[2].explanation.contains("on ledger, which checkout depends on through 1 other"))
        #expect(unrelated.map(\.candidate.reference) == ["rollout/4"] && unrelated[0].score == 0)
        #expect(unrelated[0].explanation.contains("which checkout does not depend on"))
    }

    @Test func aChangeOnSeveralServicesReachesThroughTheClosest() {
        let change = SuspectCandidate(
            kind: .configuration, reference: "change/7", service: "search", alsoOn: ["ledger", "payments"], time: at(minutesBefore: 5),
            summary: "configuration change 7 was cleared to ship")
        let elsewhere = SuspectCandidate(
            kind: .change, reference: "change/8", service: "search", alsoOn: [], time: at(minutesBefore: 5), summary: "change 8")
        let (ranked, unrelated) = SuspectRanking().rank([change, elsewhere], service: "checkout", start: start, graph: graph)
        #expect(ranked.map(\.candidate.reference) == ["change/7"] && unrelated.map(\.candidate.reference) == ["change/8"])
        #expect(ranked[0].terms[1].factor == 0.6 && ranked[0].explanation.contains("on payments, which checkout depends on"))
        #expect(ranked[0].json["also_on"] == .array([.string("ledger"), .string("payments")]))
    }

    @Test func recentBeatsOldAndARunningRolloutIsHottest() {
        let (ranked, _) = SuspectRanking().rank(
            [
                rollout(1, "checkout", minutesBefore: 240), rollout(2, "checkout", minutesBefore: 4),
                rollout(3, "checkout", minutesBefore: 60, inProgress: true),
            ],
            service: "checkout", start: start, graph: graph)
        #expect(ranked.map(\.candidate.reference) == ["rollout/3", "rollout/2", "rollout/1"])
        #expect(ranked[0].terms[0].factor == 1 && ranked[0].explanation.contains("still in progress"))
        let halved = ranked.first { $0.candidate.reference == "rollout/1" }!.terms[0].factor
        #expect(abs(halved - 1.0 / 16) < 0.001, "four half-lives: \(halved)")
    }

    @Test func laterChangesAndThoseBeforeTheWindowAreLeftOut() {
        let (ranked, unrelated) = SuspectRanking(window: 3_600).rank(
            [
                rollout(1, "checkout", minutesBefore: -2), rollout(2, "checkout", minutesBefore: 120),
                rollout(3, "checkout", minutesBefore: 30),
            ],
            service: "checkout", start: start, graph: graph)
        #expect(ranked.map(\.candidate.reference) == ["rollout/3"] && unrelated.isEmpty)
    }

    @Test func kindRiskProvenanceAndDoubtsAreTermsOfTheProduct() {
        var ai = rollout(42, "checkout", minutesBefore: 4)
        ai.summary = "rollout 42 of checkout v2.3.1 reached 25%"
        (ai.changeID, ai.risk, ai.riskLevel, ai.provenance, ai.inconclusiveTicks) = (17, 68, "high", "ai-assisted", 2)
        let flag = SuspectCandidate(
            kind: .flag, reference: "rollout/43", service: "checkout", time: at(minutesBefore: 4), summary: "flag new-cart moved to 50%")
        let flip = SuspectCandidate(
            kind: .killSwitch, reference: "switch/cart", service: nil, time: at(minutesBefore: 4), summary: "switch cart turned off",
            rollback: .flipSwitch(name: "cart", to: true))
        let (ranked, _) = SuspectRanking().rank([flip, flag, ai], service: "checkout", start: start, graph: graph)
        #expect(ranked.map(\.candidate.reference) == ["rollout/42", "rollout/43", "switch/cart"])
        #expect(
            ranked[0].explanation
                == "rollout 42 of checkout v2.3.1 reached 25% 4 minutes before the incident began; on checkout itself; "
                + "AI-assisted change 17 (risk 68, high); analysis inconclusive twice")
        let product = ranked[0].terms.reduce(1.0) { $0 * $1.factor }
        #expect(
            abs(product - ranked[0].score) < 1e-12
                && ranked[0].terms.map(\.name) == ["time", "reach", "kind", "risk", "provenance", "doubts"])
        #expect(ranked[2].explanation.contains("not tied to one service"))
    }

    @Test func tiesGoToTheLatestThenTheReference() {
        let (ranked, _) = SuspectRanking().rank(
            [
                rollout(9, "checkout", minutesBefore: 10, inProgress: true), rollout(8, "checkout", minutesBefore: 5, inProgress: true),
                rollout(7, "checkout", minutesBefore: 5, inProgress: true),
            ],
            service: "checkout", start: start, graph: graph)
        #expect(ranked.map(\.candidate.reference) == ["rollout/7", "rollout/8", "rollout/9"])
    }

    @Test func withoutAServiceEverythingIsRankedAtReduced() {
        let (ranked, unrelated) = SuspectRanking().rank([rollout(1, "search", minutesBefore: 3)], service: nil, start: start, graph: graph)
        #expect(ranked.count == 1 && unrelated.isEmpty && ranked[0].explanation.contains("the incident names no service"))
    }

    @Test func halvingMatchesTheExponential() {
        for hours in stride(from: 0.0, through: 12, by: 0.25) {
            let exact = 1 / Double(1 << Int(hours)) * SuspectRankingTests.twoToTheMinus(hours - Double(Int(hours)))
            #expect(abs(SuspectRanking.halving(hours * 3_600, every: 3_600) - exact) < 1e-3 * exact, "\(hours)")
        }
    }

    static func twoToTheMinus(_ x: Double) -> Double {
        // 2^-x for x in [0, 1) by many series terms.
        var term = 1.0
        var sum = 1.0
        let y = -x * 0.6931471805599453
        for n in 1..<30 {
            term *= y / Double(n)
            sum += term
        }
        return sum
    }
}
