import BlastwallCore
import Foundation
import PropertyBased
import Testing

@testable import BlastwallForges

/// Each forge's webhooks: signatures checked before anything is read (with GitHub's documented test vector),
/// and the recorded deliveries read into the common events.
@Suite struct WebhookTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/github/\(name).json")
        return Array(try Data(contentsOf: url))
    }

    @Test func githubsDocumentedTestVectorVerifies() throws {
        // From GitHub's "Validating webhook deliveries": this secret and body give this signature.
        let forge = GitHubWebhooks(secret: Array("It's a Secret to Everybody".utf8))
        let signed = WebhookDelivery(
            headers: ["X-Hub-Signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"],
            body: Array("Hello, World!".utf8))
        try forge.authenticate(signed)
        var tampered = signed
        tampered.body = Array("Hello, World?".utf8)
        #expect(throws: WebhookRefusal.self) { try forge.authenticate(tampered) }
        #expect(throws: WebhookRefusal.self) { try forge.authenticate(WebhookDelivery(headers: [:], body: signed.body)) }
        #expect(throws: WebhookRefusal.self) { try GitHubWebhooks(secret: Array("other".utf8)).authenticate(signed) }
    }

    static func signedGitHub(_ event: String, _ body: [UInt8], secret: String = "s3cret") -> WebhookDelivery {
        WebhookDelivery(
            headers: [
                "x-github-event": event, "x-github-delivery": "d-1",
                "x-hub-signature-256": "sha256=" + WebhookSignature.hexHMAC(body, secret: Array(secret.utf8)),
            ], body: body)
    }

    @Test func githubsRecordedDeliveriesAreRead() throws {
        let forge = GitHubWebhooks(secret: Array("s3cret".utf8))
        let opened = Self.signedGitHub("pull_request", try Self.fixture("pull_request.opened"))
        try forge.authenticate(opened)
        #expect(forge.deliveryID(of: opened) == "d-1")
        guard case .pullRequest(let pull) = try forge.event(of: opened) else {
            Issue.record("not a pull request")
            return
        }
        #expect(pull.repository == "Codertocat/Hello-World" && pull.number == 2 && pull.action == .opened)
        #expect(pull.baseBranch == "master" && pull.head.count == 40 && !pull.author.isBot)
        guard
            case .pullRequest(let moved) = try forge.event(
                of: Self.signedGitHub("pull_request", try Self.fixture("pull_request.synchronize")))
        else {
            Issue.record("not a pull request")
            return
        }
        #expect(moved.action == .updated)

        // The recorded review is `commented`; as approved, and from a bot, it reads so.
        let text = String(decoding: try Self.fixture("pull_request_review.submitted"), as: UTF8.self)
            .replacingOccurrences(of: #""state": "commented""#, with: #""state": "approved""#)
        guard case .review(let review) = try forge.event(of: Self.signedGitHub("pull_request_review", Array(text.utf8))) else {
            Issue.record("not a review")
            return
        }
        #expect(review.state == .approved && review.reviewer.login == "Codertocat" && review.commit?.count == 40)
        let bot = text.replacingOccurrences(of: #""type": "User""#, with: #""type": "Bot""#)
        guard case .review(let byBot) = try forge.event(of: Self.signedGitHub("pull_request_review", Array(bot.utf8))) else { return }
        #expect(byBot.reviewer.isBot)
        guard
            case .review(let dismissed) = try forge.event(
                of: Self.signedGitHub("pull_request_review", try Self.fixture("pull_request_review.dismissed")))
        else { return }
        #expect(dismissed.state == .dismissed)
    }

    @Test func unusedEventsAreIgnoredAndBrokenOnesRefused() throws {
        let forge = GitHubWebhooks(secret: Array("s3cret".utf8))
        #expect(try forge.event(of: Self.signedGitHub("push", Array("{}".utf8))) == .ignored("push"))
        #expect(throws: WebhookRefusal.self) { try forge.event(of: Self.signedGitHub("pull_request", Array("not json".utf8))) }
        #expect(throws: WebhookRefusal.self) { try forge.event(of: Self.signedGitHub("pull_request", Array(#"{"action":"opened"}"#.utf8))) }
    }

    @Test func gitlabComparesItsTokenAndReadsApprovals() throws {
        let forge = GitLabWebhooks(secret: Array("tok".utf8))
        let body = Array(
            #"{"object_kind":"merge_request","user":{"username":"dana"},"project":{"path_with_namespace":"acme/shop"},"object_attributes":{"iid":7,"action":"approved","target_branch":"main","last_commit":{"id":"abc"}}}"#
                .utf8)
        let delivery = WebhookDelivery(
            headers: ["X-Gitlab-Token": "tok", "X-Gitlab-Event": "Merge Request Hook", "X-Gitlab-Event-UUID": "u-1"], body: body)
        try forge.authenticate(delivery)
        #expect(throws: WebhookRefusal.self) {
            try forge.authenticate(WebhookDelivery(headers: ["X-Gitlab-Token": "nope"], body: body))
        }
        #expect(forge.deliveryID(of: delivery) == "u-1")
        #expect(
            try forge.event(of: delivery)
                == .review(
                    ReviewEvent(
                        repository: "acme/shop", number: 7, reviewer: ForgeAccount(login: "dana", isBot: false), state: .approved,
                        commit: "abc")))
    }

    @Test func giteaAndForgejoSignTheBody() throws {
        let forge = GiteaWebhooks(secret: Array("k".utf8))
        let body = Array(
            #"{"action":"reviewed","number":3,"pull_request":{"number":3,"head":{"sha":"def"}},"repository":{"full_name":"acme/shop"},"sender":{"login":"lee"}}"#
                .utf8)
        let signature = WebhookSignature.hexHMAC(body, secret: Array("k".utf8))
        let delivery = WebhookDelivery(
            headers: ["X-Gitea-Signature": signature, "X-Gitea-Event-Type": "pull_request_review_rejected", "X-Gitea-Delivery": "g-1"],
            body: body)
        try forge.authenticate(delivery)
        try forge.authenticate(WebhookDelivery(headers: ["X-Forgejo-Signature": signature], body: body))
        #expect(throws: WebhookRefusal.self) { try forge.authenticate(WebhookDelivery(headers: ["X-Gitea-Signature": "00"], body: body)) }
        guard case .review(let review) = try forge.event(of: delivery) else {
            Issue.record("not a review")
            return
        }
        #expect(review.state == .changesRequested && review.reviewer.login == "lee" && review.commit == "def")
    }
}

/// Delivery bodies are open-ended input: whatever a signed body holds, reading it ends in an event or a refusal.
@Suite struct WebhookPropertyTests {
    static let pieces = [
        "{", "}", "[", "]", ",", ":", "\"action\"", "\"opened\"", "\"pull_request\"", "\"number\"", "7", "-1", "1e400", "null",
        "\"head\"", "\"sha\"", "\"review\"", "\"state\"", "\"user\"", "\"login\"", "\"repository\"", "\"full_name\"", "\"a/b\"",
        "\"object_attributes\"", "\"iid\"", "\"project\"", "\"path_with_namespace\"", "true", "\"\\u0000\"", " ",
    ]
    static let bodies = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...60).map { $0.map { pieces[$0] }.joined() }

    @Test func anyBodyEndsInAnEventOrARefusal() async {
        let forges: [(any ForgeWebhooks, [String])] = [
            (GitHubWebhooks(secret: [1]), ["pull_request", "pull_request_review", "push"]),
            (GitLabWebhooks(secret: [1]), ["Merge Request Hook", "Push Hook"]),
            (GiteaWebhooks(secret: [1]), ["pull_request", "pull_request_review_approved", "issues"]),
        ]
        await propertyCheck(count: 2000, input: Self.bodies) { body in
            for (forge, events) in forges {
                for event in events {
                    do throws(WebhookRefusal) {
                        _ = try forge.event(named: event, body: Array(body.utf8))
                    } catch {
                        guard case .malformed = error else {
                            Issue.record("\(event): \(error) is not a malformed refusal for \(body)")
                            return
                        }
                    }
                }
            }
        }
    }
}
