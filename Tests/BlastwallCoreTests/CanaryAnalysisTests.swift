import BlastwallCore
import Foundation
import PropertyBased
import Testing
import TrafficSimulation

@Suite struct SequentialProportionTestTests {
    @Test func oneCanaryEventMatchesTheNoncentralHypergeometricRatio() {
        var test = SequentialProportionTest(alpha: 0.05, oddsRatios: [40])
        test.update(canaryEvents: 1, canaryTrials: 10, baselineEvents: 0, baselineTrials: 190)
        // Margins: 1 event among 200 requests. P_ψ(canary has it) = 10ψ / (190 + 10ψ); under ψ = 1, 10/200.
        let withRegression: Double = 400.0 / 590.0
        let withoutRegression: Double = 10.0 / 200.0
        let expected = withRegression / withoutRegression
        #expect(abs(test.logEvidence - log(expected)) < 1e-9)
        #expect(!test.rejectsNull)
    }

    /// Under the null hypothesis each tick's factor has expectation exactly 1, which is what makes the
    /// product a martingale and Ville's inequality apply.
    @Test(arguments: [(10, 190, 3), (20, 180, 50), (5, 5, 4), (1, 1000, 7)])
    func eachTickHasExpectationOneUnderTheNull(canary: Int, baseline: Int, events: Int) {
        let lowest = max(0, events - baseline)
        let highest = min(canary, events)
        let weights = (lowest...highest).map { k in exp(logChoose(canary, k) + logChoose(baseline, events - k)) }
        let total = weights.reduce(0, +)
        var expectation = 0.0
        for (offset, k) in (lowest...highest).enumerated() {
            var test = SequentialProportionTest(alpha: 0.05)
            test.update(canaryEvents: k, canaryTrials: canary, baselineEvents: events - k, baselineTrials: baseline)
            expectation += weights[offset] / total * exp(test.logEvidence)
        }
        #expect(abs(expectation - 1) < 1e-9)
    }

    @Test func ticksWithoutVariationOrWithoutBothVersionsAddNoEvidence() {
        var test = SequentialProportionTest(alpha: 0.05)
        test.update(canaryEvents: 0, canaryTrials: 10, baselineEvents: 0, baselineTrials: 190)
        test.update(canaryEvents: 10, canaryTrials: 10, baselineEvents: 190, baselineTrials: 190)
        test.update(canaryEvents: 3, canaryTrials: 3, baselineEvents: 0, baselineTrials: 0)
        #expect(test.logEvidence == 0)
        #expect(test.tally.canaryTrials == 20)
    }

    @Test func aGrossRegressionIsRejectedAndAnEqualOneIsNot() {
        var worse = SequentialProportionTest(alpha: 0.05)
        var equal = SequentialProportionTest(alpha: 0.05)
        for _ in 0..<5 {
            worse.update(canaryEvents: 2, canaryTrials: 10, baselineEvents: 1, baselineTrials: 190)
            equal.update(canaryEvents: 0, canaryTrials: 10, baselineEvents: 2, baselineTrials: 190)
        }
        #expect(worse.rejectsNull)
        #expect(worse.tally.observedRatio! > 30)
        #expect(!equal.rejectsNull)
    }

    /// The false-alarm guarantee, checked by simulation: 400 A/A runs of 10 minutes, each tick looked at.
    @Test func falseAlarmsStayWithinAlphaUnderContinuousMonitoring() {
        var random = SplitMix64(seed: 7)
        let scenario = Scenario(name: "A/A", canaryShare: 0.1, baselineErrorRate: 0.01, canaryErrorRate: 0.01)
        var alarms = 0
        for _ in 0..<400 {
            var test = SequentialProportionTest(alpha: 0.05)
            for _ in 0..<600 {
                let tick = random.tick(scenario)
                test.update(
                    canaryEvents: tick.canaryErrors, canaryTrials: tick.canaryRequests,
                    baselineEvents: tick.baselineErrors, baselineTrials: tick.baselineRequests)
                if test.rejectsNull { break }
            }
            if test.rejectsNull { alarms += 1 }
        }
        #expect(Double(alarms) / 400 <= 0.05)
    }

    private func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}

@Suite struct CanaryAnalyzerTests {
    func counts(_ requests: Int, _ errors: Int) -> VersionCounts { VersionCounts(requests: requests, errors: errors) }

    @Test func missingMetricsAreInconclusiveNeverAPass() {
        var analyzer = CanaryAnalyzer(settings: AnalysisSettings())
        let result = analyzer.observe(Observation(time: 1, canary: nil, baseline: counts(100, 0)))
        #expect(result.verdict == .inconclusive)
        #expect(result.reason.contains("canary"))
    }

    @Test func tooFewCanaryRequestsAreInconclusiveThenEnoughPass() {
        var analyzer = CanaryAnalyzer(settings: AnalysisSettings(minimumCanaryRequests: 50))
        let first = analyzer.observe(Observation(time: 1, canary: counts(30, 0), baseline: counts(570, 1)))
        #expect(first.verdict == .inconclusive)
        #expect(first.reason.contains("30 of the 50"))
        let second = analyzer.observe(Observation(time: 2, canary: counts(60, 0), baseline: counts(1140, 1)))
        #expect(second.verdict == .pass)
        #expect(second.evidence.canary.requests == 60)
        let idle = analyzer.observe(Observation(time: 3, canary: counts(60, 0), baseline: counts(1300, 1)))
        #expect(idle.verdict == .inconclusive)
    }

    @Test func aRegressionFailsWithItsEvidenceAndStaysFailed() throws {
        var analyzer = CanaryAnalyzer(settings: AnalysisSettings())
        var result = analyzer.observe(Observation(time: 0, canary: counts(0, 0), baseline: counts(0, 0)))
        for second in 1...30 where result.verdict != .fail {
            result = analyzer.observe(
                Observation(time: Double(second), canary: counts(10 * second, second), baseline: counts(190 * second, second / 5)))
        }
        #expect(result.verdict == .fail)
        #expect(result.reason.contains("error rate"))
        let errors = try #require(result.evidence.errors)
        #expect(errors.logEvidence >= errors.logThreshold)
        #expect(errors.alpha == 0.05)  // no latencies came, so no latency test: the error test holds all of α
        let later = analyzer.observe(Observation(time: 99, canary: counts(2000, 0), baseline: counts(38_000, 0)))
        #expect(later == result)
    }

    /// α is split between the two tests only when latencies come; that is settled at the first comparison,
    /// before any outcome is seen, and an analysis without latencies has no latency evidence.
    @Test func theErrorTestHasAllOfAlphaWhenNoLatenciesCome() throws {
        var timed = CanaryAnalyzer(settings: AnalysisSettings())
        var untimed = CanaryAnalyzer(settings: AnalysisSettings())
        for second in 1...3 {
            var canary = counts(10 * second, 0)
            var baseline = counts(190 * second, 0)
            canary.latency = LatencyHistogram(boundariesMs: [10, 100], cumulativeCounts: [2 * second, 9 * second], total: 10 * second)
            baseline.latency = LatencyHistogram(
                boundariesMs: [10, 100], cumulativeCounts: [40 * second, 170 * second], total: 190 * second)
            _ = timed.observe(Observation(time: Double(second), canary: canary, baseline: baseline))
            let last = untimed.observe(Observation(time: Double(second), canary: counts(10 * second, 0), baseline: counts(190 * second, 0)))
            #expect(last.evidence.errors?.alpha == 0.05 && last.evidence.latency == nil)
        }
        #expect(timed.settings.compareLatency && !untimed.settings.compareLatency)
        let evidence = timed.observe(Observation(time: 4, canary: counts(30, 1), baseline: counts(570, 0))).evidence
        #expect(evidence.errors?.alpha == 0.025 && evidence.latency?.alpha == 0.025)
    }

    /// Prometheus scrapes the two versions at different moments, so a tick often sees only one of them move:
    /// the increases wait until both have, then are compared together.
    @Test func ticksWhereOnlyOneVersionMovedAreComparedOnceBothHave() {
        var analyzer = CanaryAnalyzer(settings: AnalysisSettings(compareLatency: false))
        var canary = counts(0, 0)
        var baseline = counts(0, 0)
        var result: AnalysisResult?
        for second in 1...40 where result?.verdict != .fail {
            if second.isMultiple(of: 2) {
                canary = counts(canary.requests + 20, canary.errors + 2)
            } else {
                baseline = counts(baseline.requests + 380, baseline.errors + (second % 10 == 1 ? 1 : 0))
            }
            result = analyzer.observe(Observation(time: Double(second), canary: canary, baseline: baseline))
        }
        #expect(result?.verdict == .fail)
        #expect((result?.evidence.errors?.canaryEvents ?? 0) > 0)
        #expect((result?.evidence.time ?? 99) <= 12)
    }

    @Test func aCounterResetCountsFromZeroAgain() {
        var analyzer = CanaryAnalyzer(settings: AnalysisSettings(minimumCanaryRequests: 1))
        _ = analyzer.observe(Observation(time: 1, canary: counts(100, 0), baseline: counts(1000, 1)))
        let afterRestart = analyzer.observe(Observation(time: 2, canary: counts(5, 0), baseline: counts(1100, 1)))
        #expect(afterRestart.evidence.canary.requests == 105)
        #expect(afterRestart.evidence.baseline.requests == 1100)
    }

    /// A drill after a promotion: the baseline's server has counted 488,350 requests in its lifetime. Only what
    /// happens after the rollout began is evidence, so a 50× fault is seen as 50×, not diluted to 1.3×.
    @Test func countsBeforeTheRolloutBeganAreNotItsEvidence() {
        var analyzer = CanaryAnalyzer(settings: AnalysisSettings(minimumCanaryRequests: 100))
        analyzer.start(from: (canary: counts(900_000, 900), baseline: counts(488_350, 483)))
        var canary = counts(900_000, 900)
        var baseline = counts(488_350, 483)
        var result: AnalysisResult?
        for second in 1...10 {
            canary = counts(canary.requests + 50, canary.errors + (second % 2 == 0 ? 3 : 2))
            baseline = counts(baseline.requests + 950, baseline.errors + 1)
            result = analyzer.observe(Observation(time: Double(second), canary: canary, baseline: baseline))
        }
        // It failed at the first comparison, on that tick's counts alone.
        #expect(result?.verdict == .fail, "\(result?.reason ?? "")")
        #expect(
            result?.evidence.canary.requests == 50 && result?.evidence.baseline.requests == 950, "\(String(describing: result?.evidence))")
        let ratio = result?.evidence.errors?.observedRatio ?? 0
        #expect(ratio > 30, "the fault's own ratio, \(ratio)×, not the lifetime's 1×")
        // Without the start, the lifetime dilutes the same fault to nothing.
        var diluted = CanaryAnalyzer(settings: AnalysisSettings(minimumCanaryRequests: 100))
        let first = diluted.observe(Observation(time: 1, canary: counts(900_050, 902), baseline: counts(489_300, 484)))
        #expect(first.verdict != .fail && (first.evidence.errors?.observedRatio ?? 99) < 2)
    }

    @Test func anSLOBreachFailsOnTheWindow() {
        let settings = AnalysisSettings(compareErrors: false, compareLatency: false, maxErrorRatio: 0.02, minimumCanaryRequests: 50)
        var analyzer = CanaryAnalyzer(settings: settings)
        #expect(analyzer.observe(Observation(time: 1, canary: counts(40, 2), baseline: counts(400, 0))).verdict == .inconclusive)
        let result = analyzer.observe(Observation(time: 2, canary: counts(80, 4), baseline: counts(800, 0)))
        #expect(result.verdict == .fail)
        #expect(result.reason == "error_ratio is 0.05, above its limit of 0.02")
    }

    @Test func aSlowerCanaryFailsTheLatencyTest() throws {
        let boundaries = LatencyHistogram.sampleBoundariesMs
        var random = SplitMix64(seed: 11)
        var canary = VersionCounts(requests: 0, errors: 0, latency: LatencyHistogram(boundariesMs: boundaries))
        var baseline = canary
        var analyzer = CanaryAnalyzer(settings: AnalysisSettings())
        var result: AnalysisResult?
        for second in 1...60 {
            let tick = random.tick(Scenario(name: "slow", canaryShare: 0.1, latency: (50, 0.5, 1.5)))
            canary.requests += tick.canaryRequests
            baseline.requests += tick.baselineRequests
            canary.latency?.record(samplesMs: tick.canaryLatenciesMs)
            baseline.latency?.record(samplesMs: tick.baselineLatenciesMs)
            result = analyzer.observe(Observation(time: Double(second), canary: canary, baseline: baseline))
            if result?.verdict == .fail { break }
        }
        let failed = try #require(result)
        #expect(failed.verdict == .fail)
        #expect(failed.reason.contains("the canary is slower: median"), "\(failed.reason)")
        let latency = try #require(failed.evidence.latency)
        #expect(latency.logEvidence >= latency.logThreshold)
        // ×1.5 with log latencies spread by 0.5 is a shift of log(1.5) / 0.5 ≈ 0.81 standard deviations.
        // Found within the first ticks, so the estimates are rough.
        #expect((0.4...1.6).contains(latency.shift ?? 0), "\(latency)")
        #expect((latency.canaryMedianMs ?? 0) > 1.2 * (latency.baselineMedianMs ?? .infinity), "\(latency)")
    }
}

@Suite struct LatencyHistogramTests {
    @Test func quantilesInterpolateInsideTheirBucket() {
        let histogram = LatencyHistogram(boundariesMs: [10, 20, 40], cumulativeCounts: [50, 90, 100], total: 100)
        #expect(histogram.quantile(0.5) == 10)
        #expect(histogram.quantile(0.7) == 15)
        #expect(histogram.quantile(0.99) == 38)
        #expect(LatencyHistogram(boundariesMs: [10]).quantile(0.5) == nil)
    }

    /// Samples recorded on the fine default boundaries give quantiles within one bucket (5%) of the samples'.
    @Test func recordedQuantilesStayWithinABucketOfTheSamples() async {
        await propertyCheck(input: Gen.double(in: 0.5...5_000).array(of: 1...300)) { samples in
            var histogram = LatencyHistogram(boundariesMs: LatencyHistogram.sampleBoundariesMs)
            histogram.record(samplesMs: samples)
            #expect(histogram.total == samples.count)
            let sorted = samples.sorted()
            let exact = sorted[max(0, Int((0.9 * Double(samples.count)).rounded(.up)) - 1)]
            let estimate = histogram.quantile(0.9)!
            #expect(estimate <= exact * 1.05 + 1e-9)
            #expect(estimate >= exact / 1.05 - 1e-9)
        }
    }
}
