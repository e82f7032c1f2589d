import BlastwallTestSupport
import Foundation
import Testing

/// `check --submit`, `approve`, `reject`, `gate` and `change` through the real binary and a real server.
@Suite(.serialized) struct ApprovalCLITests {
    static let configuration = """
        services:
          payments: { paths: ["/payments/"], owners: ["@acme/payments"], tier: 1 }
          ledger: { paths: ["/ledger/"], owners: ["@acme/ledger"], tier: 1 }
        groups:
          senior: ["@lee"]
        rules:
          - name: owners
            when: size(change.services) > 0
            require: { approvals: 2, owners: all, groups: { senior: 1 } }
        """

    @Test func submitApproveAndWaitOnTheGate() async throws {
        let repo = try await TemporaryRepository()
        try repo.write(["blastwall.yml": Self.configuration, "payments/api.swift": "a\n", "ledger/book.swift": "b\n"])
        try await repo.commit("Initial", author: "Sam", email: "sam@acme.example")
        try await repo.git.execute(["checkout", "--quiet", "-b", "feature"])
        try repo.write(["payments/api.swift": "a2\n", "ledger/book.swift": "b2\n"])
        try await repo.commit("Change both", author: "Sam", email: "sam@acme.example")

        // The server analyses the range itself, from its mirror of the repository.
        let server = try await LiveServer(extraArguments: [
            "--config", repo.path + "/blastwall.yml", "--repository", "acme/monorepo=" + repo.path,
        ])
        func identity(_ name: String, _ arguments: [String]) async throws -> String {
            let result = try await server.cli(["identity", "create", name] + arguments, token: server.adminToken)
            try #require(result.status == 0, "\(result.stderr)")
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let ci = try await identity("ci", ["--kind", "bot", "--role", "ci"])
        let dana = try await identity("dana", ["--kind", "human", "--role", "approver", "--group", "@acme/payments"])
        let lee = try await identity("lee", ["--kind", "human", "--role", "approver", "--group", "@acme/ledger"])
        let sam = try await identity(
            "sam", ["--kind", "human", "--role", "approver", "--group", "@acme/payments", "--email", "sam@acme.example"])
        let bot = try await identity("review-bot", ["--kind", "bot", "--role", "approver"])

        func cli(_ arguments: [String], token: String) async throws -> ProcessOutput {
            var environment = ["BLASTWALL_SERVER": server.url, "BLASTWALL_TOKEN": token]
            environment["NO_COLOR"] = "1"
            return try await BlastwallBinary.run(arguments, in: repo.path, environment: environment)
        }

        let submitted = try await cli(
            ["check", "--submit", "--repository-name", "acme/monorepo", "--base", "main", "--format", "json"], token: ci)
        #expect(submitted.status == 0, "\(submitted.stderr)")
        let changeID = try #require(try json(submitted.stdout)["change_id"] as? Int)

        let pending = try await cli(["gate", "\(changeID)"], token: ci)
        #expect(pending.status == 3)
        #expect(
            pending.stdout.contains("needs 1 owner of `ledger`, 1 owner of `payments`, 1 of group `senior`, 2 more approvals"),
            "\(pending.stdout)")

        #expect(try await cli(["approve", "\(changeID)"], token: sam).stderr.contains("no self-approval"))
        #expect(try await cli(["approve", "\(changeID)"], token: bot).stderr.contains("never count as approvers"))
        #expect(try await cli(["approve", "\(changeID)", "--comment", "looks right"], token: dana).status == 0)
        let waited = try await cli(["gate", "\(changeID)", "--wait", "--timeout", "1s", "--interval", "200ms"], token: ci)
        #expect(waited.status == 3, "still pending after the timeout")
        #expect(try await cli(["approve", "\(changeID)"], token: lee).stdout.contains("satisfied"))
        #expect(try await cli(["gate", "\(changeID)"], token: ci).status == 0)

        // A new head that touches only the ledger dismisses lee's approval and keeps dana's.
        try repo.write(["ledger/book.swift": "b3\n"])
        try await repo.commit("Fix ledger", author: "Sam", email: "sam@acme.example")
        let resubmitted = try await cli(["check", "--submit", "--repository-name", "acme/monorepo", "--base", "main"], token: ci)
        #expect(resubmitted.stderr.contains("submitted as change \(changeID)"), "\(resubmitted.stderr)")
        let show = try await cli(["change", "show", "\(changeID)"], token: dana)
        #expect(show.stdout.contains("approve by dana: looks right"))
        #expect(show.stdout.contains("approve by lee (dismissed"), "\(show.stdout)")
        #expect(try await cli(["gate", "\(changeID)"], token: ci).status == 3)

        #expect(try await cli(["reject", "\(changeID)", "--comment", "ledger change breaks reconciliation"], token: lee).status == 0)
        #expect(try await cli(["gate", "\(changeID)"], token: ci).status == 1)
        let listed = try await cli(["change", "list", "--state", "rejected", "--format", "json"], token: dana)
        #expect(listed.stdout.contains("\"feature\""))
        let audit = try await cli(["audit", "search", "--subject", "change/\(changeID)", "--format", "json"], token: dana)
        for action in ["change.submitted", "approval.added", "approval.dismissed", "change.rejected"] {
            #expect(audit.stdout.contains(action), "\(action) is audited")
        }
    }
}
