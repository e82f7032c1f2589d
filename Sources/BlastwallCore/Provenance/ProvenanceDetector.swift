/// Recognises AI-assisted, AI-authored and automation (bot) commits from trailers, wherever they are in the
/// message, and from author identities.
public struct ProvenanceDetector: Sendable {
    private let settings: ProvenanceSettings

    public init(settings: ProvenanceSettings) {
        self.settings = settings
    }

    private struct Evidence {
        var kind: ProvenanceKind = .human
        var tools: Set<String> = []
        var models: Set<String> = []
        var signals: [String] = []

        mutating func add(_ kind: ProvenanceKind, signal: String, tool: String? = nil, model: String? = nil) {
            self.kind = max(self.kind, kind)
            if let tool, !tool.isEmpty { tools.insert(tool.lowercased()) }
            if let model, !model.isEmpty { models.insert(model) }
            signals.append(signal)
        }
    }

    /// Co-author emails of AI assistants, and the tool each stands for.
    private static let assistantEmails: [String: String] = [
        "noreply@anthropic.com": "claude",
        "noreply@openai.com": "codex",
        "cursoragent@cursor.com": "cursor",
        "noreply@google.com": "gemini",
        "aider@aider.chat": "aider",
    ]

    public func provenance(of commit: Commit) -> Provenance {
        var evidence = Evidence()
        identitySignals(commit, &evidence)
        for trailer in Trailers.everywhere(commit.message) {
            trailerSignal(trailer, &evidence)
        }
        return Provenance(kind: evidence.kind, tools: evidence.tools.sorted(), models: evidence.models.sorted(), signals: evidence.signals)
    }

    private func identitySignals(_ commit: Commit, _ evidence: inout Evidence) {
        let author = commit.author
        let signal = "author \(author.name) <\(author.email)>"
        for rule in settings.identities where rule.pattern.matches(author.email) || rule.pattern.matches(author.name) {
            evidence.add(rule.kind, signal: "\(signal) matches '\(rule.pattern.source)'", tool: rule.tool)
        }
        if let known = KnownAccounts.classify(name: author.name, email: author.email) {
            evidence.add(known.kind, signal: known.kind == .bot ? "\(signal) is an automation account" : signal, tool: known.tool)
        }
        if author.name.hasSuffix("(aider)") {
            evidence.add(.aiAuthored, signal: signal, tool: "aider")
        } else if commit.committer.name.hasSuffix("(aider)") {
            // aider commits a person's edits in their name, marking itself as the committer.
            evidence.add(.aiAssisted, signal: "committer \(commit.committer.name)", tool: "aider")
        }
    }

    private func trailerSignal(_ trailer: Trailers.Trailer, _ evidence: inout Evidence) {
        let key = trailer.key.lowercased()
        let value = trailer.value
        let signal =
            trailer.inTrailerBlock ? "\(trailer.key): \(value)" : "\(trailer.key): \(value) (line \(trailer.line), in the body)"
        switch key {
        case "assisted-by":
            // Linux kernel form: AGENT:MODEL [tool1] [tool2]
            let head = value.split(separator: " ").first.map(String.init) ?? value
            let parts = head.split(separator: ":", maxSplits: 1).map(String.init)
            evidence.add(.aiAssisted, signal: signal, tool: parts.first, model: parts.count > 1 ? parts[1] : nil)
        case "generated-by":
            evidence.add(.aiAuthored, signal: signal, tool: value.split(separator: " ").first.map(String.init))
        case "co-authored-by":
            coAuthorSignal(value, signal: signal, &evidence)
        case "ai-assisted":
            if !["false", "no", "none", "0", "n/a"].contains(value.lowercased()) {
                let tool = ["true", "yes", "1"].contains(value.lowercased()) ? nil : value
                evidence.add(.aiAssisted, signal: signal, tool: tool)
            }
        case "ai-tool":
            evidence.add(.aiAssisted, signal: signal, tool: value)
        case "ai-model":
            evidence.add(.aiAssisted, signal: signal, model: value)
        default:
            if let kind = settings.trailers[key] {
                evidence.add(kind, signal: signal, tool: value.split(separator: " ").first.map(String.init))
            }
        }
    }

    private func coAuthorSignal(_ value: String, signal: String, _ evidence: inout Evidence) {
        let name: String
        let email: String
        if let open = value.firstIndex(of: "<"), let close = value.lastIndex(of: ">"), open < close {
            name = value[..<open].trimmingWhitespace()
            email = value[value.index(after: open)..<close].lowercased()
        } else {
            name = value
            email = ""
        }
        let lowerName = name.lowercased()
        if let tool = Self.assistantEmails[email] {
            evidence.add(.aiAssisted, signal: signal, tool: tool, model: Self.model(inCoAuthor: name, tool: tool))
        } else if lowerName.hasPrefix("copilot") || email.hasSuffix("+copilot@users.noreply.github.com") {
            // Also "Copilot Autofix powered by AI", whose address is GitHub's code-scanning app.
            evidence.add(.aiAssisted, signal: signal, tool: "copilot")
        } else if Self.namesClaude(lowerName) {
            evidence.add(.aiAssisted, signal: signal, tool: "claude", model: Self.model(inCoAuthor: name, tool: "claude"))
        } else if let known = KnownAccounts.classify(name: name, email: email) {
            evidence.add(min(known.kind, .aiAssisted), signal: signal, tool: known.tool)
        } else {
            for rule in settings.identities where rule.pattern.matches(email) || rule.pattern.matches(name) {
                evidence.add(min(rule.kind, .aiAssisted), signal: signal, tool: rule.tool)
            }
        }
    }

    /// `Claude`, or a Claude model (`Claude Opus 4.5`, `Claude Code`); not a person called Claude Martin.
    private static func namesClaude(_ lowerName: String) -> Bool {
        guard lowerName.hasPrefix("claude") else { return false }
        let rest = lowerName.dropFirst("claude".count)
        return rest.isEmpty
            || rest.hasPrefix(" ") && ["opus", "sonnet", "haiku", "code", "instant"].contains { rest.contains($0) }
            || rest.contains(where: \.isNumber)
    }

    /// The model a co-author line names: `Claude Sonnet 4.5`, aider's `aider (gpt-4o)`; nil for the bare tool
    /// and for names that are not models (`Cursor Agent`).
    private static func model(inCoAuthor name: String, tool: String) -> String? {
        let lowerName = name.lowercased()
        switch tool {
        case "claude", "gemini":
            let namesModel = lowerName.contains(where: \.isNumber) || ["opus", "sonnet", "haiku"].contains { lowerName.contains($0) }
            return lowerName.hasPrefix(tool + " ") && namesModel ? name : nil
        case "aider":
            guard lowerName.hasPrefix("aider ("), name.hasSuffix(")") else { return nil }
            return String(name.dropFirst("aider (".count).dropLast()).trimmingWhitespace()
        default:
            return nil
        }
    }
}
