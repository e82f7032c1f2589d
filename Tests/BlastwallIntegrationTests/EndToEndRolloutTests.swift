import BlastwallDelivery
import BlastwallTestSupport
import Foundation
import Testing

/// Section 6 of the issue: real HAProxy, real Prometheus (1 s scrapes), wrk at a fixed rate, Blastwall driving.
@Suite(
    .enabled(if: RolloutWorld.available, "needs HAProxy, Prometheus and wrk, which are not all installed (.ci/run installs them)"),
    .serialized)
struct EndToEndRolloutTests {
    /// A canary failing 5% of requests (stable: 0.1%) goes back to stable by itself, fast, costing few requests.
    @Test func aFaultyCanaryIsRolledBackInSecondsAndFewRequestsFail() async throws {
        let world = try await RolloutWorld(canaryErrorRate: 0.05)
        try world.repo.write([
            "rollout.yml": world.rolloutFile(steps: "[{weight: 5, duration: 1m}, {weight: 50, duration: 1m}]", change: world.change)
        ])
        let load = try world.startLoad(seconds: 30)
        try await Task.sleep(for: .seconds(3))  // Prometheus sees the baseline first, as in production
        let started = try await world.server.cli(
            ["rollout", "start", "-f", world.repo.path + "/rollout.yml", "--format", "json"], token: world.server.adminToken)
        let id = try #require(try json(started.stdout)["id"] as? Int, "\(started.stdout)\(started.stderr)")
        let done = try await world.waitUntilSettled(id, seconds: 40)
        #expect(done["phase"] as? String == "rolled_back" && done["rollback_cause"] as? String == "analysis_failed", "\(done)")
        let firstRequest = try #require(done["canary_serving_since"] as? Double)
        let recovered = try #require(done["recovered_at"] as? Double)
        let seconds = recovered - firstRequest
        #expect(seconds < 20, "from the canary's first request to 100% stable: \(seconds) s")
        if seconds > 10, let path = ProcessInfo.processInfo.environment["BLASTWALL_E2E_TICKS"] {
            let ticks = try await HTTP.send(
                "GET", "\(world.server.url)/api/v1/rollouts/\(id)/ticks?limit=500",
                headers: ["Authorization": "Bearer \(world.server.adminToken)"])
            try ticks.body.write(toFile: path, atomically: true, encoding: .utf8)
        }
        while load.isRunning { try await Task.sleep(for: .milliseconds(200)) }
        let summary = try #require(RolloutWorld.loadSummary(load.log), "wrk's report: \(load.log)")
        let failed = Double(summary.failed) / Double(summary.requests)
        #expect(failed < 0.003, "\(summary.failed) of \(summary.requests) requests failed")
        print(
            "e2e faulty canary: \(String(format: "%.2f", seconds)) s to 100% stable; \(summary.failed)/\(summary.requests) = \(String(format: "%.3f", failed * 100))% failed"
        )
    }

    /// Identical versions: the rollout walks every step and ends with all traffic on the canary server.
    @Test func aHealthyCanaryCompletes() async throws {
        let world = try await RolloutWorld(canaryErrorRate: 0.001)
        try world.repo.write([
            "rollout.yml": world.rolloutFile(steps: "[{weight: 10, duration: 5s}, {weight: 50, duration: 5s}]", change: world.change)
        ])
        let load = try world.startLoad(seconds: 40)
        try await Task.sleep(for: .seconds(3))
        let started = try await world.server.cli(
            ["rollout", "start", "-f", world.repo.path + "/rollout.yml", "--format", "json"], token: world.server.adminToken)
        let id = try #require(try json(started.stdout)["id"] as? Int, "\(started.stdout)\(started.stderr)")
        let done = try await world.waitUntilSettled(id, seconds: 45)
        #expect(done["phase"] as? String == "promoted", "\(done)")
        load.stop(signal: SIGINT)
    }

    /// HAProxy reloaded in the middle of a rollout forgets the runtime weights; the rollout reads the weight
    /// back, finds the canary at 0% instead of 20%, and sets it again, on the record.
    @Test func aReloadedHAProxyGetsTheRolloutsWeightBack() async throws {
        let world = try await RolloutWorld(canaryErrorRate: 0.001)
        try world.repo.write(["rollout.yml": world.rolloutFile(steps: "[{weight: 20, duration: 10m}]", change: world.change)])
        let load = try world.startLoad(seconds: 60)
        try await Task.sleep(for: .seconds(3))
        let started = try await world.server.cli(
            ["rollout", "start", "-f", world.repo.path + "/rollout.yml", "--format", "json"], token: world.server.adminToken)
        let id = try #require(try json(started.stdout)["id"] as? Int, "\(started.stdout)\(started.stderr)")
        let router = HAProxyRouter(address: world.socket, backend: "web", stableServer: "stable", canaryServer: "canary")
        try await eventually("the canary carries 20%") { try await router.canaryWeight() == 20 }
        try await world.restartHAProxy()
        #expect(try await router.canaryWeight() == 0, "a reload starts from the configuration")
        try await eventually("the rollout sets 20% again", within: .seconds(20)) { try await router.canaryWeight() == 20 }
        let audit = try await HTTP.send(
            "GET", "\(world.server.url)/api/v1/audit/events?subject=rollout/\(id)",
            headers: ["Authorization": "Bearer \(world.server.adminToken)"])
        #expect(audit.body.contains("the router carried 0% for the canary instead of 20%; set back to 20%"), "\(audit.body)")
        let status = try json(
            try await world.server.cli(["rollout", "status", "\(id)", "--format", "json"], token: world.server.adminToken).stdout)
        #expect(status["phase"] as? String == "progressing", "a reload is no reason to roll back: \(status)")
        _ = try await world.server.cli(["rollout", "abort", "\(id)"], token: world.server.adminToken)
        load.stop(signal: SIGINT)
    }

    /// `blastwall drill` makes a healthy canary fail through its fault endpoint and reports the recovery.
    @Test func aDrillRollsBackAndIsRecorded() async throws {
        let world = try await RolloutWorld(canaryErrorRate: 0.001)
        try world.repo.write(["drill.yml": world.rolloutFile(steps: "[{weight: 5, duration: 1m}]")])
        let drill = try await world.drillUnderLoad(warmUp: .seconds(3))
        #expect(drill.status == 0, "\(drill.stdout)\(drill.stderr)")
        let report = try json(drill.stdout)
        #expect(report["passed"] as? Bool == true)
        #expect((report["time_to_detect_s"] as? Double ?? 99) < 20)
        let audit = try await world.server.cli(["audit", "export"], token: world.server.adminToken).stdout
        #expect(audit.contains("drill.created") && audit.contains("drill.rolled_back"))
    }

    /// Both versions have served for a while before the drill (a promotion, a long-lived canary): Prometheus
    /// holds their lifetime counters. The drill must judge only its own requests, or the injected 50× fault is
    /// diluted by the healthy history (it read as 1.3×).
    @Test func aDrillAfterLongTrafficJudgesOnlyWhatHappenedSinceItBegan() async throws {
        let world = try await RolloutWorld(canaryErrorRate: 0.001)
        try world.repo.write(["drill.yml": world.rolloutFile(steps: "[{weight: 5, duration: 1m}]")])
        // History: each version answers thousands of requests directly, then Prometheus scrapes them.
        // Paced (1 ms between requests per connection) so that the tests running beside it keep their share.
        try world.folder.write("history.lua", "function delay()\n  return 1\nend\n")
        let history = try [world.stablePort, world.canaryPort].map { port in
            try BackgroundProcess(
                "wrk", ["-t1", "-c2", "-d5s", "-s", world.folder.path + "/history.lua", "http://127.0.0.1:\(port)/"],
                directory: world.folder.path)
        }
        try await Task.sleep(for: .seconds(6))
        for process in history { process.stop(signal: SIGINT) }
        try await Task.sleep(for: .seconds(2.5))
        let before = try await world.canaryRequestsInPrometheus()
        try #require(before > 1_000, "the history is long enough to dilute a fault (\(before) canary requests)")

        let drill = try await world.drillUnderLoad(warmUp: .seconds(2))
        #expect(drill.status == 0, "\(drill.stdout)\(drill.stderr)")
        let report = try json(drill.stdout)
        let id = try #require(report["drill"] as? Int)
        let status = try json(
            try await world.server.cli(["rollout", "status", "\(id)", "--format", "json"], token: world.server.adminToken).stdout)
        let evidence = try #require(status["evidence"] as? [String: Any], "\(status)")
        let canary = try #require((evidence["canary"] as? [String: Any])?["requests"] as? Int)
        // Lifetime counters would give at least `before`.
        #expect(canary < before, "the evidence counts the drill's canary requests only: \(canary), against a lifetime of \(before) or more")
        let reason = report["reason"] as? String ?? ""
        let ratio = reason.split(separator: " ").first { $0.hasSuffix("×") }.flatMap { Double($0.dropLast()) } ?? 0
        // Since the drill began the baseline may have had no error at all (0.1% of a few hundred requests).
        #expect(ratio > 5 || reason.contains("which had none"), "the injected fault is seen at its size, not diluted: \(reason)")
    }
}
