import BlastwallCore
import NIOHTTP1

/// Gitea and Forgejo: webhooks, and the REST API (v1) for pull requests, reviews, commit statuses, labels,
/// dismissals and team membership. Neither has check runs: the gate is the commit status `blastwall/gate`.
public struct Gitea: Forge {
    public let kind = ForgeKind.gitea
    public let webhooks: any ForgeWebhooks
    let http: ForgeHTTP
    let token: String?

    /// `apiURL` is the API's root, `https://HOST/api/v1`; `token` an access token with repository and
    /// organization read and repository write scopes.
    public init(webhookSecret: [UInt8], apiURL: String, token: String?) {
        webhooks = GiteaWebhooks(secret: webhookSecret)
        http = ForgeHTTP(baseURL: apiURL)
        self.token = token
    }

    private func headers() throws(ForgeError) -> [(String, String)] {
        guard let token else { throw .notConfigured("this server has no Gitea token: start it with --gitea-token-file FILE") }
        return [("Authorization", "token \(token)")]
    }

    private func repo(_ repository: String) throws(ForgeError) -> String { "/repos/\(try ForgeHTTP.ownerAndName(repository))" }

    public func pullRequest(_ repository: String, number: Int) async throws(ForgeError) -> PullRequest {
        let json = try await http.send(.GET, "\(try repo(repository))/pulls/\(number)", headers: try headers()).json()
        guard let head = json["head"]?["sha"]?.stringValue, let headBranch = json["head"]?["ref"]?.stringValue,
            let base = json["base"]?["ref"]?.stringValue, let author = ForgeAccount(user: json["user"])
        else { throw .malformed("Gitea's pull request \(repository)#\(number) lacks head.sha, head.ref, base.ref or user.login") }
        return PullRequest(
            repository: repository, number: number, head: head, headBranch: headBranch, baseBranch: base, author: author,
            isOpen: json["state"]?.stringValue == "open")
    }

    public func reviews(_ repository: String, number: Int) async throws(ForgeError) -> [ForgeReviewCounting.ForgeReview] {
        let items = try await http.list("\(try repo(repository))/pulls/\(number)/reviews?limit=50", headers: try headers())
        return items.compactMap { item in
            guard let account = ForgeAccount(user: item["user"]) else { return nil }
            var state: ForgeReviewCounting.ForgeReview.State
            switch item["state"]?.stringValue?.uppercased() {
            case "APPROVED": state = .approved
            case "REQUEST_CHANGES": state = .changesRequested
            case "COMMENT": state = .commented
            default: return nil  // PENDING drafts, REQUEST_REVIEW requests.
            }
            if item["dismissed"] == .bool(true) { state = .dismissed }
            return .init(
                id: item["id"]?.intValue.map { String($0) }, login: account.login, isBot: account.isBot, state: state,
                commit: item["commit_id"]?.stringValue)
        }
    }

    public func report(_ check: ForgeCheck, repository: String) async throws(ForgeError) {
        _ = try await http.send(
            .POST, "\(try repo(repository))/statuses/\(ForgeHTTP.segment(check.head))", json: CommitStatus.body(check),
            headers: try headers())
    }

    public func labels(_ repository: String, number: Int) async throws(ForgeError) -> Set<String> {
        Set(try await issueLabels(repository, number).keys)
    }

    private func issueLabels(_ repository: String, _ number: Int) async throws(ForgeError) -> [String: Int64] {
        let items = try await http.list("\(try repo(repository))/issues/\(number)/labels", headers: try headers())
        return Dictionary(
            items.compactMap { item in item["name"]?.stringValue.flatMap { name in item["id"]?.intValue.map { (name, Int64($0)) } } },
            uniquingKeysWith: { first, _ in first })
    }

    /// Gitea labels pull requests by label id: labels the repository lacks are created first.
    public func addLabels(_ labels: [String], repository: String, number: Int) async throws(ForgeError) {
        guard !labels.isEmpty else { return }
        let existing = try await http.list("\(try repo(repository))/labels?limit=50", headers: try headers())
        var ids: [String: Int] = [:]
        for item in existing { if let name = item["name"]?.stringValue, let id = item["id"]?.intValue { ids[name] = id } }
        var wanted: [JSONValue] = []
        for label in labels {
            if let id = ids[label] {
                wanted.append(.int(Int64(id)))
                continue
            }
            let created = try await http.send(
                .POST, "\(try repo(repository))/labels", json: .object([("name", .string(label)), ("color", .string("#5319e7"))]),
                headers: try headers()
            ).json()
            guard let id = created["id"]?.intValue else { throw .malformed("Gitea created label '\(label)' without an id") }
            wanted.append(.int(Int64(id)))
        }
        _ = try await http.send(
            .POST, "\(try repo(repository))/issues/\(number)/labels", json: .object([("labels", .array(wanted))]), headers: try headers())
    }

    public func removeLabel(_ label: String, repository: String, number: Int) async throws(ForgeError) {
        guard let id = try await issueLabels(repository, number)[label] else { return }
        do {
            _ = try await http.send(.DELETE, "\(try repo(repository))/issues/\(number)/labels/\(id)", headers: try headers())
        } catch .notFound {
            // Removed meanwhile.
        }
    }

    public func dismissReview(
        _ review: ForgeReviewCounting.ForgeReview, message: String, repository: String, number: Int
    ) async throws(ForgeError) {
        guard let id = review.id else { return }
        _ = try await http.send(
            .POST, "\(try repo(repository))/pulls/\(number)/reviews/\(ForgeHTTP.segment(id))/dismissals",
            json: .object([("message", .string(message))]), headers: try headers())
    }

    /// `org/team`: the team is found by name in the organization, then asked about the member.
    public func isMember(_ login: String, of team: String) async throws(ForgeError) -> Bool {
        let organization = String(team.prefix { $0 != "/" })
        let name = String(team.dropFirst(organization.count + 1))
        do {
            let found = try await http.send(
                .GET, "/orgs/\(ForgeHTTP.segment(organization))/teams/search?q=\(ForgeHTTP.segment(name))", headers: try headers()
            ).json()
            guard
                let match = (found["data"]?.arrayValue ?? []).first(where: { $0["name"]?.stringValue?.lowercased() == name.lowercased() }),
                let id = match["id"]?.intValue
            else { return false }
            _ = try await http.send(.GET, "/teams/\(id)/members/\(ForgeHTTP.segment(login))", headers: try headers())
            return true
        } catch .notFound {
            return false
        }
    }
}
