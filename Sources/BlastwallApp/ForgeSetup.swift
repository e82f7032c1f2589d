import BlastwallForges
import Foundation

/// The forges `blastwall serve` talks to, from its options: each forge is on when its webhook secret is given,
/// and then needs credentials for its API. Secrets come from files or the environment, never `blastwall.yml`.
public enum ForgeSetup {
    /// What the options say about one forge; paths are files holding the secret.
    public struct Inputs: Sendable {
        public var webhookSecretFile: String?
        public var tokenFile: String?
        public var apiURL: String?
        /// GitHub only: a GitHub App's id and private key.
        public var appID: String?
        public var privateKeyFile: String?

        public init(
            webhookSecretFile: String? = nil, tokenFile: String? = nil, apiURL: String? = nil, appID: String? = nil,
            privateKeyFile: String? = nil
        ) {
            self.webhookSecretFile = webhookSecretFile
            self.tokenFile = tokenFile
            self.apiURL = apiURL
            self.appID = appID
            self.privateKeyFile = privateKeyFile
        }
    }

    /// The configured forges. `environment` supplies `BLASTWALL_GITHUB_WEBHOOK_SECRET`, `BLASTWALL_GITHUB_TOKEN`
    /// and the same for `GITLAB` and `GITEA` where no file is given.
    public static func forges(_ inputs: [ForgeKind: Inputs], environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(BlastwallError) -> [ForgeKind: any Forge]
    {
        var forges: [ForgeKind: any Forge] = [:]
        for kind in ForgeKind.allCases {
            let given = inputs[kind] ?? Inputs()
            let prefix = "BLASTWALL_\(kind.rawValue.uppercased())"
            let option = "--\(kind.rawValue)"
            let secret =
                try given.webhookSecretFile.map { path throws(BlastwallError) in
                    try ServerSetup.secret(
                        path: path, option: "\(option)-webhook-secret-file",
                        what: "the webhook's secret (the same one the forge signs with)")
                } ?? environment["\(prefix)_WEBHOOK_SECRET"].flatMap { $0.isEmpty ? nil : Array($0.utf8) }
            let token =
                try given.tokenFile.map { path throws(BlastwallError) in
                    String(
                        decoding: try ServerSetup.secret(path: path, option: "\(option)-token-file", what: "an API token of the forge"),
                        as: UTF8.self)
                } ?? environment["\(prefix)_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            guard let secret else {
                if given.tokenFile != nil || given.appID != nil || given.apiURL != nil {
                    throw .input(
                        "\(option) options need \(option)-webhook-secret-file (or \(prefix)_WEBHOOK_SECRET): deliveries are what tell "
                            + "the server a pull request moved")
                }
                continue
            }
            if let url = given.apiURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
                throw .input("\(option)-api-url must be an http(s) URL, such as https://git.example.com/api/v1, not '\(url)'")
            }
            switch kind {
            case .github:
                let credentials: GitHubCredentials
                switch (given.appID, given.privateKeyFile, token) {
                case (let id?, let keyFile?, nil):
                    credentials = .app(id: id, privateKeyPEM: try FileSystem.read(keyFile))
                case (nil, nil, let token?): credentials = .token(token)
                case (.some, nil, _), (nil, .some, _):
                    throw .input("--github-app-id and --github-private-key-file go together: the App's id and its private key")
                case (.some, .some, .some):
                    throw .input(
                        "give a GitHub App (--github-app-id, --github-private-key-file) or a token (--github-token-file), not both")
                case (nil, nil, nil):
                    throw .input(
                        "GitHub's webhooks need API credentials to read reviews and report the gate: --github-app-id with "
                            + "--github-private-key-file (a GitHub App, for check runs), or --github-token-file (commit statuses)")
                }
                do {
                    forges[kind] = try GitHub(webhookSecret: secret, apiURL: given.apiURL ?? GitHub.publicAPI, credentials: credentials)
                } catch {
                    throw .input(error.description)
                }
            case .gitlab:
                guard let token else {
                    throw .input(
                        "GitLab's webhooks need --gitlab-token-file (an access token with the api scope) to read approvals and report the gate"
                    )
                }
                forges[kind] = GitLab(webhookSecret: secret, apiURL: given.apiURL ?? GitLab.publicAPI, token: token)
            case .gitea:
                guard let url = given.apiURL else {
                    throw .input("Gitea has no public instance: give --gitea-api-url, such as https://git.example.com/api/v1")
                }
                guard let token else { throw .input("Gitea's webhooks need --gitea-token-file to read reviews and report the gate") }
                forges[kind] = Gitea(webhookSecret: secret, apiURL: url, token: token)
            }
        }
        return forges
    }
}
