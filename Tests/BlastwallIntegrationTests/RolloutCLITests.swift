import BlastwallTestSupport
import Foundation
import Testing

/// Rollouts through the real binary and a real server, which is killed with SIGKILL mid-rollout.
@Suite(.serialized) struct RolloutCLITests {
    static func rolloutFile(change: Int, steps: String) -> String {
        """
        service: web
        version: v2
        stable: v1
        artifact: sha256:\(String(repeating: "c", count: 64))
        change: "\(change)"
        router: {type: flags, flag: web-v2}
        metrics: {provider: push}
        analysis:
          interval: 0.2s
          minimum_requests: 20
          inconclusive: {limit: 60s, action: pause}
        steps: \(steps)

        """
    }

    /// Pushes one second's worth of healthy traffic to a rollout through the API.
    static func pushHealthy(server: LiveServer, token: String, rollout: Int, seconds: Int = 1) async throws -> Int {
        try await HTTP.send(
            "POST", "\(server.url)/api/v1/rollouts/\(rollout)/observations",
            body: #"{"canary": {"requests": \#(10 * seconds), "errors": 0}, "baseline": {"requests": \#(190 * seconds), "errors": 0}}"#,
            headers: ["Authorization": "Bearer \(token)"]
        ).status
    }

    /// A repository whose `feature` branch changes the tier-2 service `web` of its blastwall.yml.
    static func repositoryWithAWebChange() async throws -> TemporaryRepository {
        let repo = try await TemporaryRepository()
        try repo.write(["blastwall.yml": "services:\n  web: { paths: [\"/web/\"], tier: 2 }\n", "web/a.html": "a\n"])
        try await repo.commit("Initial")
        try await repo.git.execute(["checkout", "--quiet", "-b", "feature"])
        try repo.write(["web/a.html": "b\n"])
        try await repo.commit("Change")
        return repo
    }

    /// Submits the repository's change to `server`, then starts a rollout of it through the CLI; its id.
    static func startRollout(of repo: TemporaryRepository, on server: LiveServer, token: String, steps: String) async throws -> Int {
        let submitted = try await BlastwallBinary.run(
            ["check", "--submit", "--repository-name", "test/repo", "--base", "main", "--format", "json"], in: repo.path,
            environment: ["BLASTWALL_SERVER": server.url, "BLASTWALL_TOKEN": token])
        let change = try #require(try json(submitted.stdout)["change_id"] as? Int, "\(submitted.stderr)")
        try repo.write(["rollout.yml": Self.rolloutFile(change: change, steps: steps)])
        let started = try await server.cli(["rollout", "start", "-f", repo.path + "/rollout.yml", "--format", "json"], token: token)
        #expect(started.status == 0, "\(started.stderr)")
        return try #require(try json(started.stdout)["id"] as? Int)
    }

    static func status(_ server: LiveServer, _ token: String, _ id: Int) async throws -> [String: Any] {
        let output = try await server.cli(["rollout", "status", "\(id)", "--format", "json"], token: token)
        return try json(output.stdout)
    }

    @Test func aRolloutResumesAfterSIGKILLWithoutPromotingOnTheWayUp() async throws {
        let repo = try await Self.repositoryWithAWebChange()
        let server = try await LiveServer(extraArguments: [
            "--config", repo.path + "/blastwall.yml", "--repository", "test/repo=" + repo.path,
        ])
        let token = server.adminToken
        let id = try await Self.startRollout(
            of: repo, on: server, token: token, steps: "[{weight: 10, duration: 3s}, {weight: 50, duration: 1s}]")
        // Healthy traffic once, early in the 3 s step: a pass is seen. Then the step's time runs out with no
        // fresh evidence, so the rollout holds at 10% (a step only advances on a pass at that tick)...
        #expect(try await Self.pushHealthy(server: server, token: token, rollout: id, seconds: 3) == 202)
        try await Task.sleep(for: .milliseconds(3500))
        let beforeKill = try await Self.status(server, token, id)
        #expect(beforeKill["canary_weight"] as? Int == 10 && beforeKill["verdict"] as? String == "inconclusive")
        // ...and the server is killed there.
        server.stop(signal: SIGKILL)
        try await server.start(extraArguments: ["--config", repo.path + "/blastwall.yml", "--repository", "test/repo=" + repo.path])
        let restarted = try await Self.status(server, token, id)
        #expect(restarted["phase"] as? String == "progressing")
        #expect(restarted["canary_weight"] as? Int == 10, "never moved on, let alone promoted, on the way back up")
        let weightAfterRestart = 10

        // Without fresh evidence it holds its step.
        try await Task.sleep(for: .seconds(1.5))
        let holding = try await Self.status(server, token, id)
        #expect(holding["canary_weight"] as? Int == weightAfterRestart && holding["phase"] as? String == "progressing")
        #expect(holding["applied_weight"] as? Int == weightAfterRestart, "the router was set again after the restart")

        // With evidence it completes; `rollout watch` follows it with plain lines (not a terminal) and exits 0.
        let pusher = Task {
            for _ in 0..<60 {
                _ = try? await Self.pushHealthy(server: server, token: token, rollout: id)
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        // The watch blocks on a child process: off the concurrency pool, so the pushes above keep running.
        let watched = try await server.cli(["rollout", "watch", "\(id)"], token: token)
        pusher.cancel()
        #expect(watched.status == 0, "\(watched.stdout)\(watched.stderr)")
        #expect(watched.stdout.contains("#\(id) web v2 (was v1) promoted"))
        #expect(watched.stdout.contains("weights: canary 100% / stable 0%"))

        let listed = try await server.cli(["rollout", "list"], token: token)
        #expect(listed.stdout.contains("#\(id) web v2 (was v1) promoted, step 2/2 at 100%"))
        let undone = try await server.cli(["rollout", "undo", "web"], token: token)
        #expect(undone.status == 0 && undone.stdout.contains("rolled back (undone)"), "\(undone.stdout)\(undone.stderr)")

        // The audit chain has every step and survives the kill intact.
        let exported = try await server.cli(["audit", "export"], token: token)
        for action in ["rollout.created", "rollout.started", "rollout.step", "rollout.promoted", "rollout.rolled_back"] {
            #expect(exported.stdout.contains(action), "\(action) in the audit log")
        }
        server.stop()
        let verified = try await BlastwallBinary.run(["audit", "verify", "--database", server.database], in: server.directory)
        #expect(verified.status == 0, "\(verified.stdout)")
    }

    @Test func rolloutFilesWithMistakesAreRefusedWithTheirLine() async throws {
        let folder = try TemporaryFolder("rollout-file")
        try folder.write("rollout.yml", Self.rolloutFile(change: 1, steps: "[{weight: 150, duration: 1s}]"))
        let output = try await BlastwallBinary.run(
            ["rollout", "start", "-f", "rollout.yml"], in: folder.path,
            environment: ["BLASTWALL_SERVER": "http://127.0.0.1:9", "BLASTWALL_TOKEN": "x"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("rollout.yml:12:"))
        #expect(output.stderr.contains("weight in step 1 is 150, but must be between 1 and 100"))
    }
}
