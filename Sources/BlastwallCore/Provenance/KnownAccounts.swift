/// Accounts whose commits are machine-made, built in: AI coding agents, and automation that is not AI (a
/// dependency bump or a release commit says nothing about AI). `provenance.identities` adds to both.
enum KnownAccounts {
    /// AI coding agents that author commits or pull requests, by account name without `[bot]`, lowercased,
    /// and the tool each stands for. Any other `…[bot]` account is automation.
    static let aiAgents: [String: String] = [
        "copilot-swe-agent": "copilot", "copilot": "copilot", "devin-ai-integration": "devin", "claude": "claude",
        "claude-code": "claude", "cursor": "cursor", "cursoragent": "cursor", "chatgpt-codex-connector": "codex",
        "openai-codex": "codex", "codex": "codex", "google-labs-jules": "jules", "gemini-code-assist": "gemini",
        "amazon-q-developer": "amazon-q", "sweep-ai": "sweep", "codegen-sh": "codegen", "openhands-agent": "openhands",
        "factory-droid": "factory", "coderabbitai": "coderabbit", "windsurf": "windsurf",
    ]

    /// Automation accounts whose names do not end in `[bot]`, lowercased, and the tool each stands for.
    static let automation: [String: String] = [
        "renovate bot": "renovate", "renovate": "renovate", "dependabot": "dependabot", "github-actions": "github-actions",
        "semantic-release-bot": "semantic-release", "pre-commit-ci": "pre-commit-ci", "greenkeeper": "greenkeeper",
    ]

    /// What an account named `name` with address `email` is, if it is known: the kind and the tool.
    static func classify(name: String, email: String) -> (kind: ProvenanceKind, tool: String)? {
        let name = name.lowercased()
        let email = email.lowercased()
        // GitHub's no-reply address names the account: `123+Copilot@…`, `49699333+dependabot[bot]@…`.
        var candidates = [(account: name, fromNoReply: false)]
        if email.hasSuffix("@users.noreply.github.com"), let plus = email.firstIndex(of: "+") {
            candidates.insert((String(email[email.index(after: plus)...].prefix { $0 != "@" }), true), at: 0)
        }
        for (account, fromNoReply) in candidates {
            let isBot = account.hasSuffix("[bot]")
            let base = isBot ? String(account.dropLast(5)) : account
            // An agent's name alone could be a person's; its app account or no-reply address cannot.
            if let tool = aiAgents[base], isBot || fromNoReply { return (.aiAuthored, tool) }
            if let tool = automation[base] { return (.bot, tool) }
            if isBot { return (.bot, base) }
        }
        return nil
    }
}
