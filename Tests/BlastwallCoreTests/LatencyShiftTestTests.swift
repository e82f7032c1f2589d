import Foundation
import PropertyBased
import Testing
import TrafficSimulation

@testable import BlastwallCore

@Suite struct LatencyShiftTestTests {
    static let boundaries: [Double] = [10, 20, 40]

    /// A tick's histogram from requests per bucket (the last one beyond 40 ms).
    static func histogram(_ buckets: [Int]) -> LatencyHistogram {
        var running = 0
        let cumulative = buckets.dropLast().map { count in
            running += count
            return running
        }
        return LatencyHistogram(boundariesMs: boundaries, cumulativeCounts: cumulative, total: buckets.reduce(0, +))
    }

    /// Every way the canary's n requests can be drawn from the pooled buckets, with its hypergeometric probability.
    static func draws(from pooled: [Int], taking n: Int) -> [(canary: [Int], probability: Double)] {
        func choose(_ n: Int, _ k: Int) -> Double { exp(lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))) }
        var results: [([Int], Double)] = []
        func walk(_ bucket: Int, _ left: Int, _ taken: [Int], _ weight: Double) {
            if bucket == pooled.count {
                if left == 0 { results.append((taken, weight)) }
                return
            }
            for k in 0...min(left, pooled[bucket]) { walk(bucket + 1, left - k, taken + [k], weight * choose(pooled[bucket], k)) }
        }
        walk(0, n, [], 1)
        let total = choose(pooled.reduce(0, +), n)
        return results.map { ($0.0, $0.1 / total) }
    }

    /// When the versions are alike the canary's requests are a random draw from the tick's pool, and then each
    /// tick's factor has expectation exactly 1 (normalized over every draw, not bounded): computed over them all.
    @Test(arguments: [([3, 2, 2, 1], 3), ([5, 0, 4, 3], 6), ([1, 1, 1, 1], 1), ([20, 10, 5, 2], 4), ([2, 0, 0, 7], 5)])
    func eachTickHasExpectationOneUnderTheNull(pooled: [Int], canary n: Int) {
        var expectation = 0.0
        for draw in Self.draws(from: pooled, taking: n) {
            var test = LatencyShiftTest(alpha: 0.05)
            let baseline = zip(pooled, draw.canary).map { $0 - $1 }
            test.update(canary: Self.histogram(draw.canary), baseline: Self.histogram(baseline))
            expectation += draw.probability * exp(test.logEvidence)
        }
        #expect(abs(expectation - 1) < 1e-9, "expectation \(expectation)")
    }

    /// The guarantee end to end: 300 A/A runs of two minutes at 10%, looked at every second, on the buckets
    /// a Prometheus histogram might have.
    @Test func falseAlarmsStayWithinAlphaUnderContinuousMonitoring() {
        let buckets: [Double] = [5, 10, 20, 30, 40, 50, 60, 75, 100, 150, 250, 500, 1000]
        var random = SplitMix64(seed: 17)
        let scenario = Scenario(name: "A/A", canaryShare: 0.1, latency: (50, 0.5, 1))
        var alarms = 0
        for _ in 0..<300 {
            var test = LatencyShiftTest(alpha: 0.05)
            for _ in 0..<120 where !test.rejectsNull {
                let tick = random.tick(scenario)
                var canary = LatencyHistogram(boundariesMs: buckets)
                var baseline = canary
                canary.record(samplesMs: tick.canaryLatenciesMs)
                baseline.record(samplesMs: tick.baselineLatenciesMs)
                test.update(canary: canary, baseline: baseline)
            }
            if test.rejectsNull { alarms += 1 }
        }
        #expect(Double(alarms) / 300 <= 0.05, "\(alarms) false alarms in 300 runs")
    }

    @Test func aFasterCanaryGivesNoEvidenceAndMismatchedBucketsAreIgnored() {
        var test = LatencyShiftTest(alpha: 0.05)
        for _ in 0..<20 { test.update(canary: Self.histogram([8, 2, 0, 0]), baseline: Self.histogram([40, 60, 60, 30])) }
        #expect(test.logEvidence < 0)
        #expect((test.shift ?? 0) < -0.5)
        let before = test
        test.update(canary: LatencyHistogram(boundariesMs: [5], cumulativeCounts: [1], total: 3), baseline: Self.histogram([1, 1, 1, 1]))
        test.update(canary: Self.histogram([0, 0, 0, 0]), baseline: Self.histogram([1, 1, 1, 1]))
        #expect(test == before)
    }

    @Test func bucketCountsSplitTheCumulativeCounts() {
        #expect(Self.histogram([3, 0, 2, 5]).bucketCounts == [3, 0, 2, 5])
    }
}

@Suite struct StandardNormalQuantileTests {
    @Test func knownValues() {
        #expect(standardNormalQuantile(0.5) == 0)
        #expect(abs(standardNormalQuantile(0.975) - 1.959963984540054) < 1e-12)
        #expect(abs(standardNormalQuantile(0.001) + 3.090232306167813) < 1e-11)
        #expect(abs(standardNormalQuantile(1e-10) + 6.361340902404056) < 1e-9)
    }

    /// Φ(Φ⁻¹(p)) = p, and the quantile is odd around ½ and increasing.
    @Test func invertsTheNormalDistribution() async {
        await propertyCheck(count: 2000, input: Gen.double(in: 1e-12...0.999_999)) { p in
            let x = standardNormalQuantile(p)
            #expect(abs(0.5 * erfc(-x / 2.0.squareRoot()) - p) <= 1e-12 + 1e-9 * p)
            #expect(abs(standardNormalQuantile(1 - p) + x) < 1e-6)
            #expect(standardNormalQuantile(min(p * 1.01, 0.999_999_9)) > x)
        }
    }
}
