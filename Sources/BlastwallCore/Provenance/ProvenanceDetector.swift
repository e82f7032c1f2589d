/// Recognises AI-assisted and AI-authored commits from trailers and author identities.
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
    ]

    public func provenance(of commit: Commit) -> Provenance {
        var evidence = Evidence()
        identitySignals(commit, &evidence)
        for trailer in Trailers.parse(commit.message) {
            trailerSignal(trailer, &evidence)
        }
        return Provenance(kind: evidence.kind, tools: evidence.tools.sorted(), models: evidence.models.sorted(), signals: evidence.signals)
    }

    private func identitySignals(_ commit: Commit, _ evidence: inout Evidence) {
        let author = commit.author
        for rule in settings.identities where rule.pattern.matches(author.email) || rule.pattern.matches(author.name) {
            evidence.add(rule.kind, signal: "author \(author.name) <\(author.email)> matches '\(rule.pattern.source)'", tool: rule.tool)
        }
        if author.name.hasSuffix("[bot]") {
            let bot = String(author.name.dropLast(5))
            evidence.add(.aiAuthored, signal: "author \(author.name)", tool: bot)
        }
        if author.name.hasSuffix("(aider)") {
            evidence.add(.aiAuthored, signal: "author \(author.name)", tool: "aider")
        } else if commit.committer.name.hasSuffix("(aider)") {
            evidence.add(.aiAssisted, signal: "committer \(commit.committer.name)", tool: "aider")
        }
    }

    private func trailerSignal(_ trailer: Trailers.Trailer, _ evidence: inout Evidence) {
        let key = trailer.key.lowercased()
        let value = trailer.value
        let signal = "\(trailer.key): \(value)"
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
            let model = lowerName == tool || name.isEmpty ? nil : name
            evidence.add(.aiAssisted, signal: signal, tool: tool, model: model)
        } else if lowerName == "copilot" || email.hasSuffix("+copilot@users.noreply.github.com") {
            evidence.add(.aiAssisted, signal: signal, tool: "copilot")
        } else if lowerName.hasPrefix("claude") {
            evidence.add(.aiAssisted, signal: signal, tool: "claude", model: lowerName == "claude" ? nil : name)
        } else if lowerName.hasSuffix("[bot]") {
            evidence.add(.aiAssisted, signal: signal, tool: String(name.dropLast(5)))
        } else {
            for rule in settings.identities where rule.pattern.matches(email) || rule.pattern.matches(name) {
                evidence.add(min(rule.kind, .aiAssisted), signal: signal, tool: rule.tool)
            }
        }
    }
}
