import BlastwallCore
import CEL
import Testing

@testable import BlastwallControlPlane
@testable import BlastwallDashboard

/// The DORA page from figures: a chart per key and split, each bar with its band and counts, "no data" apart.
@Suite struct DORAPageTests {
    static func deployment(_ number: Int, provenance: String, tier: Int, failed: Bool) -> DORADeployment {
        let finished = Timestamp(rfc3339: "2026-12-0\(1 + number % 8)T12:00:00Z")!
        return DORADeployment(
            reference: "rollout/\(number)", service: "svc-\(number)", tier: tier, provenance: provenance, finishedAt: finished,
            firstCommitAt: Timestamp(nanoseconds: finished.nanoseconds - 7_200_000_000_000), failed: failed,
            recoverySeconds: failed ? 1_800 : nil)
    }

    @Test func eachKeyIsAChartWithItsBandAndCounts() {
        let deployments = [
            Self.deployment(1, provenance: "human", tier: 1, failed: false), Self.deployment(2, provenance: "human", tier: 2, failed: true),
            Self.deployment(3, provenance: "ai-assisted", tier: 1, failed: false),
        ]
        func view(_ split: DORAMetrics.Split) -> ControlPlane.DORAView {
            ControlPlane.DORAView(
                since: "2026-11-24T00:00:00.000Z", days: 7, figures: DORAMetrics.figures(deployments, days: 7, by: split), confirmed: 2,
                causeRankedFirst: 1, meanCauseRank: 1.5)
        }
        let page = DORAPage(byProvenance: view(.provenance), byTier: view(.tier), days: 7)
        let html = DashboardRenderer().page("dora", title: "DORA", view: page.view, chrome: nil)
        #expect(html.contains("Deployment frequency, by provenance") && html.contains("Change failure rate, by tier"))
        // 3 deployments in 7 days; the human ones failed one in two, restored in half an hour; lead time 2 h.
        #expect(html.contains(">0.43 per day (high, 3 deployments)</text>"))
        #expect(html.contains(">50% (low, 1 of 2)</text>") && html.contains(">0.5 h (elite, of 1)</text>"))
        #expect(html.contains(">2 h (elite, of 3)</text>"))
        #expect(html.contains(">tier 1</text>") && html.contains(">ai-assisted</text>"))
        // The AI-assisted work never failed: no recovery to measure, which is not a zero.
        #expect(html.contains(">no data</text>"))
        #expect(html.contains("Of 2 incidents with a confirmed cause, 1 had it ranked first; its mean rank was 1.5."))
        #expect(!html.contains("No deployment finished in this window."))
    }
}
