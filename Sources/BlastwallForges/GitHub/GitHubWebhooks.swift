import BlastwallCore

/// GitHub's webhooks: `X-Hub-Signature-256: sha256=HEX` over the exact body, `X-GitHub-Delivery` ids,
/// `pull_request` and `pull_request_review` events.
public struct GitHubWebhooks: ForgeWebhooks {
    public let kind = ForgeKind.github
    let secret: [UInt8]

    public init(secret: [UInt8]) {
        self.secret = secret
    }

    public func authenticate(_ delivery: WebhookDelivery) throws(WebhookRefusal) {
        guard let signature = delivery.header("X-Hub-Signature-256") else {
            throw .badSignature("no X-Hub-Signature-256 header: set the webhook's secret on GitHub to the server's")
        }
        let expected = "sha256=" + WebhookSignature.hexHMAC(delivery.body, secret: secret)
        guard ConstantTime.equal(signature.lowercased(), expected) else {
            throw .badSignature("X-Hub-Signature-256 does not match the body: the webhook's secret differs from the server's")
        }
    }

    public func deliveryID(of delivery: WebhookDelivery) -> String? { delivery.header("X-GitHub-Delivery") }
    public func eventName(of delivery: WebhookDelivery) -> String? { delivery.header("X-GitHub-Event") }

    public func event(named name: String, body bytes: [UInt8]) throws(WebhookRefusal) -> ForgeEvent {
        guard name == "pull_request" || name == "pull_request_review" else { return .ignored(name.isEmpty ? "no event name" : name) }
        let body = try json(bytes)
        guard let repository = body["repository"]?["full_name"]?.stringValue, let pull = body["pull_request"],
            let number = pull["number"]?.intValue, let action = body["action"]?.stringValue
        else { throw .malformed("a \(name) delivery needs repository.full_name, pull_request.number and action") }
        if name == "pull_request" {
            guard let head = pull["head"]?["sha"]?.stringValue, let base = pull["base"]?["ref"]?.stringValue,
                let author = ForgeAccount(user: pull["user"])
            else { throw .malformed("pull_request needs head.sha, base.ref and user.login") }
            let mapped: PullRequestEvent.Action =
                switch action {
                case "opened": .opened
                case "synchronize", "edited": .updated
                case "reopened": .reopened
                case "closed": .closed
                default: .other
                }
            return .pullRequest(
                PullRequestEvent(repository: repository, number: number, action: mapped, head: head, baseBranch: base, author: author))
        }
        guard let review = body["review"], let reviewer = ForgeAccount(user: review["user"]) else {
            throw .malformed("pull_request_review needs review.user.login")
        }
        let state: ReviewEvent.State
        if action == "dismissed" {
            state = .dismissed
        } else {
            switch review["state"]?.stringValue?.lowercased() {
            case "approved": state = .approved
            case "changes_requested": state = .changesRequested
            default: state = .commented
            }
        }
        return .review(
            ReviewEvent(
                repository: repository, number: number, reviewer: reviewer, state: state, commit: review["commit_id"]?.stringValue))
    }
}
