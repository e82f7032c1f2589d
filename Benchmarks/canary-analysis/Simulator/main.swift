// The statistical benchmark of issue 4 §7: simulated Poisson traffic, the same streams judged by
// Blastwall's analysis, the SPRT that knows the true rates, Flagger-style and Kayenta-style checks.
import BlastwallCore
import Foundation
import TrafficSimulation

struct Options {
    var runs = 1000
    var seed: UInt64 = 20_261_123
    var horizon = 900
    var alpha = 0.05
    var errorsOnly = false

    init(arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--runs": runs = Int(iterator.next() ?? "") ?? runs
            case "--seed": seed = UInt64(iterator.next() ?? "") ?? seed
            case "--horizon": horizon = Int(iterator.next() ?? "") ?? horizon
            case "--errors-only": errorsOnly = true
            default:
                FileHandle.standardError.write(
                    Data(
                        "usage: blastwall-canary-bench [--runs N] [--seed S] [--horizon SECONDS] [--errors-only]\n"
                            .utf8))
                exit(2)
            }
        }
    }
}

let methods = [
    "Blastwall", "SPRT knowing the rates", "Flagger-style (60 s, 1 check)", "Kayenta-style (MWU / 60 s)",
    "SPRT knowing the rates, at α/2",
]

func scenarios() -> [Scenario] {
    var cells: [Scenario] = []
    for share in [0.05, 0.10] {
        for canaryErrorRate in [0.001, 0.005, 0.01, 0.05] {
            let label = canaryErrorRate == 0.001 ? "A/A errors" : "errors \(canaryErrorRate * 100)%"
            cells.append(Scenario(name: "\(label), canary \(Int(share * 100))%", canaryShare: share, canaryErrorRate: canaryErrorRate))
        }
        for factor in [1.0, 1.25, 1.5] {
            let label = factor == 1 ? "A/A latency" : "latency ×\(factor)"
            cells.append(
                Scenario(name: "\(label), canary \(Int(share * 100))%", canaryShare: share, latency: (50, 0.5, factor)))
        }
    }
    return cells
}

/// The oracles (at α and at α/2) have no alternative to test on A/A.
func isOracle(_ method: Int) -> Bool { method == 1 || method == 4 }

/// Seconds to detection per method, nil when a run ended without one.
func simulate(_ scenario: Scenario, run: Int, cell: Int, options: Options) -> [Int?] {
    var random = SplitMix64(seed: options.seed &+ UInt64(cell) &* 1_000_003 &+ UInt64(run) &* 7_919)
    let hasLatency = scenario.latency != nil
    let settings = AnalysisSettings(
        alpha: options.alpha, compareLatency: hasLatency)
    // Flagger's p99 limit: 25% above the baseline's true p99, as a team would set from its dashboards.
    let p99Limit = scenario.latency.map { $0.medianMs * exp($0.sigma * 2.326) * 1.25 }
    var detectors: [any Detector] = [
        BlastwallDetector(settings: settings, withLatency: hasLatency),
        OracleDetector(scenario: scenario, alpha: options.alpha),
        FlaggerDetector(maxP99Ms: p99Limit),
        KayentaDetector(useLatency: hasLatency),
        // What sharing α between the error and the latency test costs even a test that knows everything.
        OracleDetector(scenario: scenario, alpha: options.alpha / 2),
    ]
    var detectedAt: [Int?] = Array(repeating: nil, count: detectors.count)
    for second in 1...options.horizon {
        let tick = random.tick(scenario)
        for index in detectors.indices where detectedAt[index] == nil {
            if scenario.isAA && isOracle(index) { continue }  // the oracle has no alternative to test on A/A
            if detectors[index].observe(second: second, tick) { detectedAt[index] = second }
        }
        let pending = detectors.indices.filter { detectedAt[$0] == nil && !(scenario.isAA && isOracle($0)) }
        if pending.isEmpty { break }
    }
    return detectedAt
}

struct CellResult {
    var scenario: Scenario
    var detections: [[Int?]]  // per method, per run
}

func percentile(_ sorted: [Int], _ p: Double) -> Int? {
    guard !sorted.isEmpty else { return nil }
    return sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
}

func describe(_ seconds: Int?, runs: Int, detected: Int, horizon: Int, p: Double) -> String {
    // A percentile beyond the detected share of runs is "not within the horizon".
    guard Double(detected) >= p * Double(runs), let seconds else { return "> \(horizon) s" }
    return "\(seconds) s"
}

let options = Options(arguments: CommandLine.arguments)
let cells = scenarios().filter { !options.errorsOnly || $0.latency == nil }
let started = Date()
let results = await withTaskGroup(of: (Int, CellResult).self) { group in
    for (index, scenario) in cells.enumerated() {
        group.addTask {
            var detections = Array(repeating: [Int?](), count: methods.count)
            for run in 0..<options.runs {
                for (method, second) in simulate(scenario, run: run, cell: index, options: options).enumerated() {
                    detections[method].append(second)
                }
            }
            return (index, CellResult(scenario: scenario, detections: detections))
        }
    }
    var collected: [(Int, CellResult)] = []
    for await result in group { collected.append(result) }
    return collected.sorted { $0.0 < $1.0 }.map(\.1)
}

print(
    "runs per cell: \(options.runs), horizon: \(options.horizon) s, α = \(options.alpha), seed \(options.seed), 200 req/s, baseline errors 0.1%, latency log-normal median 50 ms σ 0.5"
)
print("")
print("| cell | method | rolled back | median time to detect | p95 time to detect | median ÷ optimum |")
print("|---|---|---|---|---|---|")
for cell in results {
    let runs = options.runs
    let optimumDetected = cell.detections[1].compactMap { $0 }.sorted()
    let optimumMedian = cell.scenario.isAA ? nil : percentile(optimumDetected, 0.5)
    for (method, name) in methods.enumerated() {
        if cell.scenario.isAA && isOracle(method) { continue }
        let detected = cell.detections[method].compactMap { $0 }.sorted()
        let share = String(format: "%.1f%%", 100 * Double(detected.count) / Double(runs))
        let median = describe(percentile(detected, 0.5), runs: runs, detected: detected.count, horizon: options.horizon, p: 0.5)
        let p95 = describe(percentile(detected, 0.95), runs: runs, detected: detected.count, horizon: options.horizon, p: 0.95)
        var ratio = ""
        if let optimumMedian, let median = percentile(detected, 0.5), Double(detected.count) >= 0.5 * Double(runs) {
            ratio = String(format: "%.2f", Double(median) / Double(optimumMedian))
        }
        let rolledBack = cell.scenario.isAA ? "\(share) (false)" : share
        print(
            "| \(cell.scenario.name) | \(name) | \(rolledBack) | \(cell.scenario.isAA ? "" : median) | \(cell.scenario.isAA ? "" : p95) | \(ratio) |"
        )
    }
}
print("")
print(String(format: "simulated in %.1f s", Date().timeIntervalSince(started)))
