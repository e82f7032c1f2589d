import ArgumentParser
import BlastwallApp
import BlastwallForges

/// `blastwall serve`'s forge options: webhooks, API addresses and credentials (from files or the environment).
struct ForgeOptions: ParsableArguments {
    @Option(help: "A file holding the secret GitHub signs webhook deliveries with (or BLASTWALL_GITHUB_WEBHOOK_SECRET).")
    var githubWebhookSecretFile: String?
    @Option(
        name: .customLong("github-api-url"),
        help: "GitHub's API: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.")
    var githubAPIURL: String?
    @Option(
        name: .customLong("github-app-id"),
        help: "A GitHub App's id: the gate is then a check run, with installation tokens made from the App's key.")
    var githubAppID: String?
    @Option(help: "The GitHub App's private key (PEM), as downloaded from the App's settings.")
    var githubPrivateKeyFile: String?
    @Option(help: "Instead of an App: a file holding a GitHub token (or BLASTWALL_GITHUB_TOKEN); the gate is then a commit status.")
    var githubTokenFile: String?

    @Option(help: "A file holding the secret token GitLab sends with webhook deliveries (or BLASTWALL_GITLAB_WEBHOOK_SECRET).")
    var gitlabWebhookSecretFile: String?
    @Option(name: .customLong("gitlab-api-url"), help: "GitLab's API: https://gitlab.com/api/v4, or https://HOST/api/v4.")
    var gitlabAPIURL: String?
    @Option(help: "A file holding a GitLab access token with the api scope (or BLASTWALL_GITLAB_TOKEN).")
    var gitlabTokenFile: String?

    @Option(help: "A file holding the secret Gitea or Forgejo signs webhook deliveries with (or BLASTWALL_GITEA_WEBHOOK_SECRET).")
    var giteaWebhookSecretFile: String?
    @Option(name: .customLong("gitea-api-url"), help: "Gitea's or Forgejo's API: https://HOST/api/v1.")
    var giteaAPIURL: String?
    @Option(help: "A file holding a Gitea or Forgejo access token (or BLASTWALL_GITEA_TOKEN).")
    var giteaTokenFile: String?

    @Option(help: "How often open pull requests are read again from their forge, for deliveries that never came (such as 5m).")
    var forgeReconcileInterval: String = "5m"

    func forges() throws -> [ForgeKind: any Forge] {
        try ForgeSetup.forges([
            .github: ForgeSetup.Inputs(
                webhookSecretFile: githubWebhookSecretFile, tokenFile: githubTokenFile, apiURL: githubAPIURL, appID: githubAppID,
                privateKeyFile: githubPrivateKeyFile),
            .gitlab: ForgeSetup.Inputs(webhookSecretFile: gitlabWebhookSecretFile, tokenFile: gitlabTokenFile, apiURL: gitlabAPIURL),
            .gitea: ForgeSetup.Inputs(webhookSecretFile: giteaWebhookSecretFile, tokenFile: giteaTokenFile, apiURL: giteaAPIURL),
        ])
    }

    func reconcileInterval() throws -> Duration {
        let interval = try DurationOption.parse(forgeReconcileInterval, "--forge-reconcile-interval")
        guard interval >= .seconds(1) else { throw ValidationError("--forge-reconcile-interval must be at least 1s") }
        return interval
    }
}
