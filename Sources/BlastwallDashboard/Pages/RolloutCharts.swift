import BlastwallCore
import BlastwallStorage
import CEL

/// A rollout's analysis drawn over time: canary against baseline error ratio and latency, the sequential
/// tests' evidence against the threshold that fails the canary, and the canary's weight, with the moments of
/// a rollback marked on each.
struct RolloutCharts {
    var rollout: RolloutRecord
    var ticks: [RolloutTick]

    /// When each tick was taken, in seconds since 1970 (the analysis's own clock is not the wall's).
    static func seconds(_ tick: RolloutTick) -> Double {
        Timestamp(rfc3339: tick.time).map { Double($0.nanoseconds) / 1e9 } ?? 0
    }

    /// Seconds since the rollout began; minutes on the axis once it runs longer than ten.
    var origin: Double { rollout.state.startedAt ?? ticks.first.map(Self.seconds) ?? 0 }
    var inMinutes: Bool { (ticks.last.map { offset(Self.seconds($0)) } ?? 0) > 600 }
    var timeUnit: String { inMinutes ? "minutes since the rollout started" : "seconds since the rollout started" }

    func offset(_ time: Double) -> Double { time - origin }
    func axis(_ time: Double) -> Double { inMinutes ? offset(time) / 60 : offset(time) }
    func label(_ seconds: Double) -> String { "+" + readableDuration(seconds) }

    var events: [LineChart.Event] {
        var events: [LineChart.Event] = []
        if let detected = rollout.state.detectedAt { events.append(.init(label: "rollback detected", x: axis(detected))) }
        if let recovered = rollout.state.recoveredAt { events.append(.init(label: "back on stable", x: axis(recovered))) }
        return events
    }

    var charts: [LineChart] {
        guard !ticks.isEmpty else { return [] }
        var charts = [errorRatio, evidence, weight]
        if let latency { charts.insert(latency, at: 1) }
        return charts
    }

    /// One point per tick that has a value.
    func points(_ value: (AnalysisEvidence) -> Double?) -> [(x: Double, y: Double)] {
        ticks.compactMap { tick in value(tick.result.evidence).map { (x: axis(Self.seconds(tick)), y: $0) } }
    }

    /// The error ratio of the requests each tick added (the evidence holds running totals), where it added any.
    func tickRatios(_ counts: (AnalysisEvidence) -> VersionCounts) -> [(x: Double, y: Double)] {
        var previous = VersionCounts.zero
        var points: [(x: Double, y: Double)] = []
        for tick in ticks {
            let total = counts(tick.result.evidence)
            let requests = total.requests - previous.requests
            if requests > 0 {
                points.append((x: axis(Self.seconds(tick)), y: Double(total.errors - previous.errors) / Double(requests) * 100))
            }
            previous = total
        }
        return points
    }

    var errorRatio: LineChart {
        LineChart(
            title: "Error ratio, canary against baseline", xUnit: timeUnit, yUnit: "errors in each tick (% of requests)",
            series: [
                .init(name: "canary \(rollout.spec.version)", points: tickRatios(\.canary)),
                .init(name: "baseline \(rollout.spec.stableVersion)", points: tickRatios(\.baseline)),
            ],
            events: events)
    }

    var latency: LineChart? {
        let canary = points { $0.latency?.canaryMedianMs }
        let baseline = points { $0.latency?.baselineMedianMs }
        guard !canary.isEmpty || !baseline.isEmpty else { return nil }
        return LineChart(
            title: "Median latency, canary against baseline", xUnit: timeUnit, yUnit: "median latency (ms)",
            series: [
                .init(name: "canary \(rollout.spec.version)", points: canary),
                .init(name: "baseline \(rollout.spec.stableVersion)", points: baseline),
            ],
            events: events)
    }

    /// The statistic each sequential test accumulates, and the level at which it fails the canary.
    var evidence: LineChart {
        let errors = points { $0.errors?.logEvidence }
        let latency = points { $0.latency?.logEvidence }
        var series = [LineChart.Series(name: "error test", points: errors)]
        if !latency.isEmpty { series.append(.init(name: "latency test", points: latency)) }
        var thresholds: [LineChart.Threshold] = []
        if let last = ticks.last?.result.evidence.errors {
            thresholds.append(
                .init(
                    label: "fails at log(1/α) = \(decimalText(last.logThreshold, places: 2)) (α = \(decimalText(last.alpha)))",
                    value: last.logThreshold))
        }
        return LineChart(
            title: "Evidence of a regression against the threshold", xUnit: timeUnit, yUnit: "log likelihood ratio",
            series: series, thresholds: thresholds, events: events)
    }

    var weight: LineChart {
        LineChart(
            title: "Canary weight", xUnit: timeUnit, yUnit: "canary weight (% of traffic)",
            series: [.init(name: "canary weight", points: ticks.map { (x: axis(Self.seconds($0)), y: Double($0.canaryWeight)) })],
            events: events)
    }
}
