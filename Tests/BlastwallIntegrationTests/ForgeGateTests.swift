import BlastwallTestSupport
import Foundation
import Testing

/// Pull requests on a forge, end to end: the real `blastwall serve` binary, a real git repository served as the
/// forge's remote, and the fake forge (GitHub as an App, with check runs), on SQLite and PostgreSQL.
@Suite(.serialized) struct ForgeGateTests {
    static let secret = "webhook-secret-\(UUID().uuidString)"
    static let repository = "acme/shop"

    static let config = """
        version: 1
        services:
          payments: { paths: ["/payments/"], owners: ["@dana"], tier: 1 }
          ledger: { paths: ["/ledger/"], owners: ["@lee"], tier: 2 }
          docs: { paths: ["/docs/"], owners: ["@kim"], tier: 3 }
        rules:
          - name: two-owners
            when: size(change.services) > 0
            require: { approvals: 2, owners: all }
        forge:
          dismiss_stale: true
        """

    /// The forge's side of one test: its remote, a working clone that pushes to it, and the fake API.
    struct Forge {
        let remote: TemporaryRepository
        let work: TemporaryRepository
        let fake: FakeForge
        let directory: String

        /// Commits Pat's change, pushes it, and tells the server, as GitHub does on `synchronize`.
        func pushAndSynchronize(_ files: [String: String], _ message: String, to server: LiveServer) async throws -> String {
            try work.write(files)
            let head = try await work.commit(message, author: "Pat", email: "pat@acme.example")
            _ = try await push()
            fake.updatePullRequest(ForgeGateTests.repository, 7) { $0.head = head }
            let delivery = try fake.pullRequestDelivery(ForgeGateTests.repository, 7, action: "synchronize", secret: ForgeGateTests.secret)
            _ = try await fake.send(delivery, to: server.url)
            return head
        }

        /// Pushes the working clone's `feature` to the remote's branch and pull ref, as GitHub keeps `refs/pull/N/head`.
        func push() async throws -> String {
            let head = try await work.git.execute(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
            try await work.git.execute(["push", "--quiet", "--force", remote.path, "HEAD:refs/heads/feature", "HEAD:refs/pull/7/head"])
            return head
        }
    }

    static func makeForge() async throws -> (Forge, serverArguments: [String]) {
        let remote = try await TemporaryRepository()
        try remote.write(["blastwall.yml": config, "payments/charge.txt": "v1\n", "ledger/book.txt": "v1\n", "docs/readme.md": "v1\n"])
        try await remote.commit("Initial commit")
        let work = try await TemporaryRepository()
        try await work.git.execute(["fetch", "--quiet", remote.path, "main"])
        try await work.git.execute(["checkout", "--quiet", "-B", "feature", "FETCH_HEAD"])
        let key = try FakeForge.makeAppKey()
        let fake = FakeForge(kind: .github, appID: "31337", appPublicKey: key.publicPEM)
        try await fake.start()
        let directory = remote.path + ".server"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(secret.utf8).write(to: URL(fileURLWithPath: directory + "/webhook-secret"))
        try Data(key.privatePEM.utf8).write(to: URL(fileURLWithPath: directory + "/app-key.pem"))
        try Data(config.utf8).write(to: URL(fileURLWithPath: directory + "/blastwall.yml"))
        let arguments = [
            "--config", directory + "/blastwall.yml", "--repository", "\(repository)=\(remote.path)",
            "--github-webhook-secret-file", directory + "/webhook-secret", "--github-app-id", "31337",
            "--github-private-key-file", directory + "/app-key.pem", "--github-api-url", fake.apiURL,
            "--forge-reconcile-interval", "1s", "--advertise-url", "http://127.0.0.1:1",
        ]
        return (Forge(remote: remote, work: work, fake: fake, directory: directory), arguments)
    }

    static func createIdentities(on server: LiveServer) async throws {
        for (name, login, email) in [
            ("dana", "dana-gh", "dana@acme.example"), ("lee", "lee-gh", "lee@acme.example"), ("kim", "kim-gh", "kim@acme.example"),
            ("sam", "sam-gh", "sam@acme.example"), ("pat", "pat-gh", "pat@acme.example"),
        ] {
            let created = try await server.cli(
                ["identity", "create", name, "--kind", "human", "--role", "approver", "--email", email, "--github", login],
                token: server.adminToken)
            try #require(created.status == 0, "\(created.stderr)")
        }
        let agent = try await server.cli(
            ["identity", "create", "coder", "--kind", "ai", "--role", "agent", "--github", "acme-coder"], token: server.adminToken)
        try #require(agent.status == 0, "\(agent.stderr)")
        let taken = try await server.cli(
            ["identity", "create", "dana2", "--kind", "human", "--role", "approver", "--github", "Dana-GH"], token: server.adminToken)
        #expect(taken.status != 0 && taken.stderr.contains("already belongs to identity 'dana'"), "\(taken.stderr)")
    }

    @Test func aPullRequestIsGatedOnSQLite() async throws {
        try await gatesAPullRequest(database: nil)
    }

    @Test func aPullRequestIsGatedOnPostgreSQL() async throws {
        try await SharedDatabaseTests.onNewPostgresDatabase { database, _ in try await gatesAPullRequest(database: database) }
    }

    func gatesAPullRequest(database: String?) async throws {
        let (forge, arguments) = try await Self.makeForge()
        defer { try? FileManager.default.removeItem(atPath: forge.directory) }
        let fake = forge.fake
        let server = try await LiveServer(extraArguments: arguments, database: database)
        try await Self.createIdentities(on: server)
        let repository = Self.repository

        // An AI-assisted change by Pat, co-authored by Sam, to two services.
        try forge.work.write(["payments/charge.txt": "v2\n", "ledger/book.txt": "v2\n"])
        let first = try await forge.work.commit(
            "Charge and book together\n\nCo-authored-by: Sam <sam@acme.example>\nCo-authored-by: Claude <noreply@anthropic.com>",
            author: "Pat", email: "pat@acme.example")
        #expect(try await forge.push() == first)
        fake.addPullRequest(
            FakeForge.PullRequest(
                repository: repository, number: 7, head: first, headBranch: "feature", baseBranch: "main", author: "pat-gh"))
        let opened = try await fake.send(try fake.pullRequestDelivery(repository, 7, action: "opened", secret: Self.secret), to: server.url)
        #expect(opened.status == 202, "\(opened.body)")

        try await eventually("the pull request shows pending, analysing first", within: .seconds(30)) {
            fake.latestReport(on: first)?.state == "action_required"
        }
        let analysing = try #require(fake.reports.first { $0.head == first })
        #expect(analysing.state == "in_progress" && analysing.summary.contains("analysing"), "\(analysing)")
        var report = try #require(fake.latestReport(on: first))
        #expect(report.kind == "check_run" && report.summary.contains("1 owner of `ledger`") && report.summary.contains("Risk"))
        #expect(report.detailsURL?.hasPrefix("http://127.0.0.1:1/api/v1/changes/") == true)
        try await eventually("the analysis labels the pull request") {
            Set(fake.labels(repository, 7)) == ["blastwall/ai-assisted", "blastwall/tier-1", "blastwall/needs-owners"]
        }

        // A bot, an AI agent (by the built-in list and by its identity), the author and the co-author: none counts.
        for (login, isBot) in [
            ("renovate[bot]", true), ("copilot-swe-agent", false), ("acme-coder", false), ("pat-gh", false), ("sam-gh", false),
        ] {
            let id = fake.addReview(repository, 7, login: login, isBot: isBot, state: "APPROVED", commit: first)
            _ = try await fake.send(try fake.reviewDelivery(repository, 7, review: id, secret: Self.secret), to: server.url)
        }
        try await eventually("every ignored reviewer is named with the reason", within: .seconds(20)) {
            let summary = fake.latestReport(on: first)?.summary ?? ""
            return summary.contains("sam-gh wrote or co-wrote") && summary.contains("coder is an AI identity")
        }
        report = try #require(fake.latestReport(on: first))
        #expect(report.state == "action_required", "\(report)")
        for reason in [
            "renovate\\[bot\\] is a bot", "copilot-swe-agent is an AI agent", "coder is an AI identity", "pat-gh opened the pull request",
        ] {
            #expect(report.summary.contains(reason), "\(reason) in \(report.summary)")
        }

        // The owners of both services approve: satisfied.
        for login in ["dana-gh", "lee-gh"] {
            let id = fake.addReview(repository, 7, login: login, state: "APPROVED", commit: first)
            _ = try await fake.send(try fake.reviewDelivery(repository, 7, review: id, secret: Self.secret), to: server.url)
        }
        try await eventually("two owners satisfy the gate", within: .seconds(20)) { fake.latestReport(on: first)?.state == "success" }
        try await eventually("the needs-owners label goes once owners approved") {
            !fake.labels(repository, 7).contains("blastwall/needs-owners")
        }

        // A push touching only another service keeps both approvals; that service's owner is then needed too.
        let second = try await forge.pushAndSynchronize(["docs/readme.md": "v2\n"], "Document it", to: server)
        try await eventually("approvals outside the push's service keep counting", within: .seconds(30)) {
            fake.latestReport(on: second)?.state == "action_required"
        }
        report = try #require(fake.latestReport(on: second))
        #expect(
            report.summary.contains("**Counted approvals:** dana, lee") && report.summary.contains("1 owner of `docs`"), "\(report.summary)"
        )
        #expect(!report.summary.contains("Stale"), "\(report.summary)")
        let kimForDocs = fake.addReview(repository, 7, login: "kim-gh", state: "APPROVED", commit: second)
        _ = try await fake.send(try fake.reviewDelivery(repository, 7, review: kimForDocs, secret: Self.secret), to: server.url)
        try await eventually("the docs owner's approval completes the gate", within: .seconds(20)) {
            fake.latestReport(on: second)?.state == "success"
        }

        // A push into Lee's service makes Lee's approval stale: pending, the file named, the review dismissed.
        let third = try await forge.pushAndSynchronize(["ledger/book.txt": "v3\n"], "Book differently", to: server)
        try await eventually("the stale approval is named and dismissed", within: .seconds(30)) {
            fake.latestReport(on: third)?.state == "action_required" && !fake.dismissals.isEmpty
        }
        report = try #require(fake.latestReport(on: third))
        #expect(report.summary.contains("lee-gh") && report.summary.contains("`ledger/book.txt`"), "\(report.summary)")
        #expect(fake.dismissals.count == 1 && fake.dismissals[0].message.contains("ledger/book.txt"))
        try await eventually("the needs-owners label is back") { fake.labels(repository, 7).contains("blastwall/needs-owners") }

        // Lee approves again; then Kim asks for changes, which blocks.
        let again = fake.addReview(repository, 7, login: "lee-gh", state: "APPROVED", commit: third)
        _ = try await fake.send(try fake.reviewDelivery(repository, 7, review: again, secret: Self.secret), to: server.url)
        try await eventually("Lee's new approval counts", within: .seconds(20)) { fake.latestReport(on: third)?.state == "success" }
        let changes = fake.addReview(repository, 7, login: "kim-gh", state: "CHANGES_REQUESTED", commit: third)
        _ = try await fake.send(try fake.reviewDelivery(repository, 7, review: changes, secret: Self.secret), to: server.url)
        try await eventually("changes requested block", within: .seconds(20)) { fake.latestReport(on: third)?.state == "failure" }
        #expect(fake.latestReport(on: third)?.title.contains("rejected by kim") == true)

        // Killed right after acknowledging a delivery: applied after the restart.
        fake.delayPullRequestReads(.seconds(3))
        let kimApproves = fake.addReview(repository, 7, login: "kim-gh", state: "APPROVED", commit: third)
        let acknowledged = try await fake.send(
            try fake.reviewDelivery(repository, 7, review: kimApproves, secret: Self.secret), to: server.url)
        #expect(acknowledged.status == 202)
        server.stop(signal: SIGKILL)
        fake.delayPullRequestReads(.zero)
        #expect(fake.latestReport(on: third)?.state == "failure", "nothing was applied before the kill")
        try await server.start(extraArguments: arguments)
        try await eventually("the acknowledged delivery is applied after the restart", within: .seconds(30)) {
            fake.latestReport(on: third)?.state == "success"
        }

        // A delivery dropped on the floor: reconciliation reads the review anyway.
        let dropped = fake.addReview(repository, 7, login: "dana-gh", state: "CHANGES_REQUESTED", commit: third)
        _ = dropped
        try await eventually("reconciliation picks up a review whose delivery never came", within: .seconds(30)) {
            fake.latestReport(on: third)?.state == "failure"
        }

        // Every decision is in the audit chain, which verifies.
        let audit = try await server.cli(["audit", "export"], token: server.adminToken)
        #expect(audit.stdout.contains("forge.reviews.applied") && audit.stdout.contains("forge.review.dismissed"), "\(audit.stderr)")
        let verified = try await server.cli(["audit", "verify", "--database", server.database], token: server.adminToken)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        await fake.stop()
    }
}

/// GitHub with a token, GitLab and Gitea: the gate as the commit status `blastwall/gate`, a group backed by
/// a forge team, and unmapped reviewers counted when `forge.unmapped_reviewers: count` says so.
@Suite struct ForgeCommitStatusTests {
    static let config = """
        version: 1
        services:
          payments: { paths: ["/payments/"], owners: ["@dana"], tier: 2 }
        groups:
          senior: { github_team: acme/senior, gitlab_group: acme/senior, gitea_team: acme/senior }
        rules:
          - name: seniors
            when: size(change.services) > 0
            require: { approvals: 2, groups: { senior: 1 } }
        forge:
          unmapped_reviewers: count
          labels: { tier: "risk/tier-{tier}", ai_assisted: ~ }
        """

    @Test(arguments: [FakeForge.Kind.github, .gitlab, .gitea]) func theGateIsACommitStatus(kind: FakeForge.Kind) async throws {
        let secret = "secret-\(UUID().uuidString)"
        let repository = "acme/shop"
        let remote = try await TemporaryRepository()
        try remote.write(["blastwall.yml": Self.config, "payments/charge.txt": "v1\n"])
        try await remote.commit("Initial commit")
        try await remote.git.execute(["checkout", "--quiet", "-b", "feature"])
        try remote.write(["payments/charge.txt": "v2\n"])
        let head = try await remote.commit("Charge more", author: "Pat", email: "pat@acme.example")
        try await remote.git.execute(["checkout", "--quiet", "main"])
        let pullRef = kind == .gitlab ? "refs/merge-requests/3/head" : "refs/pull/3/head"
        try await remote.git.execute(["update-ref", pullRef, head])

        let fake = FakeForge(kind: kind)
        try await fake.start()
        let directory = remote.path + ".server"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (file, text) in [("secret", secret), ("token", fake.token), ("blastwall.yml", Self.config)] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(directory)/\(file)"))
        }
        let name = kind.rawValue
        let server = try await LiveServer(extraArguments: [
            "--config", directory + "/blastwall.yml", "--repository", "\(repository)=\(remote.path)",
            "--\(name)-webhook-secret-file", directory + "/secret", "--\(name)-token-file", directory + "/token",
            "--\(name)-api-url", fake.apiURL, "--forge-reconcile-interval", "1s",
        ])
        let dana = try await server.cli(
            ["identity", "create", "dana", "--kind", "human", "--role", "approver", "--\(name)", "dana-fg"], token: server.adminToken)
        try #require(dana.status == 0, "\(dana.stderr)")
        fake.setTeam("acme/senior", members: ["dana-fg"])

        fake.addPullRequest(
            FakeForge.PullRequest(
                repository: repository, number: 3, head: head, headBranch: "feature", baseBranch: "main", author: "pat-fg"))
        let opened = try await fake.send(try fake.pullRequestDelivery(repository, 3, action: "opened", secret: secret), to: server.url)
        #expect(opened.status == 202, "\(opened.body)")
        try await eventually("the pull request shows the gate pending", within: .seconds(30)) {
            fake.latestReport(on: head)?.description.hasPrefix("pending: needs") == true
        }
        var report = try #require(fake.latestReport(on: head))
        #expect(report.kind == "status:blastwall/gate" && report.state == "pending", "\(report)")
        #expect(report.description.count <= 140 && report.description.contains("1 of group `senior`"), "\(report.description)")
        try await eventually("the tier label, renamed") { fake.labels(repository, 3) == ["risk/tier-2"] }

        // An unmapped reviewer counts as an approver, but is not in the team behind `senior`.
        let outsider = fake.addReview(repository, 3, login: "outsider", state: "APPROVED", commit: head)
        _ = try await fake.send(try fake.reviewDelivery(repository, 3, review: outsider, secret: secret), to: server.url)
        try await eventually("the unmapped approval counts", within: .seconds(20)) {
            fake.latestReport(on: head)?.description == "pending: needs 1 of group `senior`, 1 more approval (1 of 2)"
        }
        // Dana is in the team: her approval meets the group.
        let approval = fake.addReview(repository, 3, login: "dana-fg", state: "APPROVED", commit: head)
        _ = try await fake.send(try fake.reviewDelivery(repository, 3, review: approval, secret: secret), to: server.url)
        try await eventually("a team member's approval satisfies the gate", within: .seconds(20)) {
            fake.latestReport(on: head)?.state == "success"
        }
        report = try #require(fake.latestReport(on: head))
        #expect(report.description.contains("approved by") && report.description.contains("dana"), "\(report.description)")
        await fake.stop()
    }
}
