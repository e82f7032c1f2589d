import CEL

/// The agent gateway's part of `blastwall.yml`: how environments are recognised in commands, which agents
/// exist and what each may do, and the rules that decide the rest.
public struct AgentGatewaySettings: Sendable {
    /// In file order: the first environment a command's signal matches is the command's environment.
    public var environments: [EnvironmentDefinition] = []
    public var agents: [AgentDefinition] = []
    public var rules: [AgentRule] = []

    public init(environments: [EnvironmentDefinition] = [], agents: [AgentDefinition] = [], rules: [AgentRule] = []) {
        self.environments = environments
        self.agents = agents
        self.rules = rules
    }

    public func agent(named name: String) -> AgentDefinition? { agents.first { $0.name == name } }
    public func environment(named name: String) -> EnvironmentDefinition? { environments.first { $0.name == name } }
}

/// Something in a command (or in its tool's own configuration) that names where it acts.
public enum EnvironmentSignalKind: String, Sendable, Hashable, CaseIterable {
    case kubeContexts = "kube_contexts"
    case kubeNamespaces = "kube_namespaces"
    case awsProfiles = "aws_profiles"
    case awsAccounts = "aws_accounts"
    case awsRegions = "aws_regions"
    case gcloudProjects = "gcloud_projects"
    case azureSubscriptions = "azure_subscriptions"
    case terraformWorkspaces = "terraform_workspaces"
    /// `-backend-config=` and `-var-file=` files.
    case terraformFiles = "terraform_files"
    case databaseHosts = "db_hosts"
    case databaseNames = "db_names"
    case sshHosts = "ssh_hosts"
    /// Any host a command names: URLs, `--host`, `-h`, ssh targets.
    case hosts

    /// How a reason names it: "context", "AWS profile".
    public var noun: String {
        switch self {
        case .kubeContexts: "context"
        case .kubeNamespaces: "namespace"
        case .awsProfiles: "AWS profile"
        case .awsAccounts: "AWS account"
        case .awsRegions: "AWS region"
        case .gcloudProjects: "gcloud project"
        case .azureSubscriptions: "Azure subscription"
        case .terraformWorkspaces: "terraform workspace"
        case .terraformFiles: "terraform file"
        case .databaseHosts: "database host"
        case .databaseNames: "database"
        case .sshHosts: "SSH host"
        case .hosts: "host"
        }
    }
}

/// `environments: { prod: { kube_contexts: ["prod-*"], db_hosts: ["*.prod.internal"] } }`.
public struct EnvironmentDefinition: Sendable {
    public var name: String
    /// Production environments escalate to two humans and the owners by default; others to the operator.
    public var isProduction: Bool
    public var patterns: [EnvironmentSignalKind: [WildcardPattern]]

    public init(name: String, isProduction: Bool? = nil, patterns: [EnvironmentSignalKind: [WildcardPattern]] = [:]) {
        self.name = name
        self.isProduction = isProduction ?? Self.soundsLikeProduction(name)
        self.patterns = patterns
    }

    /// `prod`, `production`, `prod-eu`, `prd`.
    public static func soundsLikeProduction(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered.hasPrefix("prod") || lowered == "prd" || lowered.hasPrefix("prd-") || lowered.hasPrefix("live")
    }

    /// The pattern that matches `value` as a signal of `kind`; a plain host also matches `db_hosts` and `ssh_hosts`.
    public func pattern(matching value: String, as kind: EnvironmentSignalKind) -> WildcardPattern? {
        let kinds: [EnvironmentSignalKind] =
            switch kind {
            case .hosts: [.hosts, .databaseHosts, .sshHosts]
            case .databaseHosts, .sshHosts: [kind, .hosts]
            default: [kind]
            }
        for kind in kinds {
            if let found = patterns[kind]?.first(where: { $0.matches(value) }) { return found }
        }
        return nil
    }
}

/// A named AI agent: a control-plane identity of kind `ai`, and what it may do where.
public struct AgentDefinition: Sendable {
    public var name: String
    public var model: String?
    /// The human the agent acts for: asked to confirm, never a counted approver of the agent's requests.
    public var operatorName: String?
    /// Names or globs; empty means every service.
    public var services: [WildcardPattern]
    /// Environment → the operation classes allowed there outright. An environment not listed is out of scope.
    public var environments: [String: Set<OperationClass>]
    /// Where a command that names no environment, and whose tool's configuration cannot be read, is judged.
    public var defaultEnvironment: String
    /// How long, in seconds, an approved operation's grant can be used (once).
    public var grantLifetime: Double = AgentDefinition.defaultGrantLifetime
    public var location: SourceLocation?

    /// Fifteen minutes.
    public static let defaultGrantLifetime: Double = 15 * 60

    public init(
        name: String, model: String? = nil, operatorName: String? = nil, services: [WildcardPattern] = [],
        environments: [String: Set<OperationClass>] = [:], defaultEnvironment: String = "dev", location: SourceLocation? = nil
    ) {
        self.name = name
        self.model = model
        self.operatorName = operatorName
        self.services = services
        self.environments = environments
        self.defaultEnvironment = defaultEnvironment
        self.location = location
    }

    public func covers(service: String) -> Bool { services.isEmpty || services.contains { $0.matches(service) } }
}

/// An `agent_rules:` entry: when its condition holds for a command, its outcome replaces the defaults.
public struct AgentRule: Sendable {
    public var name: String
    public var condition: Program
    public var outcome: Outcome
    public var location: SourceLocation?

    public enum Outcome: Sendable, Equatable {
        case allow
        case deny(String)
        /// Approvals 0 with no owners or groups: the operator confirms in the agent's own prompt.
        case escalate(Requirements)
    }

    public init(name: String, condition: Program, outcome: Outcome, location: SourceLocation? = nil) {
        self.name = name
        self.condition = condition
        self.outcome = outcome
        self.location = location
    }
}
