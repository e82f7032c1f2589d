import Foundation

/// SplitMix64: fast, seedable, and good enough for simulation; every run is reproducible from its seed.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on (0, 1).
    public mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992 }

    public mutating func standardNormal() -> Double {
        sqrt(-2 * log(uniform())) * cos(2 * .pi * uniform())
    }

    /// Poisson by multiplication for small means, by Hörmann's PTRS (transformed rejection) for large ones.
    public mutating func poisson(_ mean: Double) -> Int {
        if mean <= 0 { return 0 }
        if mean < 10 {
            let limit = exp(-mean)
            var product = uniform()
            var count = 0
            while product > limit {
                product *= uniform()
                count += 1
            }
            return count
        }
        let slam = sqrt(mean)
        let loglam = log(mean)
        let b = 0.931 + 2.53 * slam
        let a = -0.059 + 0.02483 * b
        let invalpha = 1.1239 + 1.1328 / (b - 3.4)
        let vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = uniform() - 0.5
            let v = uniform()
            let us = 0.5 - abs(u)
            let k = floor((2 * a / us + b) * u + mean + 0.43)
            if us >= 0.07 && v <= vr { return Int(k) }
            if k < 0 || (us < 0.013 && v > us) { continue }
            if log(v) + log(invalpha) - log(a / (us * us) + b) <= -mean + k * loglam - lgamma(k + 1) {
                return Int(k)
            }
        }
    }

    /// Binomial by inversion; quick while n·p is small, as error counts per tick are.
    public mutating func binomial(_ trials: Int, _ probability: Double) -> Int {
        if trials == 0 || probability <= 0 { return 0 }
        if probability >= 1 { return trials }
        let q = 1 - probability
        let s = probability / q
        let a = Double(trials + 1) * s
        var r = pow(q, Double(trials))
        var u = uniform()
        var x = 0
        while u > r {
            u -= r
            x += 1
            if x > trials { return trials }
            r *= a / Double(x) - s
        }
        return x
    }

    /// A request latency in ms, log-normal with the given median and log-scale spread.
    public mutating func latency(medianMs: Double, sigma: Double) -> Double {
        medianMs * exp(sigma * standardNormal())
    }
}
