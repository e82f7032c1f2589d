import BlastwallTestSupport
import Foundation
import Testing

/// Incidents with the real programs: demo-app stable and canary behind HAProxy, Prometheus scraping them
/// with an alerting rule on the error ratio, and Alertmanager posting to `blastwall serve`.
@Suite(
    .enabled(if: RolloutWorld.alertingAvailable, "needs HAProxy, Prometheus, Alertmanager and wrk (.ci/run installs them)"),
    .serialized)
struct IncidentEndToEndTests {

    static let rules = """
        groups:
          - name: slo
            rules:
              - alert: HighErrorRate
                expr: sum by (service) (rate(http_requests_total{code="500"}[10s])) / sum by (service) (rate(http_requests_total[10s])) > 0.05
                labels: {severity: page}
                annotations: {summary: "{{ $labels.service }} errors above 5%"}

        """

    static func configuration(autoRollback: Bool) -> String {
        """
        services:
          web: { paths: ["/web/"], tier: 2 }
          search: { paths: ["/search/"], tier: 3 }
        environments:
          staging: { kube_contexts: ["staging-*"] }
        agents:
          coder: { model: claude-opus-4, environments: { staging: [read, write] } }
        incidents:
          window: 1h
        \(autoRollback ? "  auto_rollback: { min_score: 0.2, kinds: [rollout] }" : "")

        """
    }

    /// A world whose canary fails half its requests, with a rollout on it whose analysis is configured not to
    /// look at errors or latency (slow analysis, as the issue has it), so the alert fires first; a flag rollout on
    /// another service, a switch flip and an agent's restart of another service in staging happened too.
    static func incidentWorld(autoRollback: Bool) async throws -> (RolloutWorld, rollout: Int, load: BackgroundProcess) {
        let world = try await RolloutWorld(
            canaryErrorRate: 0.5, alerting: (rules, "am-\(UUID().uuidString)"), configuration: configuration(autoRollback: autoRollback))
        let token = world.server.adminToken
        let slow = world.rolloutFile(steps: "[{weight: 50, duration: 1h}]", change: world.change)
            .replacingOccurrences(
                of: "analysis: {interval: 0.5s}",
                with:
                    "analysis: {interval: 0.5s, errors: false, latency: false, slo: {p99_ms: 600000}, inconclusive: {limit: 10m, action: pause}}"
            )
        let flag = """
            service: search
            version: v7
            stable: v6
            artifact: sha256:\(String(repeating: "e", count: 64))
            change: "\(world.change)"
            router: {type: flags, flag: new-ranking}
            metrics: {provider: push}
            steps: [{weight: 20, duration: 1h}]

            """
        try world.repo.write(["rollout.yml": slow, "flag.yml": flag])
        let load = try world.startLoad(seconds: 120)
        _ = try await world.server.cli(["switch", "create", "promotions"], token: token)
        _ = try await world.server.cli(["switch", "on", "promotions", "--reason", "campaign"], token: token)
        let coder = try await world.server.cli(["identity", "create", "coder", "--kind", "ai", "--role", "agent"], token: token)
        try #require(coder.status == 0, "\(coder.stderr)")
        let restart = try await world.server.cli(
            [
                "agent", "check", "--agent", "coder", "--config", world.repo.path + "/blastwall.yml", "--directory", world.repo.path,
                "kubectl rollout restart deploy/search --context staging-eu",
            ],
            token: coder.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        try #require(restart.status == 0, "the agent may write in staging: \(restart.stdout)\(restart.stderr)")
        let flagStarted = try await world.server.cli(
            ["rollout", "start", "-f", world.repo.path + "/flag.yml", "--format", "json"], token: token)
        try #require(flagStarted.status == 0, "\(flagStarted.stderr)")
        let started = try await world.server.cli(
            ["rollout", "start", "-f", world.repo.path + "/rollout.yml", "--format", "json"], token: token)
        try #require(started.status == 0, "\(started.stderr)")
        let id = try #require(try json(started.stdout)["id"] as? Int, "\(started.stdout)\(started.stderr)")
        return (world, id, load)
    }

    static func incidents(_ world: RolloutWorld) async throws -> [[String: Any]] {
        let listed = try await world.server.cli(["incident", "list", "--format", "json"], token: world.server.adminToken)
        return (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]) ?? []
    }

    @Test func theAlertNamesTheRolloutWhichIsRolledBackAndTheIncidentCloses() async throws {
        let (world, id, load) = try await Self.incidentWorld(autoRollback: false)
        defer { load.stop(signal: SIGINT) }
        let token = world.server.adminToken
        try await eventually("Alertmanager opens an incident", within: .seconds(90)) { try await !Self.incidents(world).isEmpty }
        let incident = try #require(try await Self.incidents(world).first)
        #expect(incident["service"] as? String == "web" && incident["source"] as? String == "alertmanager", "\(incident)")
        let top = try #require(incident["top_suspect"] as? [String: Any], "\(incident)")
        #expect(top["reference"] as? String == "rollout/\(id)", "\(incident["suspects"] ?? "")")
        let explanation = top["explanation"] as? String ?? ""
        #expect(explanation.contains("reached 50%, still in progress when the incident began") && explanation.contains("on web itself"))
        let unrelated = (incident["suspects"] as? [String: Any])?["unrelated"] as? [[String: Any]] ?? []
        #expect(unrelated.contains { ($0["explanation"] as? String)?.contains("on search, which web does not depend on") == true })
        let agent = try #require(unrelated.first { $0["kind"] as? String == "agent_operation" }, "\(incident["suspects"] ?? "")")
        #expect(
            (agent["explanation"] as? String)?.contains(
                "agent coder ran `kubectl rollout restart deploy/search --context staging-eu` in staging")
                == true, "\(agent)")

        let number = try #require(incident["id"] as? Int)
        let rolledBack = try await world.server.cli(["incident", "rollback", "\(number)"], token: token)
        #expect(rolledBack.status == 0 && rolledBack.stdout.contains("aborted rollout \(id)"), "\(rolledBack.stdout)\(rolledBack.stderr)")
        let done = try await world.waitUntilSettled(id, seconds: 20)
        #expect(done["phase"] as? String == "rolled_back" && done["applied_weight"] as? Int == 0, "traffic is back on stable")

        try await eventually("the alert resolves and the incident closes", within: .seconds(120)) {
            try await Self.incidents(world).first?["state"] as? String == "resolved"
        }
        let closed = try #require(try await Self.incidents(world).first)
        #expect((closed["time_to_restore_seconds"] as? Double ?? 0) > 0, "\(closed)")
        print("e2e incident: restored in \(closed["time_to_restore_seconds"] ?? "?") s; top suspect: \(explanation)")
    }

    @Test func automaticRollbackUndoesTheRunningRolloutAtOnce() async throws {
        let (world, id, load) = try await Self.incidentWorld(autoRollback: true)
        defer { load.stop(signal: SIGINT) }
        try await eventually("Alertmanager opens an incident", within: .seconds(90)) { try await !Self.incidents(world).isEmpty }
        let done = try await world.waitUntilSettled(id, seconds: 20)
        #expect(
            done["phase"] as? String == "rolled_back" && (done["rollback_reason"] as? String ?? "").contains("auto-rollback"), "\(done)")
        let audit = try await world.server.cli(["audit", "export"], token: world.server.adminToken)
        #expect(audit.stdout.contains("incident.auto_rollback"))
    }
}

extension RolloutWorld {
    static var alertingAvailable: Bool { available && BackgroundProcess.shouldTest("prometheus-alertmanager") }
}
