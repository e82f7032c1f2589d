import Foundation

/// An anytime-valid, one-sided test that the canary's requests are no slower than the baseline's, read from
/// latency histograms (Prometheus buckets, or samples recorded on fine buckets) and checked as often as data arrives.
///
/// Every request gets a normal score: the standard normal quantile of its bucket's middle rank among the
/// baseline's requests so far and this tick's requests of both versions. For log-normal latencies that is
/// close to the request's standardized log latency, the very statistic the best test for a slowdown uses.
/// The scores depend on the tick's requests pooled, never on which version served which, so when the versions
/// are alike the canary's share of them is a random draw from the pool, and for each λ the factor
/// exp(λ·S) / E[exp(λ·S)] — S the canary's score sum, the expectation over every draw of n requests from the
/// pool — has expectation 1. When that expectation would take too long to compute exactly (huge ticks), the
/// pool's mean of exp(λ·score) to the n-th power stands in: drawing without replacement concentrates at least
/// as much as drawing with it (Hoeffding), so the factor then has expectation at most 1.
/// The products over ticks, averaged over λ on a small grid, form a nonnegative supermartingale from 1, so
/// by Ville's inequality it ever reaches 1/α with probability at most α, however often it is looked at.
/// λ is the slowdown, in standard deviations of the baseline's log latency, that each term is tuned to.
public struct LatencyShiftTest: Sendable, Equatable, Codable {
    /// Slowdowns the mixture weighs, in standard deviations: ×1.13, ×1.28 and ×1.65 for a service whose log
    /// latency spreads by 0.5. Larger slowdowns are found by all of them; the grid shapes how fast, never
    /// whether α holds; Benchmarks/canary-analysis measures how fast (docs/analysis.md).
    public static let defaultShifts: [Double] = [0.25, 0.5, 1]

    public let alpha: Double
    public let shifts: [Double]
    private var logLikelihoodRatios: [Double]
    /// What was compared, bucket by bucket: the baseline's is also the history scores are read against.
    public private(set) var canary: LatencyHistogram?
    public private(set) var baseline: LatencyHistogram?
    private var canaryScoreSum = 0.0
    private var baselineScoreSum = 0.0

    public init(alpha: Double, shifts: [Double] = Self.defaultShifts) {
        precondition(alpha > 0 && alpha < 1, "alpha is a probability")
        precondition(!shifts.isEmpty && shifts.allSatisfy { $0 > 0 }, "alternatives lie above no slowdown")
        self.alpha = alpha
        self.shifts = shifts
        logLikelihoodRatios = shifts.map { _ in 0 }
    }

    /// Adds one tick's newly timed requests of both versions; histograms over other boundaries are ignored.
    public mutating func update(canary tickCanary: LatencyHistogram, baseline tickBaseline: LatencyHistogram) {
        guard tickCanary.total > 0, tickBaseline.total > 0, tickCanary.boundariesMs == tickBaseline.boundariesMs,
            baseline.map({ $0.boundariesMs == tickCanary.boundariesMs }) ?? true
        else { return }
        let pooled = tickCanary.adding(tickBaseline)
        let scores = Self.normalScores(of: baseline.map { $0.adding(pooled) } ?? pooled)
        let canaryCounts = tickCanary.bucketCounts
        let pooledCounts = pooled.bucketCounts
        let canaryScore = zip(canaryCounts, scores).reduce(0.0) { $0 + Double($1.0) * $1.1 }
        let pooledScore = zip(pooledCounts, scores).reduce(0.0) { $0 + Double($1.0) * $1.1 }
        let n = Double(tickCanary.total)
        let logPooled = log(Double(pooled.total))
        // The pool's occupied buckets, as (log count, score): what log M(λ) sums over for every λ.
        let occupied = zip(pooledCounts, scores).compactMap { $0.0 > 0 ? (log(Double($0.0)), $0.1) : nil }
        for (index, lambda) in shifts.enumerated() {
            // log M(λ): the pool's mean of exp(λ·score), summed stably; n·log M is Hoeffding's bound.
            let logM = logSumExp(occupied.map { $0.0 + lambda * $0.1 }) - logPooled
            // The exact normalizer relative to that bound (≤ 0), with weights centred on M to stay near 1.
            let belowBound = logExpectedProductWithoutReplacement(
                draws: tickCanary.total, counts: pooledCounts, logWeights: scores.map { lambda * $0 - logM })
            logLikelihoodRatios[index] += lambda * canaryScore - n * logM - (belowBound ?? 0)
        }
        canaryScoreSum += canaryScore
        baselineScoreSum += pooledScore - canaryScore
        canary = canary.map { $0.adding(tickCanary) } ?? tickCanary
        baseline = baseline.map { $0.adding(tickBaseline) } ?? tickBaseline
    }

    /// The standard normal quantile of each bucket's middle rank in `reference` (0 for empty buckets).
    static func normalScores(of reference: LatencyHistogram) -> [Double] {
        let total = Double(reference.total)
        var below = 0.0
        return reference.bucketCounts.map { count in
            defer { below += Double(count) }
            return count > 0 ? standardNormalQuantile((below + Double(count) / 2) / total) : 0
        }
    }

    /// The log of the e-value: the mixture likelihood ratio against "the canary is no slower".
    public var logEvidence: Double {
        logSumExp(logLikelihoodRatios) - log(Double(logLikelihoodRatios.count))
    }

    public var logThreshold: Double { -log(alpha) }

    public var rejectsNull: Bool { logEvidence >= logThreshold }

    /// How far the canary's requests sit above the baseline's on average, in standard deviations of the
    /// baseline's log latency; nil before any comparison.
    public var shift: Double? {
        guard let canary, let baseline, canary.total > 0, baseline.total > 0 else { return nil }
        return canaryScoreSum / Double(canary.total) - baselineScoreSum / Double(baseline.total)
    }
}
