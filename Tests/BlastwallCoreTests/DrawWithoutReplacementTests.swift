import Foundation
import PropertyBased
import Testing

@testable import BlastwallCore

@Suite struct DrawWithoutReplacementTests {
    /// The generating-function recursion against the sum over every possible draw.
    @Test func matchesEveryDrawEnumerated() async {
        let counts = Gen.int(in: 0...6).array(of: 1...5)
        let weights = Gen.double(in: -2...2).array(of: 5)
        await propertyCheck(count: 500, input: counts, weights, Gen.int(in: 0...1000)) { counts, logWeights, pick in
            let total = counts.reduce(0, +)
            guard total > 0 else { return }
            let n = pick % (total + 1)
            var expected = 0.0
            for draw in LatencyShiftTestTests.draws(from: counts, taking: n) {
                expected += draw.probability * exp(zip(draw.canary, logWeights).reduce(0.0) { $0 + Double($1.0) * $1.1 })
            }
            let computed = logExpectedProductWithoutReplacement(
                draws: n, counts: counts, logWeights: Array(logWeights.prefix(counts.count)))
            #expect(abs((computed ?? .nan) - log(expected)) < 1e-9, "counts \(counts), n \(n)")
        }
    }

    /// Drawing without replacement concentrates more than with it (Hoeffding), so the exact value never exceeds
    /// n·log of the pool's mean weight, the bound the latency test used before.
    @Test func neverExceedsTheWithReplacementBound() async {
        await propertyCheck(
            count: 300, input: Gen.int(in: 0...40).array(of: 2...30), Gen.double(in: -3...3).array(of: 30), Gen.int(in: 1...1000)
        ) {
            counts, logWeights, pick in
            let total = counts.reduce(0, +)
            guard total > 1 else { return }
            let n = 1 + pick % total
            let weights = Array(logWeights.prefix(counts.count))
            let logMean = log(zip(counts, weights).reduce(0.0) { $0 + Double($1.0) * exp($1.1) } / Double(total))
            let exact = logExpectedProductWithoutReplacement(draws: n, counts: counts, logWeights: weights)
            #expect((exact ?? .infinity) <= Double(n) * logMean + 1e-9)
        }
    }

    /// Large pools stay finite: with every weight 1 the expectation is exactly 1, however many are drawn.
    @Test(arguments: [(2_000, [5_000, 12_000, 3_000]), (50, [40_000]), (999, Array(repeating: 10, count: 100))])
    func largePoolsNeitherOverflowNorUnderflow(draws: Int, counts: [Int]) throws {
        let value = try #require(
            logExpectedProductWithoutReplacement(
                draws: draws, counts: counts, logWeights: counts.map { _ in 0 }, maximumWork: 100_000_000))
        #expect(abs(value) < 1e-9)
    }

    @Test func tooMuchWorkIsDeclined() {
        #expect(logExpectedProductWithoutReplacement(draws: 500, counts: [10_000, 10_000], logWeights: [0, 1], maximumWork: 1_000) == nil)
    }
}
