import BlastwallCore
import Foundation
import TrafficSimulation

/// A way of deciding, second by second, whether to roll the canary back.
protocol Detector {
    /// True once the detector calls for a rollback.
    mutating func observe(second: Int, _ tick: Tick) -> Bool
}

/// Blastwall's own analysis through `AnalysisReplay`, as `blastwall analysis replay` runs it (the controller
/// runs the same `CanaryAnalyzer`): cumulative counts, and the latencies of each second.
struct BlastwallDetector: Detector {
    var replay: AnalysisReplay
    var total = Tick()
    let withLatency: Bool

    init(settings: AnalysisSettings, withLatency: Bool) {
        replay = AnalysisReplay(settings: settings, settingsFixed: true)
        self.withLatency = withLatency
    }

    mutating func observe(second: Int, _ tick: Tick) -> Bool {
        total.canaryRequests += tick.canaryRequests
        total.canaryErrors += tick.canaryErrors
        total.baselineRequests += tick.baselineRequests
        total.baselineErrors += tick.baselineErrors
        let line = AnalysisReplay.Tick(
            time: Double(second), canaryRequests: total.canaryRequests, canaryErrors: total.canaryErrors,
            baselineRequests: total.baselineRequests, baselineErrors: total.baselineErrors,
            canaryLatencyMs: withLatency ? tick.canaryLatenciesMs : nil, baselineLatencyMs: withLatency ? tick.baselineLatenciesMs : nil)
        return replay.feed(line).verdict == .fail
    }
}

/// Wald's SPRT that knows both true distributions: the fastest any test with the same α can be on average.
/// It needs no baseline data at all, since it knows the baseline.
struct OracleDetector: Detector {
    let scenario: Scenario
    let threshold: Double
    var logLikelihoodRatio = 0.0

    init(scenario: Scenario, alpha: Double) {
        self.scenario = scenario
        threshold = -log(alpha)
    }

    mutating func observe(second: Int, _ tick: Tick) -> Bool {
        let p0 = scenario.baselineErrorRate
        let p1 = scenario.canaryErrorRate
        if p1 != p0 {
            let failures = Double(tick.canaryErrors)
            let successes = Double(tick.canaryRequests - tick.canaryErrors)
            logLikelihoodRatio += failures * log(p1 / p0) + successes * log((1 - p1) / (1 - p0))
        }
        if let latency = scenario.latency, latency.canaryFactor != 1 {
            let mu0 = log(latency.medianMs)
            let mu1 = mu0 + log(latency.canaryFactor)
            let variance2 = 2 * latency.sigma * latency.sigma
            for sample in tick.canaryLatenciesMs {
                let z = log(sample)
                logLikelihoodRatio += ((z - mu0) * (z - mu0) - (z - mu1) * (z - mu1)) / variance2
            }
        }
        return logLikelihoodRatio >= threshold
    }
}

/// Flagger's analysis: every interval, the canary's last-interval error rate (or p99) against a fixed limit;
/// rolled back after `failedChecks` failed checks.
struct FlaggerDetector: Detector {
    var interval = 60
    var maxErrorRatio = 0.01
    var maxP99Ms: Double?
    var failedChecks = 1
    var failures = 0
    var requests = 0
    var errors = 0
    var latencies: [Double] = []

    mutating func observe(second: Int, _ tick: Tick) -> Bool {
        requests += tick.canaryRequests
        errors += tick.canaryErrors
        if maxP99Ms != nil { latencies += tick.canaryLatenciesMs }
        guard second % interval == 0 else { return false }
        defer {
            requests = 0
            errors = 0
            latencies.removeAll(keepingCapacity: true)
        }
        var failed = requests > 0 && Double(errors) / Double(requests) > maxErrorRatio
        if let maxP99Ms, !latencies.isEmpty {
            latencies.sort()
            failed = failed || latencies[min(latencies.count - 1, Int(0.99 * Double(latencies.count)))] > maxP99Ms
        }
        if failed { failures += 1 }
        return failures >= failedChecks
    }
}

/// Kayenta's judge: Mann-Whitney U on per-slice values of canary vs baseline (error ratio, or mean
/// latency), run again on all slices so far at every interval; fails when the canary is significantly worse.
struct KayentaDetector: Detector {
    var interval = 60
    var slice = 10
    var alpha = 0.05
    var useLatency: Bool
    var canarySlices: [Double] = []
    var baselineSlices: [Double] = []
    var current = Tick()

    mutating func observe(second: Int, _ tick: Tick) -> Bool {
        current.canaryRequests += tick.canaryRequests
        current.canaryErrors += tick.canaryErrors
        current.baselineRequests += tick.baselineRequests
        current.baselineErrors += tick.baselineErrors
        current.canaryLatenciesMs += tick.canaryLatenciesMs
        current.baselineLatenciesMs += tick.baselineLatenciesMs
        if second % slice == 0 {
            if useLatency {
                if !current.canaryLatenciesMs.isEmpty, !current.baselineLatenciesMs.isEmpty {
                    canarySlices.append(current.canaryLatenciesMs.reduce(0, +) / Double(current.canaryLatenciesMs.count))
                    baselineSlices.append(current.baselineLatenciesMs.reduce(0, +) / Double(current.baselineLatenciesMs.count))
                }
            } else if current.canaryRequests > 0, current.baselineRequests > 0 {
                canarySlices.append(Double(current.canaryErrors) / Double(current.canaryRequests))
                baselineSlices.append(Double(current.baselineErrors) / Double(current.baselineRequests))
            }
            current = Tick()
        }
        guard second % interval == 0, canarySlices.count >= 3 else { return false }
        return mannWhitneyGreaterPValue(canarySlices, baselineSlices) < alpha
    }
}

/// One-sided p-value that `x` tends to exceed `y` (normal approximation with a tie correction).
func mannWhitneyGreaterPValue(_ x: [Double], _ y: [Double]) -> Double {
    let pooled = (x.map { ($0, true) } + y.map { ($0, false) }).sorted { $0.0 < $1.0 }
    var ranks = [Double](repeating: 0, count: pooled.count)
    var tieTerm = 0.0
    var start = 0
    while start < pooled.count {
        var end = start
        while end + 1 < pooled.count && pooled[end + 1].0 == pooled[start].0 { end += 1 }
        let rank = Double(start + end) / 2 + 1
        for index in start...end { ranks[index] = rank }
        let ties = Double(end - start + 1)
        tieTerm += ties * ties * ties - ties
        start = end + 1
    }
    let n1 = Double(x.count)
    let n2 = Double(y.count)
    let rankSum = zip(pooled, ranks).reduce(0.0) { $0 + ($1.0.1 ? $1.1 : 0) }
    let u = rankSum - n1 * (n1 + 1) / 2
    let n = n1 + n2
    let variance = n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
    guard variance > 0 else { return 1 }
    let z = (u - n1 * n2 / 2 - 0.5) / variance.squareRoot()
    return 0.5 * erfc(z / 2.0.squareRoot())
}
