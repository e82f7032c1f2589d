import CEL
import Testing

@testable import BlastwallCore

/// The four keys against hand-computed figures, split by provenance, with their bands.
@Suite struct DORAMetricsTests {
    static func at(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    static let deployments = [
        // Human: 3 deployments, lead times 2 h, 4 h, 30 h; one rolled back, restored in 30 minutes.
        DORADeployment(
            reference: "rollout/1", service: "checkout", tier: 1, provenance: "human", finishedAt: at("2026-11-02T12:00:00Z"),
            firstCommitAt: at("2026-11-02T10:00:00Z"), failed: false, recoverySeconds: nil),
        DORADeployment(
            reference: "rollout/2", service: "checkout", tier: 1, provenance: "human", finishedAt: at("2026-11-03T12:00:00Z"),
            firstCommitAt: at("2026-11-03T08:00:00Z"), failed: true, recoverySeconds: 1_800),
        DORADeployment(
            reference: "rollout/3", service: "search", tier: 3, provenance: "human", finishedAt: at("2026-11-05T12:00:00Z"),
            firstCommitAt: at("2026-11-04T06:00:00Z"), failed: false, recoverySeconds: nil),
        // AI-assisted: 2 deployments, lead times 1 h and unknown; both failed, restored in 2 h and 6 h.
        DORADeployment(
            reference: "rollout/4", service: "checkout", tier: 1, provenance: "ai-assisted", finishedAt: at("2026-11-06T12:00:00Z"),
            firstCommitAt: at("2026-11-06T11:00:00Z"), failed: true, recoverySeconds: 7_200),
        DORADeployment(
            reference: "rollout/5", service: "search", tier: 3, provenance: "ai-assisted", finishedAt: at("2026-11-07T12:00:00Z"),
            firstCommitAt: nil, failed: true, recoverySeconds: 21_600),
    ]

    @Test func byProvenanceTheFiguresAreTheHandComputedOnes() throws {
        let figures = DORAMetrics.figures(Self.deployments, days: 10, by: .provenance)
        #expect(figures.map(\.group) == ["all", "ai-assisted", "human"])
        let all = figures[0]
        #expect(all.deployments == 5 && all.perDay == 0.5 && all.frequencyBand == .high)
        #expect(all.leadTimeMedianHours == 3 && all.leadTimeCount == 4, "median of 1, 2, 4, 30 hours")
        #expect(all.failed == 3 && all.changeFailureRate == 0.6 && all.changeFailureBand == .low)
        #expect(all.recoveryMedianHours == 2 && all.recoveryBand == .high, "median of 0.5, 2, 6 hours")
        let human = figures[2]
        #expect(human.deployments == 3 && abs(human.changeFailureRate! - 1.0 / 3) < 1e-9 && human.leadTimeMedianHours == 4)
        #expect(human.recoveryMedianHours == 0.5 && human.recoveryBand == .elite && human.leadTimeBand == .elite)
        let ai = figures[1]
        #expect(ai.deployments == 2 && ai.changeFailureRate == 1 && ai.leadTimeMedianHours == 1 && ai.leadTimeCount == 1)
        #expect(ai.recoveryMedianHours == 4)
    }

    @Test func byTierAndServiceAndTheBandsAtTheirEdges() {
        #expect(DORAMetrics.figures(Self.deployments, days: 10, by: .tier).map(\.group) == ["all", "tier 1", "tier 3"])
        #expect(DORAMetrics.figures(Self.deployments, days: 10, by: .service).map(\.deployments) == [5, 3, 2])
        let none = DORAMetrics.figures([], days: 90, by: .provenance)[0]
        #expect(none.deployments == 0 && none.changeFailureRate == nil && none.frequencyBand == .low && none.leadTimeBand == nil)
        func figures(perDay: Double, rate: Double?) -> DORAFigures {
            DORAFigures(
                group: "g", deployments: 1, perDay: perDay, leadTimeMedianHours: nil, leadTimeCount: 0, failed: 0, changeFailureRate: rate,
                recoveryMedianHours: nil, recoveryCount: 0)
        }
        #expect(figures(perDay: 1, rate: 0.05).frequencyBand == .elite && figures(perDay: 1, rate: 0.05).changeFailureBand == .elite)
        #expect(figures(perDay: 1.0 / 7, rate: 0.1).frequencyBand == .high && figures(perDay: 0.1, rate: 0.15).frequencyBand == .medium)
        #expect(figures(perDay: 0.01, rate: 0.16).frequencyBand == .low && figures(perDay: 0.01, rate: 0.16).changeFailureBand == .low)
    }
}
