import CEL
import Yams

/// `environments:`, `agents:` and `agent_rules:`.
extension ConfigurationLoader {
    static let environmentKeys = ["production"] + EnvironmentSignalKind.allCases.map(\.rawValue)
    static let agentKeys = ["model", "operator", "services", "environments", "default_environment", "grant_lifetime", "description"]
    static let agentRuleKeys = ["name", "description", "when", "allow", "deny", "escalate"]

    static func environments(_ node: Node, _ reader: inout YAMLReader) -> [EnvironmentDefinition] {
        var environments: [EnvironmentDefinition] = []
        for entry in reader.mapping(node, "environments") ?? [] {
            let context = "environment '\(entry.key)'"
            var definition = EnvironmentDefinition(name: entry.key)
            if YAMLReader.isNull(entry.value) {
                environments.append(definition)
                continue
            }
            for field in reader.mapping(entry.value, context, allowedKeys: environmentKeys) ?? [] {
                if field.key == "production" {
                    definition.isProduction = reader.bool(field.value, "'production' of \(context)") ?? definition.isProduction
                } else if let kind = EnvironmentSignalKind(rawValue: field.key) {
                    let globs = reader.strings(field.value, "\(field.key) of \(context)") ?? []
                    definition.patterns[kind, default: []] += globs.map(WildcardPattern.init)
                }
            }
            environments.append(definition)
        }
        return environments
    }

    static func agents(_ node: Node, environments: [EnvironmentDefinition], _ reader: inout YAMLReader) -> [AgentDefinition] {
        let known = environments.map(\.name)
        var agents: [AgentDefinition] = []
        for entry in reader.mapping(node, "agents") ?? [] {
            let context = "agent '\(entry.key)'"
            var agent = AgentDefinition(name: entry.key, location: reader.location(entry.keyNode))
            var defaultNode: Node?
            for field in reader.mapping(entry.value, context, allowedKeys: agentKeys) ?? [] {
                switch field.key {
                case "model": agent.model = reader.string(field.value, "the model of \(context)")
                case "operator":
                    agent.operatorName = reader.string(field.value, "the operator of \(context) (one person, such as \"@dana\")")
                case "services":
                    agent.services = (reader.strings(field.value, "the services of \(context)") ?? []).map(WildcardPattern.init)
                case "environments":
                    for scope in reader.mapping(field.value, "the environments of \(context)") ?? [] {
                        if !known.isEmpty, !known.contains(scope.key) {
                            reader.error(
                                "\(context) names environment '\(scope.key)', which 'environments:' does not define"
                                    + "\(Suggestion.hint(for: scope.key, among: known))", at: scope.keyNode)
                        }
                        agent.environments[scope.key] = operationClasses(scope.value, "'\(scope.key)' of \(context)", &reader)
                    }
                case "grant_lifetime":
                    agent.grantLifetime = reader.seconds(field.value, "grant_lifetime of \(context)", atLeast: 1) ?? agent.grantLifetime
                case "default_environment":
                    agent.defaultEnvironment = reader.string(field.value, "default_environment of \(context)") ?? "dev"
                    defaultNode = field.value
                default: break
                }
            }
            if let defaultNode, !known.isEmpty, !known.contains(agent.defaultEnvironment) {
                reader.error(
                    "default_environment of \(context) is '\(agent.defaultEnvironment)', which 'environments:' does not define"
                        + "\(Suggestion.hint(for: agent.defaultEnvironment, among: known))", at: defaultNode)
            }
            agents.append(agent)
        }
        return agents
    }

    /// `[read, write]`, or `all` for every class.
    private static func operationClasses(_ node: Node, _ context: String, _ reader: inout YAMLReader) -> Set<OperationClass> {
        if case .scalar(let scalar) = node, scalar.string == "all" { return Set(OperationClass.allCases) }
        var classes = Set<OperationClass>()
        for item in reader.sequence(node, "\(context) (a list of read, write, destructive; or all)") ?? [] {
            if let operation = reader.choice(item, "each class in \(context)", of: OperationClass.self) { classes.insert(operation) }
        }
        return classes
    }

    static func agentRules(_ node: Node, groups: [String: [String]], _ reader: inout YAMLReader) -> [AgentRule] {
        guard let items = reader.sequence(node, "agent_rules") else { return [] }
        var rules: [AgentRule] = []
        var names = Set<String>()
        for (index, item) in items.enumerated() {
            guard let fields = reader.mapping(item, "agent rule #\(index + 1)", allowedKeys: agentRuleKeys),
                let name = ruleName(fields, of: item, index: index, kind: "agent rule", unique: &names, &reader)
            else { continue }
            let context = "agent rule '\(name)'"
            var condition: Program?
            var outcomes: [AgentRule.Outcome] = []
            var valid = true
            for field in fields {
                switch field.key {
                case "when":
                    condition = self.condition(
                        field.value, "the 'when' of \(context)", declarations: AgentPolicySchema.declarations, &reader)
                    valid = valid && condition != nil
                case "allow":
                    if reader.bool(field.value, "'allow' of \(context)") == true { outcomes.append(.allow) }
                case "deny":
                    if let message = reader.string(field.value, "the 'deny' message of \(context)") { outcomes.append(.deny(message)) }
                case "escalate":
                    if let requirements = requirements(field.value, "the 'escalate' of \(context)", groups: groups, &reader) {
                        outcomes.append(.escalate(requirements))
                    }
                default: break
                }
            }
            if outcomes.count != 1 {
                reader.error(
                    "\(context) needs exactly one outcome: 'allow: true', 'deny: \"message\"' or 'escalate: {approvals: N}'", at: item)
                valid = false
            }
            if !fields.contains(where: { $0.key == "when" }) {
                reader.error("\(context) has no 'when'; say which commands it is for, e.g. when: command.tool == \"kubectl\"", at: item)
                valid = false
            }
            guard valid, let condition, let outcome = outcomes.first else { continue }
            rules.append(AgentRule(name: name, condition: condition, outcome: outcome, location: reader.location(item)))
        }
        return rules
    }
}
