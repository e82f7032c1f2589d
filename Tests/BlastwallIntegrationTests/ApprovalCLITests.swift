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
        let serverArguments = ["--config", repo.path + "/blastwall.yml", "--repository", "acme/monorepo=" + repo.path]
        let server = try await LiveServer(extraArguments: serverArguments)
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
        let started = ContinuousClock.now
        let waited = try await cli(["gate", "\(changeID)", "--wait", "--timeout", "1s", "--interval", "300ms"], token: ci)
        #expect(waited.status == 3, "still pending after the timeout")
        #expect(ContinuousClock.now - started >= .seconds(1), "it waits the whole timeout")
        #expect(waited.stderr.contains("waiting for 1 owner of `ledger`"), "\(waited.stderr)")
        #expect(
            try await cli(["gate", "\(changeID)", "--wait", "--timeout", "3"], token: ci).stderr.contains(
                "--timeout '3' has no unit: write 3s"))

        // The control plane restarts while the gate waits: the wait goes on, and ends when the gate is met.
        let (directory, serverURL) = (repo.path, server.url)
        let waiting = Task {
            try await BlastwallBinary.run(
                ["gate", "\(changeID)", "--wait", "--timeout", "60s", "--interval", "200ms"], in: directory,
                environment: ["BLASTWALL_SERVER": serverURL, "BLASTWALL_TOKEN": ci])
        }
        try await Task.sleep(for: .milliseconds(800))
        server.stop()
        try await Task.sleep(for: .seconds(2))
        try await server.start(extraArguments: serverArguments)
        #expect(try await cli(["approve", "\(changeID)"], token: lee).stdout.contains("satisfied"))
        let resumed = try await waiting.value
        #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
        #expect(resumed.stderr.contains("the control plane did not answer"), "\(resumed.stderr)")
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

    /// A server without a mirror takes only reports signed by a ci key; one with a mirror refuses a report
    /// that disagrees with its own analysis (here, one made with a relaxed --config).
    @Test func signedReportsWithoutAMirrorAndMismatchesWithOne() async throws {
        let repo = try await TemporaryRepository()
        try repo.write(["blastwall.yml": Self.configuration, "payments/api.swift": "a\n"])
        try await repo.commit("Initial")
        try await repo.git.execute(["checkout", "--quiet", "-b", "feature"])
        try repo.write(["payments/api.swift": "a2\n", "relaxed.yml": "services:\n  payments: { paths: [\"/payments/\"] }\n"])
        try await repo.commit("Change")
        #expect(try await repo.run(["keygen", "--out", "ci.pem"]).status == 0)
        #expect(try await repo.run(["keygen", "--out", "stranger.pem"]).status == 0)

        let unmirrored = try await LiveServer()
        func token(_ server: LiveServer, _ arguments: [String]) async throws -> String {
            let result = try await server.cli(["identity", "create"] + arguments, token: server.adminToken)
            try #require(result.status == 0, "\(result.stderr)")
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let ci = try await token(unmirrored, ["ci", "--kind", "bot", "--role", "ci", "--attestation-key", repo.path + "/ci.pem.pub"])
        let agent = try await token(unmirrored, ["agent", "--kind", "ai", "--role", "agent"])
        func submit(_ server: LiveServer, _ token: String, _ extra: [String]) async throws -> ProcessOutput {
            try await BlastwallBinary.run(
                ["check", "--submit", "--repository-name", "acme/shop", "--base", "main", "--format", "json"] + extra, in: repo.path,
                environment: ["BLASTWALL_SERVER": server.url, "BLASTWALL_TOKEN": token])
        }
        let unsigned = try await submit(unmirrored, ci, [])
        #expect(unsigned.status == 2 && unsigned.stderr.contains("keeps no mirror of repository 'acme/shop'"), "\(unsigned.stderr)")
        let stranger = try await submit(unmirrored, ci, ["--sign", "stranger.pem"])
        #expect(stranger.status == 2 && stranger.stderr.contains("not signed by the key of any active ci identity"), "\(stranger.stderr)")
        let byAgent = try await submit(unmirrored, agent, ["--sign", "ci.pem"])
        #expect(byAgent.status == 2 && byAgent.stderr.contains("cannot submit client-attested reports"), "\(byAgent.stderr)")
        let signed = try await submit(unmirrored, ci, ["--sign", "ci.pem"])
        #expect(signed.status == 0, "\(signed.stderr)")
        let id = try #require(try json(signed.stdout)["change_id"] as? Int)
        let shown = try await unmirrored.cli(["change", "show", "\(id)", "--format", "json"], token: ci)
        #expect(
            shown.stdout.contains(#""analysed_by":"client-attested""#) || shown.stdout.contains(#""analysed_by": "client-attested""#),
            "\(shown.stdout)")

        let mirrored = try await LiveServer(extraArguments: ["--repository", "acme/shop=" + repo.path])
        let mirroredCI = try await token(mirrored, ["ci", "--kind", "bot", "--role", "ci"])
        let relaxed = try await submit(mirrored, mirroredCI, ["--config", "relaxed.yml"])
        #expect(relaxed.status == 2 && relaxed.stderr.contains("does not match the server's analysis"), "\(relaxed.stderr)")
        #expect(relaxed.stderr.contains("decision: the report says \"allow\", the server's analysis \"review\""), "\(relaxed.stderr)")
        let honest = try await submit(mirrored, mirroredCI, [])
        #expect(honest.status == 0, "\(honest.stderr)")
        let audit = try await mirrored.cli(
            ["audit", "search", "--action", "change.refused", "--format", "json"], token: mirrored.adminToken)
        #expect(audit.stdout.contains("report mismatch"), "\(audit.stdout)")
    }
}
