import BlastwallCore

/// GitLab's webhooks: the secret token sent as it is in `X-Gitlab-Token`, `X-Gitlab-Event-UUID` ids, and
/// `Merge Request Hook` events, whose `approved`/`unapproved` actions are the reviews.
public struct GitLabWebhooks: ForgeWebhooks {
    public let kind = ForgeKind.gitlab
    let secret: [UInt8]

    public init(secret: [UInt8]) {
        self.secret = secret
    }

    public func authenticate(_ delivery: WebhookDelivery) throws(WebhookRefusal) {
        guard let token = delivery.header("X-Gitlab-Token") else {
            throw .badSignature("no X-Gitlab-Token header: set the webhook's secret token on GitLab to the server's")
        }
        guard ConstantTime.equal(token, String(decoding: secret, as: UTF8.self)) else {
            throw .badSignature("X-Gitlab-Token does not match the server's secret")
        }
    }

    public func deliveryID(of delivery: WebhookDelivery) -> String? {
        delivery.header("X-Gitlab-Event-UUID") ?? delivery.header("X-Gitlab-Webhook-UUID")
    }

    public func eventName(of delivery: WebhookDelivery) -> String? { delivery.header("X-Gitlab-Event") }

    public func event(named name: String, body bytes: [UInt8]) throws(WebhookRefusal) -> ForgeEvent {
        guard name == "Merge Request Hook" else { return .ignored(name.isEmpty ? "no event name" : name) }
        let body = try json(bytes)
        guard let repository = body["project"]?["path_with_namespace"]?.stringValue, let attributes = body["object_attributes"],
            let number = attributes["iid"]?.intValue, let actor = body["user"]?["username"]?.stringValue
        else { throw .malformed("a Merge Request Hook needs project.path_with_namespace, object_attributes.iid and user.username") }
        let actorAccount = ForgeAccount(login: actor, isBot: body["user"]?["bot"] == .bool(true) || actor.hasSuffix("-bot"))
        let action = attributes["action"]?.stringValue ?? ""
        switch action {
        case "approved", "approval":
            return .review(
                ReviewEvent(
                    repository: repository, number: number, reviewer: actorAccount, state: .approved,
                    commit: attributes["last_commit"]?["id"]?.stringValue))
        case "unapproved", "unapproval":
            return .review(
                ReviewEvent(
                    repository: repository, number: number, reviewer: actorAccount, state: .dismissed,
                    commit: attributes["last_commit"]?["id"]?.stringValue))
        default:
            guard let head = attributes["last_commit"]?["id"]?.stringValue, let base = attributes["target_branch"]?.stringValue else {
                throw .malformed("a Merge Request Hook needs object_attributes.last_commit.id and target_branch")
            }
            // The author is `author_id` only; the acting user opened it when the action is `open`.
            let mapped: PullRequestEvent.Action =
                switch action {
                case "open": .opened
                case "update": .updated
                case "reopen": .reopened
                case "close", "merge": .closed
                default: .other
                }
            return .pullRequest(
                PullRequestEvent(repository: repository, number: number, action: mapped, head: head, baseBranch: base, author: actorAccount)
            )
        }
    }
}
