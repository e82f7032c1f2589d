import Foundation

/// An anytime-valid, one-sided test that the canary returns errors no more often than the baseline, checked
/// as often as data arrives.
///
/// Each tick is a 2×2 table: canary and baseline requests, with and without an error. Given the table's
/// margins, the canary's event count is hypergeometric when both versions are alike, and Fisher's
/// noncentral hypergeometric with odds ratio ψ when the canary's odds are ψ times the baseline's. The test
/// multiplies, tick by tick, the likelihood ratio of each ψ on a grid against ψ = 1, and averages the
/// products with equal prior weights. When the canary is no worse, that average is a nonnegative
/// supermartingale starting at 1, so by Ville's inequality it ever reaches 1/α with probability at most α —
/// however often it is looked at and however the traffic split changes (a conditional, discrete-mixture
/// sequential probability ratio test, in the family of Lindon & Malek's anytime-valid count tests).
public struct SequentialProportionTest: Sendable, Equatable, Codable {
    /// Odds ratios the mixture weighs, about ×3.2 apart. Few points keep the mixture's price (log 3 on top of
    /// log 1/α) low; regressions between or beyond them are found too, only more slowly. The grid shapes how
    /// fast, never whether α holds; Benchmarks/canary-analysis measures how fast (docs/analysis.md).
    public static let defaultOddsRatios: [Double] = [2.5, 8, 30]

    /// What the test has seen over the ticks where both versions had requests.
    public struct Tally: Sendable, Equatable, Codable {
        public var canaryEvents = 0
        public var canaryTrials = 0
        public var baselineEvents = 0
        public var baselineTrials = 0
    }

    public let alpha: Double
    public let oddsRatios: [Double]
    private let logOddsRatios: [Double]
    /// One log likelihood ratio per odds ratio.
    private var logLikelihoodRatios: [Double]
    public private(set) var tally = Tally()

    public init(alpha: Double, oddsRatios: [Double] = Self.defaultOddsRatios) {
        precondition(alpha > 0 && alpha < 1, "alpha is a probability")
        precondition(!oddsRatios.isEmpty && oddsRatios.allSatisfy { $0 > 1 }, "alternatives lie above 1")
        self.alpha = alpha
        self.oddsRatios = oddsRatios
        logOddsRatios = oddsRatios.map { Foundation.log($0) }
        logLikelihoodRatios = Array(repeating: 0, count: oddsRatios.count)
    }

    /// Adds one tick's new requests and events of both versions.
    public mutating func update(canaryEvents x: Int, canaryTrials n: Int, baselineEvents y: Int, baselineTrials m: Int) {
        guard n > 0, m > 0, x >= 0, y >= 0, x <= n, y <= m else { return }
        tally.canaryEvents += x
        tally.canaryTrials += n
        tally.baselineEvents += y
        tally.baselineTrials += m
        let events = x + y
        guard events > 0, events < n + m else { return }  // a table with no variation says nothing
        // log of C(n, k)·C(m, events − k) for every possible canary count k.
        let lowest = max(0, events - m)
        let highest = min(n, events)
        let logWeights = (lowest...highest).map { k in logBinomial(n, k) + logBinomial(m, events - k) }
        let logNull = logSumExp(logWeights)
        for (index, logPsi) in logOddsRatios.enumerated() {
            let logAlternative = logSumExp(logWeights.enumerated().map { $1 + Double(lowest + $0) * logPsi })
            logLikelihoodRatios[index] += Double(x) * logPsi - logAlternative + logNull
        }
    }

    /// The log of the e-value: the mixture likelihood ratio against "the canary is no worse".
    public var logEvidence: Double {
        logSumExp(logLikelihoodRatios) - Foundation.log(Double(logLikelihoodRatios.count))
    }

    /// log(1/α): the evidence that rejects "the canary is no worse".
    public var logThreshold: Double { -Foundation.log(alpha) }

    public var rejectsNull: Bool { logEvidence >= logThreshold }
}

extension SequentialProportionTest.Tally {
    /// The canary's event rate over the baseline's; infinite when only the canary had events.
    public var observedRatio: Double? {
        guard canaryTrials > 0, baselineTrials > 0 else { return nil }
        let canaryRate = Double(canaryEvents) / Double(canaryTrials)
        let baselineRate = Double(baselineEvents) / Double(baselineTrials)
        if baselineRate == 0 { return canaryRate == 0 ? 1 : .infinity }
        return canaryRate / baselineRate
    }
}

/// log C(n, k).
func logBinomial(_ n: Int, _ k: Int) -> Double {
    lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
}

/// log Σ exp(values), without overflow.
func logSumExp(_ values: [Double]) -> Double {
    guard let largest = values.max(), largest.isFinite else { return values.max() ?? -.infinity }
    return largest + Foundation.log(values.reduce(0) { $0 + Foundation.exp($1 - largest) })
}
