import BlastwallCore
import NIOHTTP1

/// GitHub (and GitHub Enterprise Server): webhooks, and the REST API for pull requests, reviews, check runs or
/// commit statuses, labels, dismissals and team membership.
public struct GitHub: Forge {
    public let kind = ForgeKind.github
    public let webhooks: any ForgeWebhooks
    let http: ForgeHTTP
    let credentials: GitHubCredentials
    let appTokens: GitHubAppTokens?

    /// The public API; GitHub Enterprise Server's is `https://HOST/api/v3`.
    public static let publicAPI = "https://api.github.com"

    public init(webhookSecret: [UInt8], apiURL: String = GitHub.publicAPI, credentials: GitHubCredentials) throws(ForgeError) {
        webhooks = GitHubWebhooks(secret: webhookSecret)
        http = ForgeHTTP(baseURL: apiURL)
        self.credentials = credentials
        if case .app(let id, let pem) = credentials {
            appTokens = try GitHubAppTokens(appID: id, privateKeyPEM: pem, http: http)
        } else {
            appTokens = nil
        }
    }

    /// Check runs need an App; a token reports a commit status.
    var reportsCheckRuns: Bool { appTokens != nil }

    /// `repository` is `owner/name`, or `owner` alone for calls on an organization (team membership).
    private func headers(for repository: String) async throws(ForgeError) -> [(String, String)] {
        let token: String
        switch credentials {
        case .token(let value): token = value
        case .app: token = try await appTokens!.token(for: repository)
        case .none:
            throw .notConfigured(
                "this server has no GitHub credentials: start it with --github-token-file FILE, or --github-app-id ID and "
                    + "--github-private-key-file FILE")
        }
        return [("Authorization", "Bearer \(token)"), ("Accept", "application/vnd.github+json"), ("X-GitHub-Api-Version", "2022-11-28")]
    }

    /// A call on `repository`'s behalf; a 401 with App credentials is retried once with a fresh token.
    private func send(
        _ method: HTTPMethod, _ path: String, json: JSONValue? = nil, repository: String
    ) async throws(ForgeError) -> ForgeHTTP.Response {
        do {
            return try await http.send(method, path, json: json, headers: try await headers(for: repository))
        } catch .unauthorized(let message) {
            guard let appTokens else { throw .unauthorized(message) }
            await appTokens.forget(repository)
            return try await http.send(method, path, json: json, headers: try await headers(for: repository))
        }
    }

    private func list(_ path: String, repository: String) async throws(ForgeError) -> [JSONValue] {
        try await http.list(path, headers: try await headers(for: repository))
    }

    public func pullRequest(_ repository: String, number: Int) async throws(ForgeError) -> PullRequest {
        let json = try await send(.GET, "/repos/\(try ForgeHTTP.ownerAndName(repository))/pulls/\(number)", repository: repository).json()
        guard let head = json["head"]?["sha"]?.stringValue, let headBranch = json["head"]?["ref"]?.stringValue,
            let base = json["base"]?["ref"]?.stringValue, let author = ForgeAccount(user: json["user"])
        else { throw .malformed("GitHub's pull request \(repository)#\(number) lacks head.sha, head.ref, base.ref or user.login") }
        return PullRequest(
            repository: repository, number: number, head: head, headBranch: headBranch, baseBranch: base, author: author,
            isOpen: json["state"]?.stringValue == "open")
    }

    public func reviews(_ repository: String, number: Int) async throws(ForgeError) -> [ForgeReviewCounting.ForgeReview] {
        let items = try await list(
            "/repos/\(try ForgeHTTP.ownerAndName(repository))/pulls/\(number)/reviews?per_page=100", repository: repository)
        return items.compactMap { item in
            guard let account = ForgeAccount(user: item["user"]) else { return nil }
            let state: ForgeReviewCounting.ForgeReview.State
            switch item["state"]?.stringValue?.uppercased() {
            case "APPROVED": state = .approved
            case "CHANGES_REQUESTED": state = .changesRequested
            case "DISMISSED": state = .dismissed
            case "COMMENTED": state = .commented
            default: return nil  // PENDING: a draft review its author has not submitted.
            }
            return ForgeReviewCounting.ForgeReview(
                id: item["id"]?.intValue.map { String($0) }, login: account.login, isBot: account.isBot, state: state,
                commit: item["commit_id"]?.stringValue)
        }
    }

    public func report(_ check: ForgeCheck, repository: String) async throws(ForgeError) {
        let path = "/repos/\(try ForgeHTTP.ownerAndName(repository))"
        if reportsCheckRuns {
            var output: [(String, JSONValue)] = [("title", .string(check.title)), ("summary", .string(check.summary))]
            // GitHub takes at most 50 annotations per request.
            let annotations = check.annotations.prefix(50).map { annotation in
                JSONValue.object([
                    ("path", .string(annotation.path)), ("start_line", .int(Int64(annotation.line))),
                    ("end_line", .int(Int64(annotation.line))), ("annotation_level", .string(annotation.level.rawValue)),
                    ("title", .string(annotation.title)), ("message", .string(annotation.message)),
                ])
            }
            if !annotations.isEmpty { output.append(("annotations", .array(annotations))) }
            var body: [(String, JSONValue)] = [
                ("name", .string("blastwall")), ("head_sha", .string(check.head)), ("output", .object(output)),
            ]
            if check.conclusion == .pending {
                body.append(("status", .string("in_progress")))
            } else {
                body += [("status", .string("completed")), ("conclusion", .string(check.conclusion.rawValue))]
            }
            if let url = check.detailsURL { body.append(("details_url", .string(url))) }
            _ = try await send(.POST, "\(path)/check-runs", json: .object(body), repository: repository)
        } else {
            _ = try await send(
                .POST, "\(path)/statuses/\(ForgeHTTP.segment(check.head))", json: CommitStatus.body(check), repository: repository)
        }
    }

    public func labels(_ repository: String, number: Int) async throws(ForgeError) -> Set<String> {
        let items = try await list(
            "/repos/\(try ForgeHTTP.ownerAndName(repository))/issues/\(number)/labels?per_page=100", repository: repository)
        return Set(items.compactMap { $0["name"]?.stringValue })
    }

    public func addLabels(_ labels: [String], repository: String, number: Int) async throws(ForgeError) {
        guard !labels.isEmpty else { return }
        _ = try await send(
            .POST, "/repos/\(try ForgeHTTP.ownerAndName(repository))/issues/\(number)/labels",
            json: .object([("labels", .array(labels.map(JSONValue.string)))]), repository: repository)
    }

    public func removeLabel(_ label: String, repository: String, number: Int) async throws(ForgeError) {
        do {
            _ = try await send(
                .DELETE, "/repos/\(try ForgeHTTP.ownerAndName(repository))/issues/\(number)/labels/\(ForgeHTTP.segment(label))",
                repository: repository)
        } catch .notFound {
            // Someone removed it already.
        }
    }

    public func dismissReview(
        _ review: ForgeReviewCounting.ForgeReview, message: String, repository: String, number: Int
    ) async throws(ForgeError) {
        guard let id = review.id else { return }
        _ = try await send(
            .PUT, "/repos/\(try ForgeHTTP.ownerAndName(repository))/pulls/\(number)/reviews/\(ForgeHTTP.segment(id))/dismissals",
            json: .object([("message", .string(message)), ("event", .string("DISMISS"))]), repository: repository)
    }

    public func isMember(_ login: String, of team: String) async throws(ForgeError) -> Bool {
        let organization = String(team.prefix { $0 != "/" })
        let slug = String(team.dropFirst(organization.count + 1))
        do {
            let path = "/orgs/\(ForgeHTTP.segment(organization))/teams/\(ForgeHTTP.segment(slug))/memberships/\(ForgeHTTP.segment(login))"
            // With an App, the installation on the organization answers (it needs the Members: read permission).
            let json = try await send(.GET, path, repository: organization).json()
            return json["state"]?.stringValue == "active"
        } catch .notFound {
            return false
        }
    }
}
