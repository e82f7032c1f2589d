import BlastwallCore
import BlastwallStorage
import CEL
import Foundation
import Testing

@testable import BlastwallDashboard

/// A rollout's charts from its stored ticks: per-tick error ratios from running totals, on the wall clock.
@Suite struct RolloutChartTests {
    static let start = 1_796_000_000.0

    static func rollout(phase: RolloutPhase, detectedAt: Double? = nil) throws -> RolloutRecord {
        let spec = try RolloutSpecParser.parse(
            """
            service: checkout
            version: v2
            stable: v1
            artifact: sha256:\(String(repeating: "a", count: 64))
            router: {type: flags, flag: checkout-v2}
            metrics: {provider: push}
            steps: [{weight: 10, duration: 1m}, {weight: 50, duration: 1m}]
            """, file: "test")
        var state = RolloutState()
        (state.phase, state.startedAt, state.stepStartedAt, state.detectedAt) = (phase, start, start, detectedAt)
        return RolloutRecord(
            id: 7, spec: spec, changeID: nil, drill: false, state: state, analyzer: CanaryAnalyzer(settings: spec.analysis),
            createdBy: "sam", createdAt: "2026-12-01T00:00:00.000Z", updatedAt: "2026-12-01T00:00:00.000Z")
    }

    /// Ticks every 10 s, the totals growing by 100 canary requests; errors from the fourth tick on.
    static func ticks(_ count: Int) -> [RolloutTick] {
        (1...count).map { number in
            let errors = max(0, number - 3) * 20
            return RolloutTick(
                tick: Int64(number), time: Timestamp(nanoseconds: Int128((start + Double(number) * 10) * 1e9))!.rfc3339, step: 0,
                canaryWeight: 10,
                result: AnalysisResult(
                    verdict: errors > 0 ? .fail : .pass, reason: "r\(number)",
                    // The analysis's own clock, which is not the wall's: the chart must not use it.
                    evidence: AnalysisEvidence(
                        time: Double(number), canary: VersionCounts(requests: 100 * number, errors: errors),
                        baseline: VersionCounts(requests: 1_000 * number, errors: 0))))
        }
    }

    @Test func eachTicksRatioIsOfTheRequestsItAdded() throws {
        let charts = RolloutCharts(rollout: try Self.rollout(phase: .progressing), ticks: Self.ticks(5))
        let canary = charts.tickRatios(\.canary)
        #expect(canary.map(\.x) == [10, 20, 30, 40, 50])
        #expect(canary.map(\.y) == [0, 0, 0, 20, 20])
        #expect(charts.timeUnit == "seconds since the rollout started")
    }

    @Test func theRolloutPageMarksItsStepItsRollbackAndItsCommands() throws {
        let running = RolloutPage(
            rollout: try Self.rollout(phase: .progressing), ticks: Self.ticks(5), now: Self.start + 55, csrf: "t", mayCommand: true)
        let view = running.view
        #expect(view["live"] as? Bool == true)
        let commands = (view["commands"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(commands == ["pause", "promote", "abort"])
        let charts = view["charts"] as? [[String: Any]] ?? []
        #expect(charts.count == 3, "no latency chart without latency evidence")
        #expect((view["ticks"] as? [[String: Any]])?.first?["verdict"] as? String == "fail", "newest tick first")

        let rolledBack = RolloutPage(
            rollout: try Self.rollout(phase: .rolledBack, detectedAt: Self.start + 45), ticks: Self.ticks(5), now: Self.start + 60,
            csrf: "t", mayCommand: true)
        #expect(rolledBack.view["live"] as? Bool == false)
        #expect((rolledBack.view["commands"] as? [[String: Any]])?.isEmpty == true)
        let svg = (rolledBack.view["charts"] as? [[String: Any]])?.first?["svg"] as? String ?? ""
        #expect(svg.contains(">rollback detected</text>"))
        let viewer = RolloutPage(
            rollout: try Self.rollout(phase: .progressing), ticks: [], now: Self.start, csrf: "t", mayCommand: false)
        #expect((viewer.view["commands"] as? [[String: Any]])?.isEmpty == true && viewer.view["hasCharts"] as? Bool == false)
    }

    @Test func longRolloutsAreDrawnInMinutes() throws {
        let charts = RolloutCharts(rollout: try Self.rollout(phase: .progressing), ticks: Self.ticks(90))
        #expect(charts.timeUnit == "minutes since the rollout started")
        #expect(charts.tickRatios(\.canary).last?.x == 15)
    }
}
