import BlastwallCore
import BlastwallTestSupport
import Foundation
import Testing

@testable import BlastwallForges

/// Each adapter against the fake forge: the requests it makes are the documented ones (the fake answers
/// only those), and what comes back is read the same way for every forge.
@Suite struct ForgeAdapterTests {
    static let repository = "acme/shop"

    static func forge(_ fake: FakeForge) throws -> any Forge {
        switch fake.kind {
        case .github: try GitHub(webhookSecret: [1], apiURL: fake.apiURL, credentials: .token(fake.token))
        case .gitlab: GitLab(webhookSecret: [1], apiURL: fake.apiURL, token: fake.token)
        case .gitea: Gitea(webhookSecret: [1], apiURL: fake.apiURL, token: fake.token)
        }
    }

    @Test(arguments: [FakeForge.Kind.github, .gitlab, .gitea]) func readsReportsLabelsAndTeams(kind: FakeForge.Kind) async throws {
        let fake = FakeForge(kind: kind)
        try await fake.start()
        let forge = try Self.forge(fake)
        let head = String(repeating: "a", count: 40)
        fake.addPullRequest(
            FakeForge.PullRequest(
                repository: Self.repository, number: 5, head: head, headBranch: "topic", baseBranch: "main", author: "pat"))
        let pull = try await forge.pullRequest(Self.repository, number: 5)
        #expect(
            pull
                == PullRequest(
                    repository: Self.repository, number: 5, head: head, headBranch: "topic", baseBranch: "main",
                    author: ForgeAccount(login: "pat", isBot: false), isOpen: true))

        fake.addReview(Self.repository, 5, login: "dana", state: "APPROVED", commit: head)
        let lee = fake.addReview(Self.repository, 5, login: "lee", state: "CHANGES_REQUESTED", commit: head)
        let reviews = try await forge.reviews(Self.repository, number: 5)
        #expect(reviews.map(\.login) == ["dana", "lee"] && reviews.map(\.state) == [.approved, .changesRequested])
        if kind != .gitlab { #expect(reviews.map(\.commit) == [head, head] && reviews[1].id == String(lee)) }

        try await forge.report(ForgeCheck(head: head, conclusion: .actionRequired, title: "t", summary: "s"), repository: Self.repository)
        #expect(fake.latestReport(on: head)?.state == "pending" && fake.latestReport(on: head)?.kind == "status:blastwall/gate")
        try await forge.report(ForgeCheck(head: head, conclusion: .failure, title: "t", summary: "s"), repository: Self.repository)
        #expect(fake.latestReport(on: head)?.state == (kind == .gitlab ? "failed" : "failure"))

        try await forge.addLabels(["blastwall/tier-1", "blastwall/ai-assisted"], repository: Self.repository, number: 5)
        #expect(try await forge.labels(Self.repository, number: 5) == ["blastwall/tier-1", "blastwall/ai-assisted"])
        try await forge.removeLabel("blastwall/tier-1", repository: Self.repository, number: 5)
        try await forge.removeLabel("never-there", repository: Self.repository, number: 5)
        #expect(fake.labels(Self.repository, 5) == ["blastwall/ai-assisted"])

        let message = "Blastwall: the approval by lee is stale"
        try await forge.dismissReview(reviews[1], message: message, repository: Self.repository, number: 5)
        if kind == .gitlab {
            #expect(fake.notes == [message], "GitLab cannot dismiss one approval: a note says why it does not count")
        } else {
            #expect(fake.dismissals.map(\.message) == [message] && fake.dismissals.map(\.review) == [lee])
        }

        fake.setTeam("acme/senior", members: ["dana"])
        #expect(try await forge.isMember("dana", of: "acme/senior"))
        #expect(try await !forge.isMember("lee", of: "acme/senior"))
        #expect(try await !forge.isMember("dana", of: "acme/nobody"))
        await fake.stop()
    }

    @Test(arguments: [FakeForge.Kind.github, .gitlab, .gitea]) func refusedCredentialsSayWhatToCheck(kind: FakeForge.Kind) async throws {
        let fake = FakeForge(kind: kind)
        try await fake.start()
        let forge: any Forge =
            switch kind {
            case .github: try GitHub(webhookSecret: [1], apiURL: fake.apiURL, credentials: .token("wrong"))
            case .gitlab: GitLab(webhookSecret: [1], apiURL: fake.apiURL, token: "wrong")
            case .gitea: Gitea(webhookSecret: [1], apiURL: fake.apiURL, token: "wrong")
            }
        await #expect {
            try await forge.pullRequest(Self.repository, number: 1)
        } throws: { error in
            guard case .unauthorized(let message) = error as? ForgeError else { return false }
            return message.contains("refused the credentials") && !(error as! ForgeError).isTransient
        }
        await fake.stop()
    }

    @Test func aGitHubAppSignsItsJWTAndUsesInstallationTokens() async throws {
        let key = try FakeForge.makeAppKey()
        let fake = FakeForge(kind: .github, appID: "99", appPublicKey: key.publicPEM)
        try await fake.start()
        let forge = try GitHub(webhookSecret: [1], apiURL: fake.apiURL, credentials: .app(id: "99", privateKeyPEM: key.privatePEM))
        let head = String(repeating: "b", count: 40)
        try await forge.report(
            ForgeCheck(
                head: head, conclusion: .failure, title: "Blastwall: denied", summary: "why",
                annotations: [ForgeAnnotation(path: "a.txt", line: 3, level: .failure, title: "rule", message: "no")]),
            repository: Self.repository)
        let report = try #require(fake.latestReport(on: head))
        #expect(report.kind == "check_run" && report.state == "failure" && report.annotations == 1 && report.summary == "why")
        try await forge.report(ForgeCheck.analysing(head: head, reason: "busy"), repository: Self.repository)
        #expect(fake.latestReport(on: head)?.state == "in_progress")
        #expect(
            fake.requests.filter { $0.contains("access_tokens") }.count == 1,
            "the installation token is kept until it expires: \(fake.requests)")
        let wrongKey = try FakeForge.makeAppKey()
        let impostor = try GitHub(webhookSecret: [1], apiURL: fake.apiURL, credentials: .app(id: "99", privateKeyPEM: wrongKey.privatePEM))
        await #expect(throws: ForgeError.self) { try await impostor.pullRequest(Self.repository, number: 1) }
        #expect(throws: ForgeError.self) { try GitHub(webhookSecret: [1], credentials: .app(id: "1", privateKeyPEM: "not a key")) }
        await fake.stop()
    }

    @Test func linksToNextPagesAreFollowedAndSegmentsEncoded() {
        var headers = ForgeHTTP.Response(status: 200, headers: [:], body: [])
        headers.headers.add(
            name: "Link", value: #"<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last""#)
        #expect(headers.nextPage == "https://api.github.com/x?page=2")
        #expect(ForgeHTTP.Response(status: 200, headers: [:], body: []).nextPage == nil)
        #expect(ForgeHTTP.segment("blastwall/tier-1") == "blastwall%2Ftier-1")
        #expect(ForgeHTTP.segment("a b+é") == "a%20b%2B%C3%A9")
        #expect(throws: ForgeError.self) { try ForgeHTTP.ownerAndName("acme/shop/../x") }
        #expect(ForgeHTTP.redacted("https://g/x?private_token=s") == "https://g/x")
    }
}
