import BlastwallCore

/// Gitea's and Forgejo's webhooks: `X-Gitea-Signature` (or `X-Forgejo-Signature`), the hex HMAC-SHA256 of the
/// body, `X-Gitea-Delivery` ids, `pull_request` events and the `pull_request_review_*` review events.
public struct GiteaWebhooks: ForgeWebhooks {
    public let kind = ForgeKind.gitea
    let secret: [UInt8]

    public init(secret: [UInt8]) {
        self.secret = secret
    }

    public func authenticate(_ delivery: WebhookDelivery) throws(WebhookRefusal) {
        guard let signature = delivery.header("X-Gitea-Signature") ?? delivery.header("X-Forgejo-Signature") else {
            throw .badSignature("no X-Gitea-Signature header: set the webhook's secret on Gitea to the server's")
        }
        guard ConstantTime.equal(signature.lowercased(), WebhookSignature.hexHMAC(delivery.body, secret: secret)) else {
            throw .badSignature("X-Gitea-Signature does not match the body: the webhook's secret differs from the server's")
        }
    }

    public func deliveryID(of delivery: WebhookDelivery) -> String? {
        delivery.header("X-Gitea-Delivery") ?? delivery.header("X-Forgejo-Delivery")
    }

    public func eventName(of delivery: WebhookDelivery) -> String? {
        delivery.header("X-Gitea-Event-Type") ?? delivery.header("X-Gitea-Event") ?? delivery.header("X-Forgejo-Event")
    }

    public func event(named name: String, body bytes: [UInt8]) throws(WebhookRefusal) -> ForgeEvent {
        let reviewStates: [String: ReviewEvent.State] = [
            "pull_request_review_approved": .approved, "pull_request_review_rejected": .changesRequested,
            "pull_request_review_comment": .commented,
        ]
        guard name == "pull_request" || reviewStates[name] != nil else { return .ignored(name.isEmpty ? "no event name" : name) }
        let body = try json(bytes)
        guard let repository = body["repository"]?["full_name"]?.stringValue, let pull = body["pull_request"],
            let number = pull["number"]?.intValue ?? body["number"]?.intValue
        else { throw .malformed("a \(name) delivery needs repository.full_name and pull_request.number") }
        if let state = reviewStates[name] {
            guard let reviewer = ForgeAccount(user: body["sender"]) else { throw .malformed("a review delivery needs sender.login") }
            return .review(
                ReviewEvent(
                    repository: repository, number: number, reviewer: reviewer, state: state, commit: pull["head"]?["sha"]?.stringValue))
        }
        guard let head = pull["head"]?["sha"]?.stringValue, let base = pull["base"]?["ref"]?.stringValue,
            let author = ForgeAccount(user: pull["user"])
        else { throw .malformed("pull_request needs head.sha, base.ref and user.login") }
        let mapped: PullRequestEvent.Action =
            switch body["action"]?.stringValue ?? "" {
            case "opened": .opened
            case "synchronized", "synchronize", "edited": .updated
            case "reopened": .reopened
            case "closed": .closed
            default: .other
            }
        return .pullRequest(
            PullRequestEvent(repository: repository, number: number, action: mapped, head: head, baseBranch: base, author: author))
    }
}
