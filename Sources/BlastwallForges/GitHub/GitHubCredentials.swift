import AsyncHTTPClient
import Foundation
import JWTKit

/// How the server authenticates to GitHub's API.
public enum GitHubCredentials: Sendable {
    /// A token (fine-grained or classic, or an installation token made elsewhere): the gate is a commit status.
    case token(String)
    /// A GitHub App: an RS256 JWT signed with the App's private key, exchanged per repository for installation
    /// tokens; the gate is a check run.
    case app(id: String, privateKeyPEM: String)
    /// Webhooks only: API calls fail with what to configure.
    case none
}

/// A GitHub App's installation tokens, asked for once per installation and kept until shortly before they expire.
actor GitHubAppTokens {
    private let appID: String
    private let key: Insecure.RSA.PrivateKey
    private let keys = JWTKeyCollection()
    private var keysReady = false
    private let http: ForgeHTTP
    /// Repository → installation id.
    private var installations: [String: String] = [:]
    /// Installation id → token and when to stop using it.
    private var tokens: [String: (token: String, renewAfter: Date)] = [:]

    init(appID: String, privateKeyPEM: String, http: ForgeHTTP) throws(ForgeError) {
        self.appID = appID
        self.http = http
        do {
            key = try Insecure.RSA.PrivateKey(pem: privateKeyPEM)
        } catch {
            throw .notConfigured("the GitHub App's private key is not an RSA key in PEM (download it from the App's settings): \(error)")
        }
    }

    /// The App's own JWT: issued a minute in the past against clock drift, valid for nine minutes (GitHub allows ten).
    func appJWT() async throws(ForgeError) -> String {
        struct Claims: JWTPayload {
            var iat: IssuedAtClaim
            var exp: ExpirationClaim
            var iss: IssuerClaim
            func verify(using algorithm: some JWTAlgorithm) async throws { try exp.verifyNotExpired() }
        }
        if !keysReady {
            await keys.add(rsa: key, digestAlgorithm: .sha256)
            keysReady = true
        }
        let now = Date()
        do {
            return try await keys.sign(
                Claims(iat: IssuedAtClaim(value: now - 60), exp: ExpirationClaim(value: now + 540), iss: IssuerClaim(value: appID)))
        } catch {
            throw .notConfigured("the GitHub App's JWT cannot be signed: \(error)")
        }
    }

    /// An installation token that may act on `repository` (`owner/name`), or on an organization (`owner`).
    func token(for repository: String) async throws(ForgeError) -> String {
        let installation: String
        if let known = installations[repository] {
            installation = known
        } else {
            let path =
                repository.contains("/")
                ? "/repos/\(try ForgeHTTP.ownerAndName(repository))/installation" : "/orgs/\(ForgeHTTP.segment(repository))/installation"
            let answer = try await http.send(.GET, path, headers: try await appHeaders())
            guard let id = try answer.json()["id"]?.intValue else { throw .malformed("GitHub's installation of \(repository) has no id") }
            installation = String(id)
            installations[repository] = installation
        }
        if let cached = tokens[installation], cached.renewAfter > Date() { return cached.token }
        let answer = try await http.send(.POST, "/app/installations/\(installation)/access_tokens", headers: try await appHeaders())
        let json = try answer.json()
        guard let token = json["token"]?.stringValue else { throw .malformed("GitHub's installation token answer has no token") }
        // Renewed five minutes before it expires (tokens last an hour).
        let expires = json["expires_at"]?.stringValue.flatMap { ISO8601DateFormatter().date(from: $0) } ?? Date() + 3600
        tokens[installation] = (token, expires - 300)
        return token
    }

    /// Forgets a repository's installation and token (after a 401: the App was reinstalled or the token revoked).
    func forget(_ repository: String) {
        if let installation = installations.removeValue(forKey: repository) { tokens[installation] = nil }
    }

    private func appHeaders() async throws(ForgeError) -> [(String, String)] {
        [("Authorization", "Bearer \(try await appJWT())"), ("Accept", "application/vnd.github+json")]
    }
}
