import Crypto
import Foundation

/// Signed webhook deliveries of what happened on the fake forge. GitHub's are the recorded real payloads
/// (`Tests/BlastwallForgesTests/Fixtures/github`) with the values of this pull request put in; GitLab's and
/// Gitea's are written from their documentation.
extension FakeForge {
    public struct Delivery: Sendable {
        public var id: String
        public var headers: [String: String]
        public var body: String
    }

    /// `action`: GitHub's spelling (`opened`, `synchronize`, `closed`, `reopened`).
    public func pullRequestDelivery(_ repository: String, _ number: Int, action: String, secret: String) throws -> Delivery {
        guard let pull = state.withLock({ $0.pulls[Self.key(repository, number)] }) else {
            throw FakeForgeError("no pull request \(repository)#\(number) on the fake forge")
        }
        switch kind {
        case .github:
            var payload = try Self.template(action == "synchronize" ? "pull_request.synchronize" : "pull_request.opened")
            payload["action"] = action
            payload["number"] = number
            payload["pull_request"] = Self.githubPull(payload["pull_request"], pull)
            payload["repository"] = Self.githubRepository(payload["repository"], repository)
            return sign(event: "pull_request", payload, secret: secret)
        case .gitlab:
            let gitlabAction = ["opened": "open", "synchronize": "update", "closed": "close", "reopened": "reopen"][action] ?? action
            return sign(
                event: "Merge Request Hook",
                [
                    "object_kind": "merge_request", "event_type": "merge_request", "user": ["username": pull.author, "name": pull.author],
                    "project": ["path_with_namespace": repository],
                    "object_attributes": [
                        "iid": number, "action": gitlabAction, "state": pull.isOpen ? "opened" : "closed",
                        "source_branch": pull.headBranch, "target_branch": pull.baseBranch, "last_commit": ["id": pull.head],
                    ],
                ], secret: secret)
        case .gitea:
            let giteaAction = action == "synchronize" ? "synchronized" : action
            return sign(
                event: "pull_request",
                [
                    "action": giteaAction, "number": number, "pull_request": Self.giteaPull(pull),
                    "repository": ["full_name": repository], "sender": ["login": pull.author],
                ], secret: secret)
        }
    }

    /// A delivery for the review `id` (already added with `addReview`).
    public func reviewDelivery(_ repository: String, _ number: Int, review id: Int, secret: String) throws -> Delivery {
        guard let pull = state.withLock({ $0.pulls[Self.key(repository, number)] }),
            let review = reviews(repository, number).first(where: { $0.id == id })
        else { throw FakeForgeError("no review \(id) of \(repository)#\(number) on the fake forge") }
        switch kind {
        case .github:
            var payload = try Self.template("pull_request_review.submitted")
            payload["action"] = review.state == "DISMISSED" ? "dismissed" : "submitted"
            var reviewJSON = payload["review"] as? [String: Any] ?? [:]
            reviewJSON["id"] = review.id
            reviewJSON["state"] = review.state.lowercased()
            reviewJSON["commit_id"] = review.commit
            var user = reviewJSON["user"] as? [String: Any] ?? [:]
            user["login"] = review.login
            user["type"] = review.isBot ? "Bot" : "User"
            reviewJSON["user"] = user
            payload["review"] = reviewJSON
            payload["pull_request"] = Self.githubPull(payload["pull_request"], pull)
            payload["repository"] = Self.githubRepository(payload["repository"], repository)
            return sign(event: "pull_request_review", payload, secret: secret)
        case .gitlab:
            let action = review.state == "APPROVED" ? "approved" : "unapproved"
            return sign(
                event: "Merge Request Hook",
                [
                    "object_kind": "merge_request", "user": ["username": review.login, "bot": review.isBot],
                    "project": ["path_with_namespace": repository],
                    "object_attributes": [
                        "iid": number, "action": action, "last_commit": ["id": review.commit], "source_branch": pull.headBranch,
                        "target_branch": pull.baseBranch,
                    ],
                ], secret: secret)
        case .gitea:
            let event =
                ["APPROVED": "pull_request_review_approved", "CHANGES_REQUESTED": "pull_request_review_rejected"][review.state]
                ?? "pull_request_review_comment"
            return sign(
                event: event,
                [
                    "action": "reviewed", "number": number, "pull_request": Self.giteaPull(pull), "repository": ["full_name": repository],
                    "sender": ["login": review.login], "review": ["type": event, "content": ""],
                ], secret: secret)
        }
    }

    /// Posts a delivery to the server's webhook, as the forge would.
    public func send(_ delivery: Delivery, to server: String) async throws -> HTTP.Reply {
        try await HTTP.send("POST", "\(server)/api/v1/forges/\(kind.rawValue)/webhook", body: delivery.body, headers: delivery.headers)
    }

    private func sign(event: String, _ payload: [String: Any], secret: String) -> Delivery {
        let body = String(decoding: (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
        let id = UUID().uuidString.lowercased()
        let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        let hex = mac.map { String(format: "%02x", $0) }.joined()
        let headers: [String: String] =
            switch kind {
            case .github: ["X-GitHub-Event": event, "X-GitHub-Delivery": id, "X-Hub-Signature-256": "sha256=" + hex]
            case .gitlab: ["X-Gitlab-Event": event, "X-Gitlab-Event-UUID": id, "X-Gitlab-Token": secret]
            case .gitea: ["X-Gitea-Event": event, "X-Gitea-Event-Type": event, "X-Gitea-Delivery": id, "X-Gitea-Signature": hex]
            }
        return Delivery(id: id, headers: headers, body: body)
    }

    static func template(_ name: String) throws -> [String: Any] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let url = folder.appendingPathComponent("BlastwallForgesTests/Fixtures/github/\(name).json")
        guard let payload = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw FakeForgeError("\(url.path) is not a JSON object")
        }
        return payload
    }

    private static func githubPull(_ template: Any?, _ pull: PullRequest) -> [String: Any] {
        var json = template as? [String: Any] ?? [:]
        json["number"] = pull.number
        json["state"] = pull.isOpen ? "open" : "closed"
        var head = json["head"] as? [String: Any] ?? [:]
        head["sha"] = pull.head
        head["ref"] = pull.headBranch
        json["head"] = head
        var base = json["base"] as? [String: Any] ?? [:]
        base["ref"] = pull.baseBranch
        json["base"] = base
        var user = json["user"] as? [String: Any] ?? [:]
        user["login"] = pull.author
        user["type"] = pull.authorIsBot ? "Bot" : "User"
        json["user"] = user
        return json
    }

    private static func githubRepository(_ template: Any?, _ repository: String) -> [String: Any] {
        var json = template as? [String: Any] ?? [:]
        json["full_name"] = repository
        json["name"] = String(repository.split(separator: "/").last ?? "")
        return json
    }

    private static func giteaPull(_ pull: PullRequest) -> [String: Any] {
        [
            "number": pull.number, "state": pull.isOpen ? "open" : "closed", "head": ["sha": pull.head, "ref": pull.headBranch],
            "base": ["ref": pull.baseBranch], "user": ["login": pull.author],
        ]
    }
}
