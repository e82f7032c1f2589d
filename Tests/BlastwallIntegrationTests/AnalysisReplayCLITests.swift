import BlastwallCore
import BlastwallTestSupport
import Foundation
import Testing
import TrafficSimulation

/// `blastwall analysis replay` through the real binary.
@Suite struct AnalysisReplayCLITests {
    /// Cumulative ticks: 10 canary and 190 baseline requests a second; errors every `canaryEvery` / `baselineEvery` seconds.
    func ticks(seconds: Int, canaryErrorsPerTick: Int, baselineEvery: Int, withLatency: Bool = false) -> String {
        (1...seconds).map { t in
            var line =
                #"{"t": \#(t), "canary_requests": \#(10 * t), "canary_errors": \#(canaryErrorsPerTick * t), "#
                + #""baseline_requests": \#(190 * t), "baseline_errors": \#(t / baselineEvery)"#
            if withLatency {
                let samples = (0..<10).map { String(40 + $0 * 2) }.joined(separator: ", ")
                line += #", "canary_latency_ms": [\#(samples)], "baseline_latency_ms": [\#(samples), \#(samples)]"#
            }
            return line + "}"
        }.joined(separator: "\n") + "\n"
    }

    @Test func aFaultyCanaryFailsWithTheTickAndTheEvidence() async throws {
        let output = try await BlastwallBinary.run(
            ["analysis", "replay", "--input", "-", "--format", "json"], in: NSTemporaryDirectory(),
            stdin: ticks(seconds: 60, canaryErrorsPerTick: 1, baselineEvery: 5))
        #expect(output.status == 1, "\(output.stderr)")
        let result = try json(output.stdout)
        #expect(result["verdict"] as? String == "fail")
        let tick = try #require(result["tick"] as? Int)
        #expect((2...10).contains(tick))
        let evidence = try #require(result["evidence"] as? [String: Any])
        let errors = try #require(evidence["errors"] as? [String: Any])
        #expect((errors["log_evidence"] as? Double ?? 0) >= (errors["log_threshold"] as? Double ?? 1))
        #expect(errors["alpha"] as? Double == 0.05)  // no latencies: the error test holds all of α
    }

    @Test func aHealthyCanaryPassesAndTextShowsWhy() async throws {
        let output = try await BlastwallBinary.run(
            ["analysis", "replay", "--input", "-"], in: NSTemporaryDirectory(),
            stdin: ticks(seconds: 30, canaryErrorsPerTick: 0, baselineEvery: 5, withLatency: true))
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("verdict: pass, holding since tick 5 of 30"))
        #expect(output.stdout.contains("error test: canary 0/300"))
        #expect(output.stdout.contains("latency test: canary 300 timed, median 49.1 ms; baseline 600 timed"))
        #expect(output.stdout.contains("(α 0.025)"))
    }

    @Test func settingsFromAFileApplyAndTooLittleDataIsInconclusive() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("minimum_requests: 1000\nalpha: 0.01\n".utf8).write(to: URL(fileURLWithPath: directory + "/analysis.yml"))
        try Data(ticks(seconds: 20, canaryErrorsPerTick: 0, baselineEvery: 5).utf8).write(
            to: URL(fileURLWithPath: directory + "/ticks.jsonl"))
        let output = try await BlastwallBinary.run(
            ["analysis", "replay", "--input", "ticks.jsonl", "--settings", "analysis.yml", "--format", "json"], in: directory)
        #expect(output.status == 3)
        let result = try json(output.stdout)
        #expect(result["verdict"] as? String == "inconclusive")
        #expect((result["reason"] as? String)?.contains("200 of the 1000 canary requests") == true)
    }

    @Test(arguments: [
        (#"{"t": 1, "canary_requests": 5}"#, "standard input: line 1: the tick has no 'canary_errors'"),
        (
            "{\"t\": 1, \"canary_requests\": 5, \"canary_errors\": 9, \"baseline_requests\": 5, \"baseline_errors\": 0}",
            "line 1: errors cannot exceed requests"
        ),
        ("{\"t\": 1,\n", "standard input: line 1: invalid JSON"),
        (#"{"analysis": {"alpha": 7}}"#, "line 1: alpha in analysis is 7, but must be between"),
        ("", "standard input holds no ticks"),
    ])
    func badInputNamesTheLineAndExitsWith2(input: String, message: String) async throws {
        let output = try await BlastwallBinary.run(["analysis", "replay", "--input", "-"], in: NSTemporaryDirectory(), stdin: input)
        #expect(output.status == 2)
        #expect(output.stderr.contains(message), "\(output.stderr)")
    }
}

/// The statistical benchmark's streams through the real binary: the same verdict at the same tick as in process.
@Suite struct ReplayMatchesTheBenchmarkTests {
    @Test(arguments: [0.001, 0.01, 0.05]) func theCLIAgreesWithTheInProcessAnalysis(canaryErrorRate: Double) async throws {
        var random = SplitMix64(seed: 99)
        let scenario = Scenario(name: "replay", canaryShare: 0.1, canaryErrorRate: canaryErrorRate, latency: (50, 0.5, 1))
        var replay = AnalysisReplay()
        var lines: [String] = []
        var total = (0, 0, 0, 0)
        var expected: AnalysisReplay.Outcome?
        for second in 1...120 {
            let tick = random.tick(scenario)
            total = (
                total.0 + tick.canaryRequests, total.1 + tick.canaryErrors, total.2 + tick.baselineRequests, total.3 + tick.baselineErrors
            )
            let line = AnalysisReplay.Tick(
                time: Double(second), canaryRequests: total.0, canaryErrors: total.1, baselineRequests: total.2, baselineErrors: total.3,
                canaryLatencyMs: tick.canaryLatenciesMs, baselineLatencyMs: tick.baselineLatenciesMs)
            lines.append(
                JSONValue.object([
                    ("t", .int(Int64(second))), ("canary_requests", .int(Int64(total.0))), ("canary_errors", .int(Int64(total.1))),
                    ("baseline_requests", .int(Int64(total.2))), ("baseline_errors", .int(Int64(total.3))),
                    ("canary_latency_ms", .array(tick.canaryLatenciesMs.map { .double($0) })),
                    ("baseline_latency_ms", .array(tick.baselineLatenciesMs.map { .double($0) })),
                ]).serialized(pretty: false))
            replay.feed(line)
            expected = replay.result
        }
        let output = try await BlastwallBinary.run(
            ["analysis", "replay", "--input", "-", "--format", "json"], in: NSTemporaryDirectory(), stdin: lines.joined(separator: "\n"))
        let result = try json(output.stdout)
        #expect(result["verdict"] as? String == expected?.verdict.rawValue)
        #expect(result["tick"] as? Int == expected?.tick)
        if canaryErrorRate == 0.05 { #expect(result["verdict"] as? String == "fail") }
    }
}
