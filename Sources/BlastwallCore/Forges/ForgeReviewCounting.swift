/// Which reviews given on a forge count under Blastwall's rules, and why the others do not: each reviewer's
/// latest review, never a bot, a known AI agent, the pull request's author, or an author, committer or
/// co-author of its commits. What counts then goes to `ApprovalEngine` like any other review.
public struct ForgeReviewCounting: Sendable {
    /// A review as the forge reports it, in the order given.
    public struct ForgeReview: Sendable, Equatable {
        public enum State: String, Sendable {
            case approved
            case changesRequested = "changes_requested"
            case commented, dismissed
        }

        /// The forge's id of the review, to dismiss it by; nil where the forge has none (GitLab's approvals).
        public var id: String?
        public var login: String
        /// The forge marks the account a bot (`type: Bot`, a `[bot]` login).
        public var isBot: Bool
        public var state: State
        /// The commit the review was given on.
        public var commit: String?

        public init(id: String? = nil, login: String, isBot: Bool = false, state: State, commit: String? = nil) {
            self.id = id
            self.login = login
            self.isBot = isBot
            self.state = state
            self.commit = commit
        }
    }

    /// A review that counts, as the engine takes it, and the forge's review it came from.
    public struct Counted: Sendable, Equatable {
        public var review: Review
        public var source: ForgeReview

        public init(review: Review, source: ForgeReview) {
            self.review = review
            self.source = source
        }
    }

    /// A reviewer whose review does not count, and why (said on the pull request).
    public struct Ignored: Sendable, Equatable {
        public var login: String
        public var reason: String
    }

    /// AI coding agents' accounts, which never count whatever the forge calls them.
    public static let builtInAIAccounts = [
        "copilot", "copilot-*", "github-copilot*", "copilot-swe-agent*", "devin-ai-integration*", "claude", "claude-*", "cursor*",
        "codex*", "chatgpt-codex-connector*", "openhands*", "sweep-ai*", "coderabbitai*", "amazon-q-developer*", "gemini-code-assist*",
        "jules*",
    ].map(WildcardPattern.init)

    public var aiAccounts: [WildcardPattern]
    /// Whether a reviewer no identity is mapped to counts (as a human approver) or is ignored.
    public var countUnmappedReviewers: Bool
    /// The forge the reviews come from (`github`), as identities' forge logins name it.
    public var forge: String

    public init(forge: String = "github", extraAIAccounts: [String] = [], countUnmappedReviewers: Bool = false) {
        aiAccounts = Self.builtInAIAccounts + extraAIAccounts.map(WildcardPattern.init)
        self.countUnmappedReviewers = countUnmappedReviewers
        self.forge = forge
    }

    public init(forge: String, settings: ForgeSettings) {
        self.init(forge: forge, extraAIAccounts: settings.aiAccounts, countUnmappedReviewers: settings.unmappedReviewers == .count)
    }

    /// The name an unmapped reviewer counts under: `github:login`, never an identity's name (those have no colon).
    public static func unmappedName(forge: String, login: String) -> String { "\(forge):\(login)" }

    /// The reviews that count, as the approval engine takes them, and the reviewers left out with the reason.
    /// - Parameters:
    ///   - author: the pull request's author (its login).
    ///   - commitIdentities: every author, committer and `Co-authored-by:` of the change's commits.
    ///   - principal: the identity mapped to a forge login, if any.
    public func count(
        _ reviews: [ForgeReview], author: String, commitIdentities: [Identity], head: String,
        principal: (String) -> Principal?
    ) -> (counted: [Counted], ignored: [Ignored]) {
        // The latest review of each reviewer; a comment does not replace an approval or a rejection.
        var latest: [String: ForgeReview] = [:]
        var order: [String] = []
        for review in reviews {
            let key = review.login.lowercased()
            if latest[key] == nil { order.append(key) }
            if review.state == .commented, latest[key] != nil { continue }
            latest[key] = review
        }
        var counted: [Counted] = []
        var ignored: [Ignored] = []
        for key in order {
            guard let review = latest[key], review.state == .approved || review.state == .changesRequested else { continue }
            let login = review.login
            if review.isBot || login.hasSuffix("[bot]") {
                ignored.append(Ignored(login: login, reason: "\(login) is a bot; bots never count as approvers"))
                continue
            }
            if aiAccounts.contains(where: { $0.matches(login) }) {
                ignored.append(Ignored(login: login, reason: "\(login) is an AI agent; AI agents never count as approvers"))
                continue
            }
            if login.lowercased() == author.lowercased() {
                ignored.append(Ignored(login: login, reason: "\(login) opened the pull request and cannot approve it"))
                continue
            }
            let mapped = principal(login)
            let unmapped = Principal(name: Self.unmappedName(forge: forge, login: login), kind: .human, role: .approver)
            guard let reviewer = mapped ?? (countUnmappedReviewers ? unmapped : nil) else {
                ignored.append(
                    Ignored(
                        login: login,
                        reason: "\(login) is not mapped to a Blastwall identity (identity create NAME --\(forge) \(login)); not counted"))
                continue
            }
            if reviewer.authored(commitIdentities) || commitIdentities.contains(where: { $0.name.lowercased() == login.lowercased() }) {
                ignored.append(
                    Ignored(
                        login: login, reason: "\(login) wrote or co-wrote commits of this change and cannot approve it (no self-approval)"))
                continue
            }
            if let reason = ApprovalEngine(groups: [:]).disqualification(
                of: reviewer, for: GateRequirements(decision: .review, requirements: .none, owners: [:], authors: []))
            {
                ignored.append(Ignored(login: login, reason: reason))
                continue
            }
            counted.append(
                Counted(
                    review: Review(
                        reviewer: reviewer, verdict: review.state == .approved ? .approve : .reject, head: review.commit ?? head),
                    source: review))
        }
        return (counted, ignored)
    }

    /// Every author, committer and co-author the commits name: none of them may approve the change.
    public static func identities(of commits: [Commit]) -> [Identity] {
        commits.flatMap { [$0.author, $0.committer] + $0.coAuthors }
    }
}
