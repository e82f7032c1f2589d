import BlastwallCore
import CEL

/// Who is asking: the agent as configured, and the session it runs in.
public struct AgentActor: Sendable {
    public var definition: AgentDefinition
    public var session: String?

    public init(definition: AgentDefinition, session: String? = nil) {
        self.definition = definition
        self.session = session
    }
}

/// What the gateway answers for a command line.
public struct AgentDecision: Sendable {
    public enum Verdict: String, Sendable, Codable {
        /// Within the agent's scopes, or allowed by a rule.
        case allow
        /// Outside them, or denied by a rule: no one can approve it.
        case deny
        /// Needs the operator's own confirmation, in the agent's prompt.
        case ask
        /// Needs other people's approval: an operation request.
        case escalate
    }

    public var verdict: Verdict
    /// Why, one line per command that decided it.
    public var reasons: [String]
    /// What an escalation needs; `.none` otherwise.
    public var requirements: Requirements
    /// Service → who may approve for it, when owners must.
    public var owners: [String: [String]]
    public var classification: CommandClassification
    /// The environment of the command that decided it.
    public var environment: String

    public var reason: String { reasons.joined(separator: "; ") }
}

/// Decides what an agent may run: its `agent_rules:` first, then the defaults (within scope allow; outside
/// deny; destructive where it may not destroy, or not understood, escalate). Any failure denies.
public struct AgentPolicy: Sendable {
    public let configuration: Configuration

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// What a production escalation needs when no rule says: two humans, among them the owners.
    public static let productionEscalation = Requirements(approvals: 2, owners: .all)

    public func decide(_ classification: CommandClassification, for actor: AgentActor, now: Timestamp) -> AgentDecision {
        var parts: [(verdict: AgentDecision.Verdict, reason: String, requirements: Requirements, command: ClassifiedCommand)] = []
        for command in classification.commands {
            let (verdict, reason, requirements) = decide(command, for: actor, now: now)
            parts.append((verdict, reason, requirements, command))
        }
        let order: [AgentDecision.Verdict] = [.deny, .escalate, .ask, .allow]
        let verdict = order.first { candidate in parts.contains { $0.verdict == candidate } } ?? .allow
        let deciding = parts.filter { $0.verdict == verdict }
        var requirements = Requirements.none
        var owners: [String: [String]] = [:]
        for part in deciding where verdict == .escalate {
            requirements = requirements.merged(with: part.requirements)
            if part.requirements.owners != .none {
                for service in part.command.services { owners[service] = configuration.service(named: service)?.owners ?? [] }
            }
        }
        let reasons = deciding.isEmpty ? ["nothing runs"] : deciding.map { "\($0.command.explanation): \($0.reason)" }
        return AgentDecision(
            verdict: verdict, reasons: reasons, requirements: requirements, owners: owners, classification: classification,
            environment: deciding.first?.command.environment.name ?? actor.definition.defaultEnvironment)
    }

    private func decide(_ command: ClassifiedCommand, for actor: AgentActor, now: Timestamp) -> (
        AgentDecision.Verdict, String, Requirements
    ) {
        let agent = actor.definition
        let environment = command.environment
        // Built only when there are rules to read it: most configurations have few, and it is half the work.
        let activation = configuration.agentGateway.rules.isEmpty ? Activation([:]) : Self.activation(command, actor, now: now)
        var denials: [String] = []
        var escalations: [(String, Requirements)] = []
        var allowedBy: String?
        for rule in configuration.agentGateway.rules {
            switch PolicyEvaluator.holds(rule.condition, activation) {
            case .failure(let error):
                denials.append("agent rule '\(rule.name)' could not be evaluated (\(error.message)); failing closed")
            case .success(false):
                continue
            case .success(true):
                switch rule.outcome {
                case .deny(let message): denials.append("agent rule '\(rule.name)': \(message)")
                case .escalate(let requirements): escalations.append(("agent rule '\(rule.name)' escalates", requirements))
                case .allow: allowedBy = allowedBy ?? rule.name
                }
            }
        }
        if !denials.isEmpty { return (.deny, denials.joined(separator: "; "), .none) }
        if !escalations.isEmpty {
            let merged = escalations.reduce(Requirements.none) { $0.merged(with: $1.1) }
            return (merged.needsReview ? .escalate : .ask, escalations.map(\.0).joined(separator: "; "), merged)
        }
        // The guard's own files are never allowed outright, whatever a rule says: an agent could widen its scopes.
        if command.isGuardWrite {
            return escalation("it writes the guard's own configuration", environment)
        }
        if let allowedBy { return (.allow, "allowed by agent rule '\(allowedBy)'", .none) }
        guard let allowed = agent.environments[environment.name] else {
            let scopes = agent.environments.keys.sorted().joined(separator: ", ")
            return (
                .deny,
                "out of scope: agent \(agent.name) has no scope in \(environment.name)"
                    + (scopes.isEmpty ? " (it lists no environments)" : " (only in \(scopes))"), .none
            )
        }
        if let outside = command.services.first(where: { !agent.covers(service: $0) }) {
            return (.deny, "out of scope: service \(outside) is not among agent \(agent.name)'s services", .none)
        }
        if command.isOpaque {
            return escalation("the guard cannot tell what it does", environment)
        }
        if allowed.contains(command.operation) { return (.allow, "within agent \(agent.name)'s scope in \(environment.name)", .none) }
        let may = allowed.isEmpty ? "may do nothing" : "may only \(allowed.sorted().map(\.rawValue).joined(separator: " and "))"
        if command.operation == .destructive {
            return escalation("agent \(agent.name) \(may) in \(environment.name)", environment)
        }
        return (.deny, "out of scope: agent \(agent.name) \(may) in \(environment.name)", .none)
    }

    /// In production two humans and the owners; elsewhere the operator's confirmation.
    private func escalation(_ why: String, _ environment: ResolvedEnvironment) -> (AgentDecision.Verdict, String, Requirements) {
        guard environment.isProduction else { return (.ask, "\(why): the operator must confirm", .none) }
        return (
            .escalate, "\(why): in production this needs \(PolicyEvaluator.describe(Self.productionEscalation))",
            Self.productionEscalation
        )
    }

    static func activation(_ command: ClassifiedCommand, _ actor: AgentActor, now: Timestamp) -> Activation {
        let strings = { (values: [String]) in Value.list(values.map(Value.string)) }
        return Activation([
            "command": .record([
                "tool": .string(command.tool), "verb": .string(command.verb), "operation": .string(command.operation.rawValue),
                "environment": .string(command.environment.name), "production": .bool(command.environment.isProduction),
                "services": strings(command.services), "resources": strings(command.resources), "flags": strings(command.flags),
                "text": .string(command.text), "opaque": .bool(command.isOpaque), "guard": .bool(command.isGuardWrite),
                "reasons": strings(command.findings.map(\.reason)),
            ]),
            "agent": .record([
                "name": .string(actor.definition.name), "model": .string(actor.definition.model ?? ""),
                "session": .string(actor.session ?? ""), "operator": .string(actor.definition.operatorName ?? ""),
            ]),
            "now": .timestamp(now),
        ])
    }
}
