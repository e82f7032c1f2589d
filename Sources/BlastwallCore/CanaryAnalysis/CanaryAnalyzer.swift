/// Judges a canary against its baseline tick by tick. Pure: it is fed cumulative counts and returns a
/// verdict with its evidence, so the controller, `analysis replay` and the benchmark share the same code.
public struct CanaryAnalyzer: Sendable, Equatable, Codable {
    public let settings: AnalysisSettings
    private var errorTest: SequentialProportionTest
    private var latencyTest: SequentialProportionTest
    /// The boundary each latency arm compared at last, in ms.
    private var latencyBoundariesMs: [Double?]
    private var previousCanary: VersionCounts?
    private var previousBaseline: VersionCounts?
    /// Increases not yet compared: a tick only compares once both versions have new requests, because
    /// scrapes of the two versions land at different moments and a tick often sees only one of them move.
    private var pendingCanary = VersionCounts.zero
    private var pendingBaseline = VersionCounts.zero
    /// Totals since the analysis began (counter resets folded in).
    private var canaryTotal = VersionCounts(requests: 0, errors: 0)
    private var baselineTotal = VersionCounts(requests: 0, errors: 0)
    private var baselineLatencyTotal: LatencyHistogram?
    /// The canary's increases over the last SLO window, oldest first.
    private var window: [WindowEntry] = []

    private struct WindowEntry: Sendable, Equatable, Codable {
        var time: Double
        var increase: VersionCounts
    }
    private var failure: AnalysisResult?

    public init(settings: AnalysisSettings) {
        self.settings = settings
        errorTest = SequentialProportionTest(alpha: settings.alphaPerTest)
        latencyTest = SequentialProportionTest(alpha: settings.alphaPerTest, arms: max(settings.latencyQuantiles.count, 1))
        latencyBoundariesMs = settings.latencyQuantiles.map { _ in nil }
    }

    /// Takes one tick's observation. Once failed, the analysis stays failed.
    public mutating func observe(_ observation: Observation) -> AnalysisResult {
        if let failure { return failure }
        guard let canary = observation.canary, let baseline = observation.baseline else {
            let missing = observation.canary == nil ? "canary" : "baseline"
            return result(.inconclusive, "no metrics for the \(missing) at this tick", at: observation.time, slo: sloChecks())
        }
        let canaryIncrease = canary.increase(since: previousCanary)
        let baselineIncrease = baseline.increase(since: previousBaseline)
        previousCanary = canary
        previousBaseline = baseline
        fold(canaryIncrease, into: &canaryTotal)
        fold(baselineIncrease, into: &baselineTotal)

        pendingCanary = pendingCanary.adding(canaryIncrease)
        pendingBaseline = pendingBaseline.adding(baselineIncrease)
        // Whether to compare now depends on request counts only, never on errors, so it spends none of α.
        if pendingCanary.requests > 0, pendingBaseline.requests > 0 {
            if settings.compareErrors {
                errorTest.update(
                    canaryEvents: pendingCanary.errors, canaryTrials: pendingCanary.requests,
                    baselineEvents: pendingBaseline.errors, baselineTrials: pendingBaseline.requests)
            }
            if !settings.latencyQuantiles.isEmpty {
                updateLatencyTest(canary: pendingCanary.latency, baseline: pendingBaseline.latency)
            }
            pendingCanary = .zero
            pendingBaseline = .zero
        }
        slide(window: observation.time, adding: canaryIncrease)

        let time = observation.time
        let slo = sloChecks()
        func fail(_ reason: String) -> AnalysisResult {
            let failed = result(.fail, reason, at: time, slo: slo)
            failure = failed
            return failed
        }
        if settings.compareErrors, errorTest.rejectsNull {
            return fail("the canary's error rate is \(ratioText(errorTest.tallies[0].observedRatio))")
        }
        if !settings.latencyQuantiles.isEmpty, latencyTest.rejectsNull {
            let arm = latencyTest.strongestArm
            let share = ratioText(latencyTest.tallies[arm].observedRatio)
            let boundary = latencyBoundariesMs[arm].map { "\(decimalText($0)) ms" } ?? "the baseline's quantile"
            return fail("the canary's share of requests slower than \(boundary) is \(share)")
        }
        if let broken = slo.first(where: \.broken) {
            return fail("\(broken.name) is \(decimalText(broken.value)), above its limit of \(decimalText(broken.limit))")
        }
        if canaryIncrease.requests == 0 {
            return result(.inconclusive, "the canary served no requests since the last tick", at: time, slo: slo)
        }
        if canaryTotal.requests < settings.minimumCanaryRequests {
            let needed = settings.minimumCanaryRequests
            return result(.inconclusive, "\(canaryTotal.requests) of the \(needed) canary requests needed so far", at: time, slo: slo)
        }
        return result(.pass, "no regression found in \(canaryTotal.requests) canary requests", at: time, slo: slo)
    }

    private func fold(_ increase: VersionCounts, into total: inout VersionCounts) {
        total.requests += increase.requests
        total.errors += increase.errors
    }

    /// Compares the fractions of requests slower than the baseline's quantiles. Each boundary is read from
    /// the baseline's earlier requests together with this tick's requests of both versions pooled: a choice
    /// that does not depend on which version served which request in this tick, so given it the canary's
    /// count is still hypergeometric when the versions are alike, and choosing it spends none of α.
    private mutating func updateLatencyTest(canary: LatencyHistogram?, baseline: LatencyHistogram?) {
        guard let canary, let baseline, canary.boundariesMs == baseline.boundariesMs else { return }
        let pooled = canary.adding(baseline)
        let history = baselineLatencyTotal.flatMap { $0.boundariesMs == pooled.boundariesMs ? $0 : nil }
        let reference = history?.adding(pooled) ?? pooled
        for (arm, quantile) in settings.latencyQuantiles.enumerated() {
            guard let index = boundaryIndex(in: reference, quantile: quantile) else { continue }
            latencyBoundariesMs[arm] = reference.boundariesMs[index]
            latencyTest.update(
                arm: arm,
                canaryEvents: canary.slower(thanBoundaryAt: index), canaryTrials: canary.total,
                baselineEvents: baseline.slower(thanBoundaryAt: index), baselineTrials: baseline.total)
        }
        baselineLatencyTotal = history?.adding(baseline) ?? baseline
    }

    /// The smallest boundary exceeded by at most `1 − quantile` of the reference's requests, once there are
    /// enough of them (ten expected above it) for that to mean something.
    private func boundaryIndex(in histogram: LatencyHistogram, quantile: Double) -> Int? {
        let tail = 1 - quantile
        guard Double(histogram.total) * tail >= 10 else { return nil }
        return histogram.boundariesMs.indices.first {
            Double(histogram.slower(thanBoundaryAt: $0)) <= tail * Double(histogram.total)
        }
    }

    private mutating func slide(window now: Double, adding increase: VersionCounts) {
        window.append(WindowEntry(time: now, increase: increase))
        window.removeAll { now - $0.time >= settings.sloWindowSeconds }
    }

    /// The SLO limits over the last window, once the window holds enough canary requests.
    func sloChecks() -> [SLOCheck] {
        guard settings.maxErrorRatio != nil || settings.maxP99Ms != nil else { return [] }
        var requests = 0
        var errors = 0
        var latency: LatencyHistogram?
        for entry in window {
            requests += entry.increase.requests
            errors += entry.increase.errors
            if let slice = entry.increase.latency {
                latency = latency.map { $0.adding(slice) } ?? slice
            }
        }
        guard requests >= settings.minimumCanaryRequests else { return [] }
        var checks: [SLOCheck] = []
        if let limit = settings.maxErrorRatio {
            checks.append(SLOCheck(name: "error_ratio", value: Double(errors) / Double(requests), limit: limit))
        }
        if let limit = settings.maxP99Ms, let latency, latency.total >= settings.minimumCanaryRequests, let p99 = latency.quantile(0.99) {
            checks.append(SLOCheck(name: "p99_ms", value: p99, limit: limit))
        }
        return checks
    }

    private func result(_ verdict: Verdict, _ reason: String, at time: Double, slo: [SLOCheck]) -> AnalysisResult {
        AnalysisResult(verdict: verdict, reason: reason, evidence: evidence(at: time, slo: slo))
    }

    private func evidence(at time: Double, slo: [SLOCheck]) -> AnalysisEvidence {
        // The latency arm with the most evidence, once any arm has compared.
        let comparedLatency = !settings.latencyQuantiles.isEmpty && latencyBoundariesMs.contains { $0 != nil }
        let arm = latencyTest.strongestArm
        return AnalysisEvidence(
            time: time, canary: canaryTotal, baseline: baselineTotal,
            errors: settings.compareErrors ? errorTest.evidence() : nil,
            latency: comparedLatency ? latencyTest.evidence(arm: arm) : nil,
            latencyBoundaryMs: comparedLatency ? latencyBoundariesMs[arm] : nil,
            slo: slo)
    }

    private func ratioText(_ ratio: Double?) -> String {
        guard let ratio, ratio.isFinite else { return "above the baseline's, which had none" }
        return "\(decimalText(ratio))× the baseline's"
    }
}

extension SequentialProportionTest {
    func evidence(arm: Int = 0) -> TestEvidence {
        let tally = tallies[arm]
        return TestEvidence(
            canaryEvents: tally.canaryEvents, canaryRequests: tally.canaryTrials, baselineEvents: tally.baselineEvents,
            baselineRequests: tally.baselineTrials, observedRatio: tally.observedRatio, logEvidence: logEvidence,
            logThreshold: logThreshold, alpha: alpha)
    }
}
