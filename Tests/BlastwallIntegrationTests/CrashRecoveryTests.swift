import BlastwallTestSupport
import Foundation
import Synchronization
import Testing

/// SIGKILL during writes: every approval acknowledged with 2xx survives, and the audit chain verifies.
@Suite(.serialized) struct CrashRecoveryTests {
    static let approverCount = 8
    static let changeCount = 12

    @Test func acknowledgedApprovalsSurviveAKill() async throws {
        let repo = try await TemporaryRepository()
        try repo.write([
            "blastwall.yml":
                "services:\n  web: { paths: [\"/web/\"], owners: [\"@acme/web\"] }\nrules:\n  - name: r\n    when: \"true\"\n    require: { approvals: 2 }\n",
            "web/a.html": "a\n",
        ])
        try await repo.commit("Initial", author: "Sam", email: "sam@acme.example")
        let server = try await LiveServer(extraArguments: [
            "--config", repo.path + "/blastwall.yml", "--repository", "test/repo=" + repo.path,
        ])
        let ci = try await server.cli(["identity", "create", "ci", "--kind", "bot", "--role", "ci"], token: server.adminToken).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var approvers: [String] = []
        for index in 0..<Self.approverCount {
            let token = try await server.cli(
                ["identity", "create", "approver-\(index)", "--kind", "human", "--role", "approver"], token: server.adminToken)
            approvers.append(token.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        var changes: [Int] = []
        for index in 0..<Self.changeCount {
            try await repo.git.execute(["checkout", "--quiet", "-B", "b\(index)", "main"])
            try repo.write(["web/a.html": "change \(index)\n"])
            try await repo.commit("Change \(index)", author: "Sam", email: "sam@acme.example")
            let submitted = try await BlastwallBinary.run(
                [
                    "check", "--submit", "--repository-name", "test/repo", "--base", "main", "--format", "json", "--now",
                    "2026-11-23T12:00:00Z",
                ], in: repo.path,
                environment: ["BLASTWALL_SERVER": server.url, "BLASTWALL_TOKEN": ci])
            changes.append(try #require(try json(submitted.stdout)["change_id"] as? Int))
        }

        // Every approver approves every change, each approver in a task of its own (the child processes wait
        // off the concurrency pool); the server is killed once some approvals are acknowledged, with others in flight.
        let acknowledged = Acknowledgements()
        let tokens = approvers
        let ids = changes
        await withTaskGroup(of: Void.self) { group in
            for approver in 0..<Self.approverCount {
                group.addTask {
                    for change in ids {
                        guard let result = try? await server.cli(["approve", "\(change)"], token: tokens[approver]), result.status == 0
                        else { break }
                        acknowledged.add(approver: approver, change: change)
                    }
                }
            }
            group.addTask {
                while acknowledged.pairs.count < 15 { try? await Task.sleep(for: .milliseconds(1)) }
                server.stop(signal: SIGKILL)
            }
        }
        let survivors = acknowledged.pairs
        #expect(survivors.count < Self.approverCount * Self.changeCount, "the kill should interrupt some approvals")

        try await server.start()
        for change in ids {
            let shown = try json(try await server.cli(["change", "show", "\(change)", "--format", "json"], token: ci).stdout)
            let reviewers = Set((shown["reviews"] as? [[String: Any]] ?? []).compactMap { $0["reviewer"] as? String })
            for pair in survivors where pair.change == change {
                #expect(
                    reviewers.contains("approver-\(pair.approver)"),
                    "change \(change) lost the acknowledged approval of approver-\(pair.approver)")
            }
        }
        let verified = try await server.cli(["audit", "verify", "--database", server.database], token: nil)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        print(
            "CrashRecoveryTests: \(survivors.count) of \(Self.approverCount * Self.changeCount) approvals acknowledged before SIGKILL; all present after restart; the audit chain verifies"
        )
    }
}

/// Approvals that got a 2xx, recorded from many threads.
final class Acknowledgements: Sendable {
    struct Pair: Sendable {
        var approver: Int
        var change: Int
    }
    private let lock = Mutex<[Pair]>([])
    var pairs: [Pair] { lock.withLock { $0 } }
    func add(approver: Int, change: Int) { lock.withLock { $0.append(Pair(approver: approver, change: change)) } }
}
