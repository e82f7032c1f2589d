import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import _CryptoExtras

/// The REST endpoints, one function per forge; paths are matched on their raw (still percent-encoded) segments.
extension FakeForge {
    func respond(_ request: Request) async -> Response {
        let body = (try? await request.body.collect(upTo: 4 << 20)).map { Data(buffer: $0) } ?? Data()
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        let rawPath = request.uri.path
        let method = request.method.rawValue
        state.withLock { $0.requests.append("\(method) \(rawPath)") }
        let segments = rawPath.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        let query = Self.query(request.uri.query)
        let authorization = request.headers[.authorization] ?? ""
        if kind == .github, segments.first == "app" || (segments.count == 4 && segments.last == "installation") {
            return appRoute(method, segments, authorization: authorization)
        }
        guard authorized(request, authorization: authorization) else {
            return Self.reply(401, ["message": "Bad credentials"])
        }
        // GitHub's API is at the root; GitLab's under /api/v4 and Gitea's under /api/v1.
        let api = kind == .github ? segments : Array(segments.dropFirst(2))
        let readsPullRequest =
            method == "GET"
            && ((api.count == 5 && api[3] == "pulls") || (kind == .gitlab && api.count == 4 && api[2] == "merge_requests"))
        let delay = state.withLock { $0.pullRequestDelay }
        if readsPullRequest, delay > .zero { try? await Task.sleep(for: delay) }
        switch kind {
        case .github: return github(method, api, json)
        case .gitlab: return gitlab(method, api, json, query: query)
        case .gitea: return gitea(method, api, json, query: query)
        }
    }

    private func authorized(_ request: Request, authorization: String) -> Bool {
        switch kind {
        case .github:
            let presented = authorization.hasPrefix("Bearer ") ? String(authorization.dropFirst(7)) : ""
            return presented == token || state.withLock { $0.issuedTokens.contains(presented) }
        case .gitlab: return request.headers[HTTPField.Name("PRIVATE-TOKEN")!] == token
        case .gitea: return authorization == "token \(token)"
        }
    }

    // MARK: GitHub

    /// `GET /repos/O/R/installation`, `GET /orgs/O/installation` and `POST /app/installations/ID/access_tokens`,
    /// authenticated by the App's RS256 JWT.
    private func appRoute(_ method: String, _ segments: [String], authorization: String) -> Response {
        guard let reason = jwtProblem(authorization) else {
            if method == "POST", segments.count == 4, segments[1] == "installations", segments[3] == "access_tokens" {
                let issued = "ghs_\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))"
                state.withLock { _ = $0.issuedTokens.insert(issued) }
                let expires = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
                return Self.reply(201, ["token": issued, "expires_at": expires])
            }
            return Self.reply(200, ["id": 4242, "app_id": Int(appID ?? "0") ?? 0])
        }
        return Self.reply(401, ["message": reason])
    }

    /// Why the App's JWT is refused, or nil when it is valid: RS256 over header.payload with the App's key,
    /// issued by the App's id, not expired, at most ten minutes long.
    private func jwtProblem(_ authorization: String) -> String? {
        guard let appPublicKey, authorization.hasPrefix("Bearer ") else { return "A JSON web token could not be decoded" }
        let parts = authorization.dropFirst(7).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let header = Self.base64URL(parts[0]), let payload = Self.base64URL(parts[1]),
            let signature = Self.base64URL(parts[2]),
            let headerJSON = try? JSONSerialization.jsonObject(with: header) as? [String: Any],
            let claims = try? JSONSerialization.jsonObject(with: payload) as? [String: Any]
        else { return "A JSON web token could not be decoded" }
        guard headerJSON["alg"] as? String == "RS256" else { return "'alg' must be RS256" }
        guard let key = try? _RSA.Signing.PublicKey(pemRepresentation: appPublicKey),
            key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: Data((parts[0] + "." + parts[1]).utf8)),
                padding: .insecurePKCS1v1_5)
        else { return "the JWT's signature does not match the App's public key" }
        let now = Date().timeIntervalSince1970
        guard let issued = claims["iat"] as? Double ?? (claims["iat"] as? Int).map(Double.init),
            let expires = claims["exp"] as? Double ?? (claims["exp"] as? Int).map(Double.init)
        else { return "iat and exp are required" }
        guard expires > now, expires - issued <= 600 else { return "'Expiration time' claim ('exp') is too far in the future" }
        guard "\(claims["iss"] ?? "")" == appID else { return "'Issuer' claim ('iss') must be the App's id" }
        return nil
    }

    private func github(_ method: String, _ segments: [String], _ json: [String: Any]) -> Response {
        switch (method, segments.count, segments.first) {
        case ("GET", 5, "repos") where segments[3] == "pulls":
            return pull(segments[1] + "/" + segments[2], segments[4])
        case ("GET", 6, "repos") where segments[3] == "pulls" && segments[5] == "reviews":
            let reviews = reviews(segments[1] + "/" + segments[2], Int(segments[4]) ?? 0)
            return Self.reply(200, reviews.map { Self.githubShaped($0) })
        case ("POST", 4, "repos") where segments[3] == "check-runs":
            let output = json["output"] as? [String: Any] ?? [:]
            record(
                Report(
                    kind: "check_run", head: json["head_sha"] as? String ?? "",
                    state: json["conclusion"] as? String ?? json["status"] as? String ?? "", title: output["title"] as? String ?? "",
                    description: "", summary: output["summary"] as? String ?? "",
                    annotations: (output["annotations"] as? [Any])?.count ?? 0, detailsURL: json["details_url"] as? String))
            return Self.reply(201, ["id": 1])
        case ("POST", 5, "repos") where segments[3] == "statuses":
            return status(segments[4], json, context: json["context"] as? String)
        case (_, 6, "repos") where segments[3] == "issues" && segments[5] == "labels":
            return labels(method, segments[1] + "/" + segments[2], Int(segments[4]) ?? 0, json["labels"] as? [Any] ?? [])
        case ("DELETE", 7, "repos") where segments[3] == "issues" && segments[5] == "labels":
            return removeLabel(segments[1] + "/" + segments[2], Int(segments[4]) ?? 0, segments[6])
        case ("PUT", 8, "repos") where segments[3] == "pulls" && segments[7] == "dismissals":
            return dismiss(segments[1] + "/" + segments[2], Int(segments[4]) ?? 0, Int(segments[6]) ?? 0, json["message"] as? String)
        case ("GET", 6, "orgs") where segments[2] == "teams" && segments[4] == "memberships":
            let isMember = state.withLock { $0.teams["\(segments[1])/\(segments[3])".lowercased()]?.contains(segments[5]) ?? false }
            return isMember ? Self.reply(200, ["state": "active", "role": "member"]) : Self.reply(404, ["message": "Not Found"])
        default:
            return Self.reply(404, ["message": "Not Found"])
        }
    }

    static func githubShaped(_ review: Review) -> [String: Any] {
        [
            "id": review.id, "user": ["login": review.login, "type": review.isBot ? "Bot" : "User"], "state": review.state,
            "commit_id": review.commit, "body": "",
        ]
    }

    // MARK: GitLab (under /api/v4)

    private func gitlab(_ method: String, _ segments: [String], _ json: [String: Any], query: [String: String]) -> Response {
        guard segments.count >= 2 else { return Self.reply(404, ["message": "404 Not Found"]) }
        if segments[0] == "groups", segments.count == 4, segments[2] == "members", segments[3] == "all" {
            let members = state.withLock { $0.teams[segments[1].lowercased()] ?? [] }
            let found = members.filter { $0.lowercased().contains((query["query"] ?? "").lowercased()) }
            return Self.reply(200, found.sorted().map { ["username": $0, "state": "active"] })
        }
        let project = segments[1]
        switch (method, segments.count, segments[0]) {
        case ("GET", 4, "projects") where segments[2] == "merge_requests":
            guard let pull = state.withLock({ $0.pulls[Self.key(project, Int(segments[3]) ?? 0)] }) else {
                return Self.reply(404, ["message": "404 Not found"])
            }
            return Self.reply(
                200,
                [
                    "iid": pull.number, "state": pull.isOpen ? "opened" : "closed", "sha": pull.head, "source_branch": pull.headBranch,
                    "target_branch": pull.baseBranch, "author": ["username": pull.author, "bot": pull.authorIsBot], "labels": pull.labels,
                ])
        case ("PUT", 4, "projects") where segments[2] == "merge_requests":
            let number = Int(segments[3]) ?? 0
            for label in (json["add_labels"] as? String ?? "").split(separator: ",") { addLabel(project, number, String(label)) }
            for label in (json["remove_labels"] as? String ?? "").split(separator: ",") {
                _ = removeLabel(project, number, String(label))
            }
            return Self.reply(200, ["iid": number])
        case ("GET", 5, "projects") where segments[2] == "merge_requests" && segments[4] == "approvals":
            let approved = reviews(project, Int(segments[3]) ?? 0).filter { $0.state == "APPROVED" }
            return Self.reply(200, ["approved_by": approved.map { ["user": ["username": $0.login, "bot": $0.isBot]] }])
        case ("GET", 5, "projects") where segments[2] == "merge_requests" && segments[4] == "reviewers":
            let asked = reviews(project, Int(segments[3]) ?? 0).filter { $0.state == "CHANGES_REQUESTED" }
            return Self.reply(200, asked.map { ["user": ["username": $0.login, "bot": $0.isBot], "state": "requested_changes"] })
        case ("POST", 5, "projects") where segments[2] == "merge_requests" && segments[4] == "notes":
            state.withLock { $0.notes.append(json["body"] as? String ?? "") }
            return Self.reply(201, ["id": 1])
        case ("POST", 4, "projects") where segments[2] == "statuses":
            return status(segments[3], json, context: json["name"] as? String)
        default:
            return Self.reply(404, ["message": "404 Not Found"])
        }
    }

    // MARK: Gitea (under /api/v1)

    private func gitea(_ method: String, _ segments: [String], _ json: [String: Any], query: [String: String]) -> Response {
        if segments.count == 4, segments[0] == "orgs", segments[2] == "teams", segments[3] == "search" {
            let name = "\(segments[1])/\(query["q"] ?? "")".lowercased()
            // A team's id is its place among the teams, from 1.
            let id = state.withLock { $0.teams.keys.sorted().firstIndex(of: name).map { $0 + 1 } }
            return Self.reply(200, ["ok": true, "data": id.map { [["id": $0, "name": query["q"] ?? ""]] } ?? []])
        }
        if segments.count == 4, segments[0] == "teams", segments[2] == "members", let id = Int(segments[1]) {
            let isMember = state.withLock { state in
                let names = state.teams.keys.sorted()
                return names.indices.contains(id - 1) && state.teams[names[id - 1]]!.contains(segments[3])
            }
            return isMember ? Self.reply(200, ["login": segments[3]]) : Self.reply(404, ["message": "not found"])
        }
        guard segments.count >= 4, segments[0] == "repos" else { return Self.reply(404, ["message": "not found"]) }
        let repository = segments[1] + "/" + segments[2]
        switch (method, segments.count, segments[3]) {
        case ("GET", 5, "pulls"): return pull(repository, segments[4])
        case ("GET", 6, "pulls") where segments[5] == "reviews":
            let reviews = reviews(repository, Int(segments[4]) ?? 0).map { review -> [String: Any] in
                let state = ["APPROVED": "APPROVED", "CHANGES_REQUESTED": "REQUEST_CHANGES", "COMMENTED": "COMMENT"][review.state]
                return [
                    "id": review.id, "user": ["login": review.login], "state": state ?? "APPROVED", "commit_id": review.commit,
                    "dismissed": review.state == "DISMISSED", "stale": false,
                ]
            }
            return Self.reply(200, reviews)
        case ("POST", 5, "statuses"): return status(segments[4], json, context: json["context"] as? String)
        case ("GET", 4, "labels"):
            let known = state.withLock { $0.repositoryLabels }
            return Self.reply(200, known.sorted { $0.value < $1.value }.map { ["id": $0.value, "name": $0.key] })
        case ("POST", 4, "labels"):
            let name = json["name"] as? String ?? ""
            let id = state.withLock { state in
                let id = state.repositoryLabels[name] ?? (state.repositoryLabels.count + 1)
                state.repositoryLabels[name] = id
                return id
            }
            return Self.reply(201, ["id": id, "name": name])
        case (_, 6, "issues") where segments[5] == "labels":
            let names = state.withLock { state in
                (json["labels"] as? [Any] ?? []).compactMap { id in state.repositoryLabels.first { $0.value == id as? Int }?.key }
            }
            let number = Int(segments[4]) ?? 0
            if method == "POST" { for name in names { addLabel(repository, number, name) } }
            let labels = self.labels(repository, number)
            let ids = state.withLock { $0.repositoryLabels }
            return Self.reply(200, labels.map { ["id": ids[$0] ?? 0, "name": $0] })
        case ("DELETE", 7, "issues") where segments[5] == "labels":
            let name = state.withLock { state in state.repositoryLabels.first { $0.value == Int(segments[6]) }?.key }
            return removeLabel(repository, Int(segments[4]) ?? 0, name ?? "")
        case ("POST", 8, "pulls") where segments[7] == "dismissals":
            return dismiss(repository, Int(segments[4]) ?? 0, Int(segments[6]) ?? 0, json["message"] as? String)
        default:
            return Self.reply(404, ["message": "not found"])
        }
    }

    // MARK: Shared

    private func pull(_ repository: String, _ number: String) -> Response {
        guard let pull = state.withLock({ $0.pulls[Self.key(repository, Int(number) ?? 0)] }) else {
            return Self.reply(404, ["message": "Not Found"])
        }
        return Self.reply(
            200,
            [
                "number": pull.number, "state": pull.isOpen ? "open" : "closed",
                "head": ["sha": pull.head, "ref": pull.headBranch], "base": ["ref": pull.baseBranch],
                "user": ["login": pull.author, "type": pull.authorIsBot ? "Bot" : "User"],
            ])
    }

    private func status(_ head: String, _ json: [String: Any], context: String?) -> Response {
        record(
            Report(
                kind: "status:\(context ?? "")", head: head, state: json["state"] as? String ?? "", title: "",
                description: json["description"] as? String ?? "", summary: "", annotations: 0, detailsURL: json["target_url"] as? String))
        return Self.reply(201, ["id": 1, "state": json["state"] as? String ?? ""])
    }

    private func record(_ report: Report) { state.withLock { $0.reports.append(report) } }

    private func labels(_ method: String, _ repository: String, _ number: Int, _ added: [Any]) -> Response {
        if method == "POST" { for label in added.compactMap({ $0 as? String }) { addLabel(repository, number, label) } }
        return Self.reply(200, labels(repository, number).map { ["name": $0] })
    }

    private func addLabel(_ repository: String, _ number: Int, _ label: String) {
        updatePullRequest(repository, number) { pull in if !pull.labels.contains(label) { pull.labels.append(label) } }
        state.withLock { $0.labelChanges.append("+\(label)") }
    }

    private func removeLabel(_ repository: String, _ number: Int, _ label: String) -> Response {
        guard labels(repository, number).contains(label) else { return Self.reply(404, ["message": "Label does not exist"]) }
        updatePullRequest(repository, number) { pull in pull.labels.removeAll { $0 == label } }
        state.withLock { $0.labelChanges.append("-\(label)") }
        return Self.reply(200, [] as [Any])
    }

    private func dismiss(_ repository: String, _ number: Int, _ id: Int, _ message: String?) -> Response {
        let found = state.withLock { state -> Bool in
            guard let index = state.reviews[Self.key(repository, number)]?.firstIndex(where: { $0.id == id }) else { return false }
            state.reviews[Self.key(repository, number)]![index].state = "DISMISSED"
            state.dismissals.append((id, message ?? ""))
            return true
        }
        return found ? Self.reply(200, ["id": id, "state": "DISMISSED"]) : Self.reply(404, ["message": "Not Found"])
    }

    static func reply(_ status: Int, _ body: Any) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: body)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func query(_ text: String?) -> [String: String] {
        var values: [String: String] = [:]
        for pair in (text ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        return values
    }

    static func base64URL(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
