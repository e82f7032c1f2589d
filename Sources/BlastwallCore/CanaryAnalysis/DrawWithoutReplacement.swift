import Foundation

/// log E[∏ wᵢ] over `draws` items drawn without replacement from a pool in which `counts[b]` items carry the
/// weight exp(`logWeights[b]`): the exact normalizer of a permutation test's likelihood ratio.
///
/// It is the coefficient of xⁿ in ∏ (q + p·w·x)^c over the buckets, divided by the binomial probability of n,
/// with p = n/N: drawing each item on its own with probability p and keeping only the outcomes with exactly n
/// drawn is drawing n without replacement. Coefficients are rescaled after every bucket, so no count overflows.
/// Returns nil when that would take more than `maximumWork` multiplications; callers then use a bound.
func logExpectedProductWithoutReplacement(
    draws: Int, counts: [Int], logWeights: [Double], maximumWork: Int = 1_000_000
) -> Double? {
    let total = counts.reduce(0, +)
    precondition(draws >= 0 && draws <= total, "cannot draw more items than the pool holds")
    if draws == 0 { return 0 }
    if draws == total { return zip(counts, logWeights).reduce(0.0) { $0 + Double($1.0) * $1.1 } }
    let work = counts.reduce(0) { $0 + min($1, draws) } * (draws + 1)
    guard work <= maximumWork else { return nil }
    let p = Double(draws) / Double(total)
    let logP = log(p)
    let logQ = log1p(-p)
    var coefficients = [Double](repeating: 0, count: draws + 1)
    coefficients[0] = 1
    var logScale = 0.0
    var terms = [Double](repeating: 0, count: draws + 1)
    for (count, logWeight) in zip(counts, logWeights) where count > 0 {
        // terms[j] = C(count, j)·(p·w)^j·q^(count−j), in logs, then relative to the largest.
        let highest = min(count, draws)
        var logTerm = Double(count) * logQ
        var largest = -Double.infinity
        for j in 0...highest {
            terms[j] = logTerm
            largest = max(largest, logTerm)
            logTerm += log(Double(count - j)) - log(Double(j + 1)) + logP + logWeight - logQ
        }
        for j in 0...highest { terms[j] = exp(terms[j] - largest) }
        logScale += largest
        var peak = 0.0
        for k in stride(from: draws, through: 0, by: -1) {
            var sum = 0.0
            for j in 0...min(highest, k) { sum += coefficients[k - j] * terms[j] }
            coefficients[k] = sum
            peak = max(peak, sum)
        }
        guard peak > 0 else { return nil }
        for k in 0...draws { coefficients[k] /= peak }
        logScale += log(peak)
    }
    let logBinomialProbability = logBinomial(total, draws) + Double(draws) * logP + Double(total - draws) * logQ
    return log(coefficients[draws]) + logScale - logBinomialProbability
}
