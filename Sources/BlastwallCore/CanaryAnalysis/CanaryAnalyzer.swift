/// Judges a canary against its baseline tick by tick. Pure: it is fed cumulative counts and returns a
/// verdict with its evidence, so the controller, `analysis replay` and the benchmark share the same code.
public struct CanaryAnalyzer: Sendable, Equatable, Codable {
    /// As configured, except that the latency test is dropped at the first comparison when no latencies come.
    public private(set) var settings: AnalysisSettings
    private var errorTest: SequentialProportionTest
    private var latencyTest: LatencyShiftTest
    private var previousCanary: VersionCounts?
    private var previousBaseline: VersionCounts?
    /// Increases not yet compared: a tick only compares once both versions have new requests, because
    /// scrapes of the two versions land at different moments and a tick often sees only one of them move.
    private var pendingCanary = VersionCounts.zero
    private var pendingBaseline = VersionCounts.zero
    /// Totals since the analysis began (counter resets folded in).
    private var canaryTotal = VersionCounts(requests: 0, errors: 0)
    private var baselineTotal = VersionCounts(requests: 0, errors: 0)
    /// The canary's increases over the last SLO window, oldest first.
    private var window: [WindowEntry] = []

    private struct WindowEntry: Sendable, Equatable, Codable {
        var time: Double
        var increase: VersionCounts
    }
    private var failure: AnalysisResult?
    private var hasCompared = false

    public init(settings: AnalysisSettings) {
        self.settings = settings
        errorTest = SequentialProportionTest(alpha: settings.alphaPerTest)
        latencyTest = LatencyShiftTest(alpha: settings.alphaPerTest)
    }

    /// Counts from here on only: `reading` is what the provider said as the rollout began (a server's
    /// lifetime counters, an earlier rollout's traffic), which the first tick's increase is measured from.
    /// Without it the first observation counts in full, as a provider of counts since the rollout began gives.
    public mutating func start(from reading: (canary: VersionCounts, baseline: VersionCounts)) {
        guard previousCanary == nil, previousBaseline == nil else { return }
        previousCanary = reading.canary
        previousBaseline = reading.baseline
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
            if !hasCompared { settleLatencyTest() }
            if settings.compareErrors {
                errorTest.update(
                    canaryEvents: pendingCanary.errors, canaryTrials: pendingCanary.requests,
                    baselineEvents: pendingBaseline.errors, baselineTrials: pendingBaseline.requests)
            }
            if settings.compareLatency, let canaryLatency = pendingCanary.latency, let baselineLatency = pendingBaseline.latency {
                latencyTest.update(canary: canaryLatency, baseline: baselineLatency)
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
            return fail("the canary's error rate is \(ratioText(errorTest.tally.observedRatio))")
        }
        if settings.compareLatency, latencyTest.rejectsNull {
            return fail("the canary is slower: \(slowdownText(latencyTest.evidence()))")
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

    /// Whether latencies come at all (pushes without them, a replay file without samples) is known at the
    /// first comparison and says nothing about how the versions behave, so deciding then spends none of α:
    /// without them there is no latency test and the error test gets all of α.
    private mutating func settleLatencyTest() {
        hasCompared = true
        guard settings.compareLatency, pendingCanary.latency == nil || pendingBaseline.latency == nil else { return }
        settings.compareLatency = false
        errorTest = SequentialProportionTest(alpha: settings.alphaPerTest)
    }

    private func fold(_ increase: VersionCounts, into total: inout VersionCounts) {
        total.requests += increase.requests
        total.errors += increase.errors
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
        AnalysisEvidence(
            time: time, canary: canaryTotal, baseline: baselineTotal,
            errors: settings.compareErrors ? errorTest.evidence() : nil,
            latency: settings.compareLatency ? latencyTest.evidence() : nil,
            slo: slo)
    }

    private func slowdownText(_ latency: LatencyEvidence?) -> String {
        guard let latency, let canary = latency.canaryMedianMs, let baseline = latency.baselineMedianMs, let shift = latency.shift else {
            return "its latencies sit above the baseline's"
        }
        return "median \(decimalText(canary)) ms against the baseline's \(decimalText(baseline)) ms, "
            + "\(decimalText(shift)) standard deviations above it"
    }

    private func ratioText(_ ratio: Double?) -> String {
        guard let ratio, ratio.isFinite else { return "above the baseline's, which had none" }
        return "\(decimalText(ratio))× the baseline's"
    }
}

extension LatencyShiftTest {
    /// Nil until both versions' latencies have been compared once.
    func evidence() -> LatencyEvidence? {
        guard let canary, let baseline else { return nil }
        return LatencyEvidence(
            canaryRequests: canary.total, baselineRequests: baseline.total, shift: shift, canaryMedianMs: canary.quantile(0.5),
            baselineMedianMs: baseline.quantile(0.5), logEvidence: logEvidence, logThreshold: logThreshold, alpha: alpha)
    }
}

extension SequentialProportionTest {
    func evidence() -> TestEvidence {
        return TestEvidence(
            canaryEvents: tally.canaryEvents, canaryRequests: tally.canaryTrials, baselineEvents: tally.baselineEvents,
            baselineRequests: tally.baselineTrials, observedRatio: tally.observedRatio, logEvidence: logEvidence,
            logThreshold: logThreshold, alpha: alpha)
    }
}
