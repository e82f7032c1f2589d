import CEL

/// A parsed, validated `blastwall.yml`.
public struct Configuration: Sendable {
    /// Services in file order; their path rules are matched in that order, last match wins.
    public var services: [Service]
    /// Named sets of people and teams, e.g. `senior: ["@alice", "@org/leads"]`.
    public var groups: [String: [String]]
    /// Effective change classes: the built-ins, overridden or extended by the file.
    public var classes: [ChangeClassDefinition]
    public var provenance: ProvenanceSettings
    public var rules: [PolicyRule]
    public var freezes: [Freeze]
    /// Path of a CODEOWNERS file whose owners apply where a service names none.
    public var codeownersPath: String?
    /// The parsed CODEOWNERS file, attached by whoever reads files.
    public var codeowners: Codeowners?
    /// The largest first rollout step each tier allows, in percent (`rollouts.max_initial_weight_by_tier`).
    public var maxInitialWeightByTier: [Int: Int] = [:]
    /// Who owns the policy itself (`policy_owners`): a change to it needs one of them. Empty: CODEOWNERS's
    /// owners of the configuration file, else two approvals.
    public var policyOwners: [String] = []
    /// `environments:`, `agents:` and `agent_rules:`: what AI agents may run where.
    public var agentGateway = AgentGatewaySettings()
    /// `forge:` and the forge teams of `groups:`: how reviews on GitHub, GitLab and Gitea count.
    public var forge = ForgeSettings()
    /// `incidents:`: alerts' service labels, the suspects' window, automatic rollback.
    public var incidents = IncidentSettings()

    /// Where a configuration is looked for, relative to the repository, in this order.
    public static let fileNames = ["blastwall.yml", "blastwall.yaml", ".blastwall.yml", ".github/blastwall.yml"]

    /// Whether `path` is part of the policy: a configuration file or the codeowners file it names.
    public func isPolicyFile(_ path: String) -> Bool {
        Self.fileNames.contains(path) || (codeownersPath.map { path == $0 || "/" + path == $0 } ?? false)
    }

    public init(
        services: [Service] = [], groups: [String: [String]] = [:], classes: [ChangeClassDefinition] = ChangeClassDefinition.builtIns,
        provenance: ProvenanceSettings = ProvenanceSettings(), rules: [PolicyRule] = [], freezes: [Freeze] = [],
        codeownersPath: String? = nil, codeowners: Codeowners? = nil
    ) {
        self.services = services
        self.groups = groups
        self.classes = classes
        self.provenance = provenance
        self.rules = rules
        self.freezes = freezes
        self.codeownersPath = codeownersPath
        self.codeowners = codeowners
    }

    public func service(named name: String) -> Service? { services.first { $0.name == name } }
}

/// A deployable unit: the paths it owns, who owns it, how critical it is, what it depends on.
public struct Service: Sendable {
    public var name: String
    public var paths: [PathPattern]
    /// Where the service's name is written; nil for services built in code.
    public var location: SourceLocation?
    /// Where each of `paths` is written, parallel to it; empty for services built in code.
    public var pathLocations: [SourceLocation] = []
    public var owners: [String]
    /// 1 is the most critical.
    public var tier: Int
    public var dependsOn: [String]

    public init(name: String, paths: [PathPattern], owners: [String] = [], tier: Int = 3, dependsOn: [String] = []) {
        self.name = name
        self.paths = paths
        self.owners = owners
        self.tier = tier
        self.dependsOn = dependsOn
    }
}

/// A policy rule: when its condition holds, its outcomes apply.
public struct PolicyRule: Sendable {
    public var name: String
    public var condition: Program
    public var require: Requirements?
    public var warn: String?
    public var deny: String?
    /// Where the rule is defined, for messages: `blastwall.yml:42:5`.
    public var location: SourceLocation?

    public init(
        name: String, condition: Program, require: Requirements? = nil, warn: String? = nil, deny: String? = nil,
        location: SourceLocation? = nil
    ) {
        self.name = name
        self.condition = condition
        self.require = require
        self.warn = warn
        self.deny = deny
        self.location = location
    }
}

/// A period during which matching changes are denied unless the override requirements are met.
public struct Freeze: Sendable {
    public var name: String
    public var from: Timestamp?
    /// Every freeze ends: a freeze without an exit condition is a configuration error.
    public var until: Timestamp
    public var condition: Program?
    public var reason: String
    public var override: Requirements

    public init(name: String, from: Timestamp? = nil, until: Timestamp, condition: Program? = nil, reason: String, override: Requirements) {
        self.name = name
        self.from = from
        self.until = until
        self.condition = condition
        self.reason = reason
        self.override = override
    }

    /// Whether `now` falls inside the freeze window (the condition is checked separately).
    public func isInWindow(at now: Timestamp) -> Bool {
        (from.map { $0 <= now } ?? true) && now < until
    }
}

/// A place in a configuration file.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}
