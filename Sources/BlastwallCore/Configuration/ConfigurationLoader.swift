import CEL
import Yams

/// Turns the text of a `blastwall.yml` into a validated `Configuration`.
///
/// Every problem found is reported with its position, not only the first; warnings (such as
/// dependency cycles) are returned alongside a usable configuration.
public enum ConfigurationLoader {
    static let topLevelKeys = [
        "version", "codeowners", "services", "groups", "classes", "provenance", "rules", "freezes", "rollouts", "policy_owners",
        "environments", "agents", "agent_rules", "forge", "incidents",
    ]
    static let rolloutKeys = ["max_initial_weight_by_tier"]
    static let serviceKeys = ["paths", "owners", "tier", "depends_on", "description"]
    static let classKeys = ["paths", "added_lines", "risk", "description"]
    static let provenanceKeys = ["trailers", "identities"]
    static let identityKeys = ["match", "kind", "tool"]
    static let ruleKeys = ["name", "description", "when", "require", "warn", "deny"]
    static let requireKeys = ["approvals", "owners", "groups", "canary", "max_initial_weight"]
    static let freezeKeys = ["name", "from", "until", "when", "reason", "override"]

    /// Parses and validates; throws every error found, or returns the configuration with its warnings.
    public static func load(yaml text: String, file: String) throws(ConfigurationError) -> (
        configuration: Configuration, warnings: [Diagnostic]
    ) {
        var reader = YAMLReader(file: file, text: text)
        let root = try YAMLReader.compose(
            text, file: file, ifEmpty: "the file is empty; run 'blastwall init' to write a starter configuration")
        var configuration = Configuration()
        guard let entries = reader.mapping(root, "the configuration", allowedKeys: topLevelKeys) else {
            throw ConfigurationError(diagnostics: reader.diagnostics)
        }
        for entry in entries {
            switch entry.key {
            case "version":
                if let version = reader.int(entry.value, "version", in: 1...1) { _ = version }
            case "codeowners":
                configuration.codeownersPath = reader.string(entry.value, "codeowners")
            case "services":
                configuration.services = services(entry.value, &reader)
            case "groups":
                (configuration.groups, configuration.forge.groupTeams) = groups(entry.value, &reader)
            case "classes":
                configuration.classes = classes(entry.value, &reader)
            case "provenance":
                configuration.provenance = provenance(entry.value, &reader)
            case "rollouts":
                configuration.maxInitialWeightByTier = rolloutCaps(entry.value, &reader)
            case "policy_owners":
                configuration.policyOwners = reader.handles(entry.value, "policy_owners") ?? []
            case "environments":
                configuration.agentGateway.environments = environments(entry.value, &reader)
            case "incidents":
                configuration.incidents = incidents(entry.value, &reader)
            case "forge":
                let teams = configuration.forge.groupTeams
                configuration.forge = forge(entry.value, &reader)
                configuration.forge.groupTeams = teams
            default:
                break
            }
        }
        // Rules and freezes refer to groups, so they are read once groups are known.
        for entry in entries {
            switch entry.key {
            case "rules": configuration.rules = rules(entry.value, groups: configuration.groups, &reader)
            case "freezes": configuration.freezes = freezes(entry.value, groups: configuration.groups, &reader)
            case "agents":
                configuration.agentGateway.agents = agents(
                    entry.value, environments: configuration.agentGateway.environments, &reader)
            case "agent_rules": configuration.agentGateway.rules = agentRules(entry.value, groups: configuration.groups, &reader)
            default: break
            }
        }
        validateDependencies(configuration.services, &reader)
        warnAboutShadowedPaths(configuration.services, &reader)
        if let path = configuration.codeownersPath, let index = configuration.classes.firstIndex(where: { $0.name == "policy" }),
            let pattern = try? PathPattern(path.hasPrefix("/") ? path : "/" + path)
        {
            configuration.classes[index].paths.append(pattern)
        }
        let errors = reader.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else { throw ConfigurationError(diagnostics: reader.diagnostics) }
        return (configuration, reader.diagnostics)
    }

    private static func services(_ node: Node, _ reader: inout YAMLReader) -> [Service] {
        guard let entries = reader.mapping(node, "services") else { return [] }
        var services: [Service] = []
        for entry in entries {
            let context = "service '\(entry.key)'"
            guard let fields = reader.mapping(entry.value, context, allowedKeys: serviceKeys) else { continue }
            var service = Service(name: entry.key, paths: [])
            service.location = reader.location(entry.keyNode)
            var sawPaths = false
            for field in fields {
                switch field.key {
                case "paths":
                    sawPaths = true
                    service.paths = pathPatterns(field.value, "paths of \(context)", &reader)
                    service.pathLocations = (reader.sequence(field.value, "paths") ?? []).map { reader.location($0) }
                case "owners": service.owners = reader.handles(field.value, "the owners of \(context)") ?? []
                case "tier": service.tier = reader.int(field.value, "tier of \(context)", in: 1...3) ?? 3
                case "depends_on": service.dependsOn = reader.strings(field.value, "depends_on of \(context)") ?? []
                default: break
                }
            }
            if !sawPaths {
                reader.error(
                    "\(context) has no 'paths'; list the files it owns, e.g. paths: [\"/services/\(entry.key)/\"]", at: entry.keyNode)
            }
            services.append(service)
        }
        return services
    }

    private static func pathPatterns(_ node: Node, _ context: String, _ reader: inout YAMLReader) -> [PathPattern] {
        compiledList(node, context, &reader) { (text) throws(PathPatternError) in try PathPattern(text) }
    }

    private static func contentPatterns(_ node: Node, _ context: String, _ reader: inout YAMLReader) -> [ContentPattern] {
        compiledList(node, context, &reader) { (text) throws(ContentPatternError) in try ContentPattern(text) }
    }

    /// A list of strings compiled one by one; each failure is reported at its own entry.
    private static func compiledList<Compiled, Failure: Error & CustomStringConvertible>(
        _ node: Node, _ context: String, _ reader: inout YAMLReader, _ compile: (String) throws(Failure) -> Compiled
    ) -> [Compiled] {
        var compiled: [Compiled] = []
        for item in reader.sequence(node, context) ?? [] {
            guard let text = reader.string(item, "each entry of \(context)") else { continue }
            do {
                compiled.append(try compile(text))
            } catch {
                reader.error(error.description, at: item)
            }
        }
        return compiled
    }

    private static func classes(_ node: Node, _ reader: inout YAMLReader) -> [ChangeClassDefinition] {
        var classes = ChangeClassDefinition.builtIns
        guard let entries = reader.mapping(node, "classes") else { return classes }
        for entry in entries {
            let context = "class '\(entry.key)'"
            var definition = classes.first { $0.name == entry.key } ?? ChangeClassDefinition(name: entry.key, paths: [], risk: 5)
            if YAMLReader.isNull(entry.value), !definition.isBuiltIn {
                reader.error("\(context) needs 'paths' or 'added_lines'", at: entry.keyNode)
                continue
            }
            guard let fields = reader.mapping(entry.value, context, allowedKeys: classKeys) else { continue }
            for field in fields {
                switch field.key {
                case "paths": definition.paths = pathPatterns(field.value, "paths of \(context)", &reader)
                case "added_lines": definition.addedLines = contentPatterns(field.value, "added_lines of \(context)", &reader)
                case "risk": definition.risk = reader.int(field.value, "risk of \(context)", in: 0...100) ?? definition.risk
                default: break
                }
            }
            if !definition.isBuiltIn, definition.paths.isEmpty, definition.addedLines.isEmpty,
                !fields.contains(where: { $0.key == "paths" || $0.key == "added_lines" })
            {
                reader.error("\(context) needs 'paths' or 'added_lines' to recognise files", at: entry.keyNode)
            }
            if let index = classes.firstIndex(where: { $0.name == entry.key }) {
                classes[index] = definition
            } else {
                classes.append(definition)
            }
        }
        return classes
    }

    private static func provenanceKind(_ node: Node, _ context: String, _ reader: inout YAMLReader) -> ProvenanceKind? {
        reader.choice(node, context, of: ProvenanceKind.self)
    }

    private static func provenance(_ node: Node, _ reader: inout YAMLReader) -> ProvenanceSettings {
        var settings = ProvenanceSettings()
        guard let entries = reader.mapping(node, "provenance", allowedKeys: provenanceKeys) else { return settings }
        for entry in entries {
            switch entry.key {
            case "trailers":
                for trailer in reader.mapping(entry.value, "provenance trailers") ?? [] {
                    if let kind = provenanceKind(trailer.value, "the kind of trailer '\(trailer.key)'", &reader) {
                        settings.trailers[trailer.key.lowercased()] = kind
                    }
                }
            default:
                for item in reader.sequence(entry.value, "provenance identities") ?? [] {
                    guard let fields = reader.mapping(item, "a provenance identity", allowedKeys: identityKeys) else { continue }
                    var pattern: String?
                    var kind: ProvenanceKind?
                    var tool: String?
                    for field in fields {
                        switch field.key {
                        case "match": pattern = reader.string(field.value, "match")
                        case "kind": kind = provenanceKind(field.value, "kind", &reader)
                        default: tool = reader.string(field.value, "tool")
                        }
                    }
                    guard let pattern, let kind else {
                        reader.error("a provenance identity needs 'match' (a name or email, '*' allowed) and 'kind'", at: item)
                        continue
                    }
                    settings.identities.append(IdentityRule(pattern: WildcardPattern(pattern), kind: kind, tool: tool))
                }
            }
        }
        return settings
    }

    static func condition(
        _ node: Node, _ context: String, declarations: Declarations = PolicySchema.declarations, _ reader: inout YAMLReader
    ) -> Program? {
        guard let source = reader.string(node, context) else { return nil }
        do {
            return try PolicySchema.compileCondition(source, declarations: declarations)
        } catch {
            for problem in error.problems {
                let place = reader.location(of: (problem.position.line, problem.position.column), inScalar: node)
                reader.error("in \(context): \(problem.message)", at: place)
            }
            return nil
        }
    }

    static func requirements(_ node: Node, _ context: String, groups: [String: [String]], _ reader: inout YAMLReader)
        -> Requirements?
    {
        guard let fields = reader.mapping(node, context, allowedKeys: requireKeys) else { return nil }
        var requirements = Requirements()
        for field in fields {
            switch field.key {
            case "approvals": requirements.approvals = reader.int(field.value, "approvals in \(context)", in: 0...20) ?? 0
            case "owners":
                guard let text = reader.string(field.value, "owners in \(context)") else { continue }
                guard let mode = Requirements.OwnersMode(rawValue: text) else {
                    reader.error("owners in \(context) is '\(text)', but must be all, any or none", at: field.value)
                    continue
                }
                requirements.owners = mode
            case "groups":
                for group in reader.mapping(field.value, "groups in \(context)") ?? [] {
                    guard groups[group.key] != nil else {
                        reader.error(
                            "unknown group '\(group.key)' in \(context)\(Suggestion.hint(for: group.key, among: groups.keys)); define it under 'groups:'",
                            at: group.keyNode)
                        continue
                    }
                    requirements.groups[group.key] = reader.int(group.value, "the count for group '\(group.key)'", in: 1...20)
                }
            case "canary": requirements.canary = reader.bool(field.value, "canary in \(context)") ?? false
            default:
                requirements.maxInitialWeight = reader.int(field.value, "max_initial_weight in \(context)", in: 1...100)
            }
        }
        return requirements
    }

    private static func rules(_ node: Node, groups: [String: [String]], _ reader: inout YAMLReader) -> [PolicyRule] {
        guard let items = reader.sequence(node, "rules") else { return [] }
        var rules: [PolicyRule] = []
        var names = Set<String>()
        for (index, item) in items.enumerated() {
            guard let fields = reader.mapping(item, "rule #\(index + 1)", allowedKeys: ruleKeys),
                let name = ruleName(fields, of: item, index: index, kind: "rule", unique: &names, &reader)
            else { continue }
            let context = "rule '\(name)'"
            var program: Program? = try? PolicySchema.compileCondition("true")
            var rule = PolicyRule(name: name, condition: program!, location: reader.location(item))
            for field in fields {
                switch field.key {
                case "when":
                    program = condition(field.value, "the 'when' of \(context)", &reader)
                    if let program { rule.condition = program }
                case "require": rule.require = requirements(field.value, "the 'require' of \(context)", groups: groups, &reader)
                case "warn": rule.warn = reader.string(field.value, "the 'warn' message of \(context)")
                case "deny": rule.deny = reader.string(field.value, "the 'deny' message of \(context)")
                default: break
                }
            }
            if !fields.contains(where: { ["require", "warn", "deny"].contains($0.key) }) {
                reader.error("\(context) has no outcome; add 'require', 'warn' or 'deny'", at: item)
            }
            rules.append(rule)
        }
        return rules
    }

    /// A rule's `name`, which every rule needs and no other rule of the list may share; nil (reported) without one.
    static func ruleName(
        _ fields: [(key: String, keyNode: Node, value: Node)], of item: Node, index: Int, kind: String, unique names: inout Set<String>,
        _ reader: inout YAMLReader
    ) -> String? {
        guard let nameField = fields.first(where: { $0.key == "name" }), let name = reader.string(nameField.value, "the rule name") else {
            reader.error("\(kind) #\(index + 1) has no 'name'; every rule needs one so decisions can say why", at: item)
            return nil
        }
        if !names.insert(name).inserted {
            reader.error(
                "\(kind == "rule" ? "a" : "an") \(kind) named '\(name)' already exists; rule names must be unique", at: nameField.value)
        }
        return name
    }

    /// `rollouts: {max_initial_weight_by_tier: {1: 5, 2: 25}}`: how much traffic a first step may take, by tier.
    private static func rolloutCaps(_ node: Node, _ reader: inout YAMLReader) -> [Int: Int] {
        var caps: [Int: Int] = [:]
        for entry in reader.mapping(node, "rollouts", allowedKeys: rolloutKeys) ?? [] {
            for cap in reader.mapping(entry.value, "max_initial_weight_by_tier") ?? [] {
                guard let tier = Int(cap.key), (1...9).contains(tier) else {
                    reader.error("'\(cap.key)' in max_initial_weight_by_tier is not a tier; use 1 to 9", at: cap.keyNode)
                    continue
                }
                caps[tier] = reader.int(cap.value, "the cap of tier \(tier)", in: 1...100)
            }
        }
        return caps
    }

    private static func timestamp(_ node: Node, _ context: String, _ reader: inout YAMLReader) -> Timestamp? {
        guard let text = reader.string(node, context) else { return nil }
        guard let timestamp = Timestamp(rfc3339: text) else {
            reader.error("\(context) is '\(text)', but must be an RFC 3339 time such as 2026-12-20T00:00:00Z", at: node)
            return nil
        }
        return timestamp
    }

    private static func freezes(_ node: Node, groups: [String: [String]], _ reader: inout YAMLReader) -> [Freeze] {
        guard let items = reader.sequence(node, "freezes") else { return [] }
        var freezes: [Freeze] = []
        for (index, item) in items.enumerated() {
            guard let fields = reader.mapping(item, "freeze #\(index + 1)", allowedKeys: freezeKeys) else { continue }
            let name = fields.first { $0.key == "name" }.flatMap { reader.string($0.value, "the freeze name") }
            let context = name.map { "freeze '\($0)'" } ?? "freeze #\(index + 1)"
            var from: Timestamp?
            var until: Timestamp?
            var program: Program?
            var reason: String?
            var override = Requirements(approvals: 2)
            var valid = true
            for field in fields {
                switch field.key {
                case "from": from = timestamp(field.value, "'from' of \(context)", &reader)
                case "until": until = timestamp(field.value, "'until' of \(context)", &reader)
                case "when":
                    program = condition(field.value, "the 'when' of \(context)", &reader)
                    valid = valid && program != nil
                case "reason": reason = reader.string(field.value, "'reason' of \(context)")
                case "override":
                    override = requirements(field.value, "the 'override' of \(context)", groups: groups, &reader) ?? override
                default: break
                }
            }
            if name == nil {
                reader.error("\(context) has no 'name'", at: item)
                valid = false
            }
            if until == nil {
                reader.error("\(context) has no 'until': every freeze needs an exit condition, e.g. until: 2027-01-04T00:00:00Z", at: item)
                valid = false
            }
            if let from, let until, from >= until {
                reader.error("\(context) ends ('until') before it starts ('from')", at: item)
                valid = false
            }
            guard valid, let name, let until else { continue }
            freezes.append(
                Freeze(name: name, from: from, until: until, condition: program, reason: reason ?? "change freeze", override: override))
        }
        return freezes
    }

    private static func validateDependencies(_ services: [Service], _ reader: inout YAMLReader) {
        let names = Set(services.map(\.name))
        let locations = Dictionary(services.map { ($0.name, $0.location) }, uniquingKeysWith: { first, _ in first })
        for service in services {
            for dependency in service.dependsOn where !names.contains(dependency) {
                reader.error(
                    "service '\(service.name)' depends on unknown service '\(dependency)'\(Suggestion.hint(for: dependency, among: names))",
                    at: service.location ?? SourceLocation(file: reader.file, line: 1, column: 1))
            }
        }
        for cycle in DependencyGraph(services: services).cycles() {
            reader.warning(
                "dependency cycle: \((cycle + [cycle[0]]).joined(separator: " -> ")); blast radius still terminates",
                at: locations[cycle[0]] ?? nil)
        }
    }

    /// Paths that can never decide a file's service, because a later service's pattern matches all they match.
    private static func warnAboutShadowedPaths(_ services: [Service], _ reader: inout YAMLReader) {
        // From the last service to the first, so that the index holds exactly the later services' patterns.
        var later = PathCoverageIndex<Int>()
        var warnings: [(service: Int, message: String, at: SourceLocation?)] = []
        for (index, service) in services.enumerated().reversed() where !service.paths.isEmpty {
            let shadows = service.paths.map { later.earliestCovering($0) }.map { found in
                found.flatMap {
                    services[$0.payload].name == service.name ? nil : (pattern: $0.pattern, service: services[$0.payload].name)
                }
            }
            for path in service.paths { later.insert(path, index) }
            let serviceLocation = service.location
            if shadows.allSatisfy({ $0 != nil }) {
                let pairs = zip(service.paths, shadows.compactMap { $0 })
                    .map { "'\($0)' by '\($1.pattern)' of '\($1.service)'" }.joined(separator: ", ")
                let winner = shadows[0]!.service
                warnings.append(
                    (
                        index,
                        "service '\(service.name)' owns no file: later services match everything its paths match (\(pairs)), "
                            + "and the last match wins; move '\(service.name)' below '\(winner)', or narrow the later paths",
                        serviceLocation
                    ))
                continue
            }
            for (offset, shadow) in shadows.enumerated() {
                guard let shadow else { continue }
                let place = offset < service.pathLocations.count ? service.pathLocations[offset] : serviceLocation
                warnings.append(
                    (
                        index,
                        "path '\(service.paths[offset])' of service '\(service.name)' never applies: '\(shadow.pattern)' of the later "
                            + "service '\(shadow.service)' matches everything it matches, and the last match wins; remove the path "
                            + "or move it to a service below '\(shadow.service)'", place
                    ))
            }
        }
        for warning in warnings.reversed() { reader.warning(warning.message, at: warning.at) }
    }
}
