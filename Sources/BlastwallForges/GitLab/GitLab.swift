import BlastwallCore
import NIOHTTP1

/// GitLab (gitlab.com or self-managed): webhooks, and the REST API (v4) for merge requests, their approvals and
/// reviewers, commit statuses, labels, notes and group membership. GitLab has no check runs: the gate is the
/// commit status `blastwall/gate`.
public struct GitLab: Forge {
    public let kind = ForgeKind.gitlab
    public let webhooks: any ForgeWebhooks
    let http: ForgeHTTP
    let token: String?

    public static let publicAPI = "https://gitlab.com/api/v4"

    /// `apiURL` is the API's root, `https://HOST/api/v4`; `token` a personal, group or project access token
    /// with the `api` scope.
    public init(webhookSecret: [UInt8], apiURL: String = GitLab.publicAPI, token: String?) {
        webhooks = GitLabWebhooks(secret: webhookSecret)
        http = ForgeHTTP(baseURL: apiURL)
        self.token = token
    }

    private func headers() throws(ForgeError) -> [(String, String)] {
        guard let token else { throw .notConfigured("this server has no GitLab token: start it with --gitlab-token-file FILE") }
        return [("PRIVATE-TOKEN", token)]
    }

    /// A project's id in paths: its full path, encoded as one segment.
    private func project(_ repository: String) -> String { "/projects/\(ForgeHTTP.segment(repository))" }

    private func mergeRequest(_ repository: String, _ number: Int) -> String { "\(project(repository))/merge_requests/\(number)" }

    public func pullRequest(_ repository: String, number: Int) async throws(ForgeError) -> PullRequest {
        let json = try await http.send(.GET, mergeRequest(repository, number), headers: try headers()).json()
        guard let head = json["sha"]?.stringValue, let source = json["source_branch"]?.stringValue,
            let target = json["target_branch"]?.stringValue, let author = json["author"]?["username"]?.stringValue
        else { throw .malformed("GitLab's merge request \(repository)!\(number) lacks sha, source_branch, target_branch or author") }
        return PullRequest(
            repository: repository, number: number, head: head, headBranch: source, baseBranch: target,
            author: ForgeAccount(login: author, isBot: json["author"]?["bot"] == .bool(true)),
            isOpen: json["state"]?.stringValue == "opened")
    }

    /// Approvals (GitLab records no commit for them), and reviewers who asked for changes.
    public func reviews(_ repository: String, number: Int) async throws(ForgeError) -> [ForgeReviewCounting.ForgeReview] {
        let approvals = try await http.send(.GET, "\(mergeRequest(repository, number))/approvals", headers: try headers()).json()
        var reviews: [ForgeReviewCounting.ForgeReview] = []
        for item in approvals["approved_by"]?.arrayValue ?? [] {
            guard let login = item["user"]?["username"]?.stringValue else { continue }
            reviews.append(.init(login: login, isBot: item["user"]?["bot"] == .bool(true), state: .approved))
        }
        let reviewers = try await http.list("\(mergeRequest(repository, number))/reviewers", headers: try headers())
        for item in reviewers where item["state"]?.stringValue == "requested_changes" {
            guard let login = item["user"]?["username"]?.stringValue else { continue }
            reviews.append(.init(login: login, isBot: item["user"]?["bot"] == .bool(true), state: .changesRequested))
        }
        return reviews
    }

    public func report(_ check: ForgeCheck, repository: String) async throws(ForgeError) {
        let state =
            switch check.conclusion {
            case .success: "success"
            case .failure: "failed"
            case .pending: "running"
            case .actionRequired: "pending"
            }
        var body: [(String, JSONValue)] = [
            ("state", .string(state)), ("name", .string(CommitStatus.context)), ("description", .string(check.description)),
        ]
        if let url = check.detailsURL { body.append(("target_url", .string(url))) }
        _ = try await http.send(
            .POST, "\(project(repository))/statuses/\(ForgeHTTP.segment(check.head))", json: .object(body), headers: try headers())
    }

    public func labels(_ repository: String, number: Int) async throws(ForgeError) -> Set<String> {
        let json = try await http.send(.GET, mergeRequest(repository, number), headers: try headers()).json()
        return Set((json["labels"]?.arrayValue ?? []).compactMap(\.stringValue))
    }

    public func addLabels(_ labels: [String], repository: String, number: Int) async throws(ForgeError) {
        guard !labels.isEmpty else { return }
        _ = try await http.send(
            .PUT, mergeRequest(repository, number), json: .object([("add_labels", .string(labels.joined(separator: ",")))]),
            headers: try headers())
    }

    public func removeLabel(_ label: String, repository: String, number: Int) async throws(ForgeError) {
        _ = try await http.send(
            .PUT, mergeRequest(repository, number), json: .object([("remove_labels", .string(label))]), headers: try headers())
    }

    /// GitLab's API cannot withdraw one person's approval; the stale approval is not counted, and a note says why.
    public func dismissReview(
        _ review: ForgeReviewCounting.ForgeReview, message: String, repository: String, number: Int
    ) async throws(ForgeError) {
        _ = try await http.send(
            .POST, "\(mergeRequest(repository, number))/notes", json: .object([("body", .string(message))]), headers: try headers())
    }

    /// Members of the group (its full path), inherited memberships included.
    public func isMember(_ login: String, of team: String) async throws(ForgeError) -> Bool {
        do {
            let members = try await http.list(
                "/groups/\(ForgeHTTP.segment(team))/members/all?per_page=100&query=\(ForgeHTTP.segment(login))", headers: try headers())
            return members.contains {
                $0["username"]?.stringValue?.lowercased() == login.lowercased() && $0["state"]?.stringValue != "blocked"
            }
        } catch .notFound {
            return false
        }
    }
}
