import BlastwallCore

/// What one command line would do: each program it runs, classified, and the worst of them.
public struct CommandClassification: Sendable {
    public var text: String
    public var commands: [ClassifiedCommand]

    /// The most harmful class of any of its commands; an empty line reads.
    public var operation: OperationClass { commands.map(\.operation).max() ?? .read }
    public var isOpaque: Bool { commands.contains(where: \.isOpaque) }
    public var isGuardWrite: Bool { commands.contains(where: \.isGuardWrite) }

    /// One line per command that is not a plain read, or the first command when all read.
    public var explanation: String {
        let notable = commands.filter { $0.operation != .read || $0.isOpaque }
        return (notable.isEmpty ? Array(commands.prefix(1)) : notable).map(\.explanation).joined(separator: "; ")
    }
}

/// One program of a command line, classified, with where it acts and on which services.
public struct ClassifiedCommand: Sendable {
    public var invocation: Invocation
    /// The invocation's text, made once.
    public let text: String
    public var tool: String
    public var verb: String
    public var findings: [Finding]
    public var environment: ResolvedEnvironment
    public var services: [String]
    public var resources: [String]
    public var flags: [String]

    public var operation: OperationClass { findings.map(\.operation).max() ?? .read }
    public var isOpaque: Bool { findings.contains(where: \.isOpaque) }
    public var isGuardWrite: Bool { findings.contains(where: \.isGuardWrite) }

    /// The findings that set its class: those of the worst class.
    public var decisive: [Finding] {
        let worst = operation
        let found = findings.filter { $0.operation == worst }
        return found.filter(\.isOpaque).isEmpty ? found : found.filter(\.isOpaque)
    }

    /// `kubectl delete namespace payments --context prod-eu: destructive (delete of a namespace) in prod
    /// (context prod-eu matches prod-*), service payments`.
    public var explanation: String {
        let reasons = decisive.map { finding in
            finding.words.isEmpty || text.hasSuffix(finding.words) || finding.words == text
                ? finding.reason : "\(finding.words): \(finding.reason)"
        }
        var line = "\(Self.shorten(text)): \(isOpaque ? "not understood, " : "")\(operation.rawValue) (\(reasons.joined(separator: "; ")))"
        line += " in \(environment.name) (\(environment.reason))"
        if !services.isEmpty { line += ", service\(services.count == 1 ? "" : "s") \(services.joined(separator: ", "))" }
        if !invocation.wrappers.isEmpty { line += ", run through \(invocation.wrappers.joined(separator: " → "))" }
        return line
    }

    public init(
        invocation: Invocation, tool: String, verb: String, findings: [Finding], environment: ResolvedEnvironment, services: [String],
        resources: [String], flags: [String]
    ) {
        self.invocation = invocation
        text = invocation.text
        self.tool = tool
        self.verb = verb
        self.findings = findings
        self.environment = environment
        self.services = services
        self.resources = resources
        self.flags = flags
    }

    static func shorten(_ text: String) -> String { text.count > 120 ? String(text.prefix(117)) + "…" : text }
}

/// The environment a command acts in, and how the guard knows.
public struct ResolvedEnvironment: Sendable, Equatable {
    public var name: String
    public var isProduction: Bool
    /// `context prod-eu matches prod-*`; `names no environment: the agent's default, dev`.
    public var reason: String

    public init(name: String, isProduction: Bool, reason: String) {
        self.name = name
        self.isProduction = isProduction
        self.reason = reason
    }
}
