/// `forge:` in `blastwall.yml`: how reviews given on GitHub, GitLab or Gitea count, and how the gate is shown
/// on the pull request. Secrets and addresses are never here; they are options of `blastwall serve`.
public struct ForgeSettings: Sendable, Equatable {
    /// What becomes of a review by a login no identity is mapped to.
    public enum UnmappedReviewers: String, Sendable, CaseIterable {
        /// Not counted, and the pull request says so (the default).
        case ignore
        /// Counted as a human approver named after the login.
        case count
    }

    /// Labels the server adds to and removes from pull requests, as the analysis says; nil names are not used.
    public struct Labels: Sendable, Equatable {
        /// Added when any commit is AI-assisted or AI-authored.
        public var aiAssisted: String? = "blastwall/ai-assisted"
        /// The most critical tier touched, `{tier}` replaced by its number.
        public var tier: String? = "blastwall/tier-{tier}"
        /// Added while owners of touched services still have to approve.
        public var needsOwners: String? = "blastwall/needs-owners"

        public init() {}

        /// No labels at all (`labels: false`).
        public static let none: Labels = {
            var labels = Labels()
            labels.aiAssisted = nil
            labels.tier = nil
            labels.needsOwners = nil
            return labels
        }()
    }

    public var unmappedReviewers = UnmappedReviewers.ignore
    /// Whether a review that went stale is dismissed on the forge, with the files that made it stale.
    public var dismissStale = false
    /// More AI agents' accounts (globs), besides the built-in ones (`ForgeReviewCounting.builtInAIAccounts`).
    public var aiAccounts: [String] = []
    public var labels = Labels()
    /// Group → forge teams whose members belong to it (`groups: { senior: { github_team: acme/senior-eng } }`).
    public var groupTeams: [String: [ForgeTeam]] = [:]

    public init() {}
}

/// A team on a forge: a GitHub team (`org/slug`), a GitLab group (its full path) or a Gitea team (`org/name`).
public struct ForgeTeam: Sendable, Hashable {
    /// `github`, `gitlab` or `gitea`.
    public var forge: String
    public var path: String

    public init(forge: String, path: String) {
        self.forge = forge
        self.path = path
    }

    /// The keys of a group that name forge teams, by forge.
    public static let keys = ["github_team": "github", "gitlab_group": "gitlab", "gitea_team": "gitea"]
}
