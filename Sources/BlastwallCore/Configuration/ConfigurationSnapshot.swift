import CEL

/// A loaded configuration as bytes, so that an unchanged `blastwall.yml` need not be composed and validated
/// again on every run: for thousands of services that is most of a small check's time.
///
/// Path patterns are kept compiled, as there are thousands; conditions and content patterns are kept as
/// their source and compiled again when read (they compiled when the snapshot was made, so they do again). The CODEOWNERS file is not part of it (it is attached afterwards).
/// Places in the configuration file itself are kept without its name, which the reader gives back: the same
/// text committed at another revision is the same snapshot.
public enum ConfigurationSnapshot {
    /// Changes whenever the encoding does, so that a snapshot of another layout is never read.
    static let formatVersion: UInt64 = 6

    public static func encode(_ configuration: Configuration, warnings: [Diagnostic], file: String) -> [UInt8] {
        var writer = SnapshotWriter()
        writer.configurationFile = file
        writer.integer(formatVersion)
        writer.array(configuration.services) { $0.service($1) }
        writer.array(configuration.groups.sorted { $0.key < $1.key }) { writer, group in
            writer.string(group.key)
            writer.strings(group.value)
        }
        writer.array(configuration.classes) { $0.changeClass($1) }
        writer.array(configuration.provenance.trailers.sorted { $0.key < $1.key }) { writer, trailer in
            writer.string(trailer.key)
            writer.string(trailer.value.rawValue)
        }
        writer.array(configuration.provenance.identities) { writer, identity in
            writer.string(identity.pattern.source)
            writer.string(identity.kind.rawValue)
            writer.optional(identity.tool) { $0.string($1) }
        }
        writer.array(configuration.rules) { writer, rule in
            writer.string(rule.name)
            writer.string(rule.condition.source)
            writer.optional(rule.require) { $0.requirements($1) }
            writer.optional(rule.warn) { $0.string($1) }
            writer.optional(rule.deny) { $0.string($1) }
            writer.optional(rule.location) { $0.location($1) }
        }
        writer.array(configuration.freezes) { writer, freeze in
            writer.string(freeze.name)
            writer.optional(freeze.from) { $0.timestamp($1) }
            writer.timestamp(freeze.until)
            writer.optional(freeze.condition?.source) { $0.string($1) }
            writer.string(freeze.reason)
            writer.requirements(freeze.override)
        }
        writer.optional(configuration.codeownersPath) { $0.string($1) }
        writer.array(configuration.maxInitialWeightByTier.sorted { $0.key < $1.key }) { writer, cap in
            writer.integer(cap.key)
            writer.integer(cap.value)
        }
        writer.strings(configuration.policyOwners)
        writer.agentGateway(configuration.agentGateway)
        writer.forge(configuration.forge)
        writer.incidents(configuration.incidents)
        writer.array(warnings) { writer, warning in
            writer.string(warning.severity.rawValue)
            writer.string(warning.message)
            writer.optional(warning.location) { $0.location($1) }
        }
        return writer.bytes
    }

    /// The configuration and warnings `encode` was given, or nil when the bytes are not a snapshot of this
    /// format (or anything in them no longer compiles): the caller then loads the file itself.
    public static func decode(_ bytes: [UInt8], file: String) -> (configuration: Configuration, warnings: [Diagnostic])? {
        var reader = SnapshotReader(bytes)
        reader.configurationFile = file
        do {
            guard try reader.unsigned() == formatVersion else { return nil }
            // Without the built-in classes, which the snapshot holds as loaded: compiling them here would be wasted.
            var configuration = Configuration(classes: [])
            configuration.services = try reader.array { (reader) throws(Failure) in try reader.service() }
            configuration.groups = try Dictionary(
                reader.array { (reader) throws(Failure) in (try reader.string(), try reader.strings()) }, uniquingKeysWith: { $1 })
            configuration.classes = try reader.array { (reader) throws(Failure) in try reader.changeClass() }
            configuration.provenance.trailers = try Dictionary(
                reader.array { (reader) throws(Failure) in (try reader.string(), try reader.kind()) }, uniquingKeysWith: { $1 })
            configuration.provenance.identities = try reader.array { (reader) throws(Failure) in
                IdentityRule(
                    pattern: WildcardPattern(try reader.string()), kind: try reader.kind(),
                    tool: try reader.optional { (reader) throws(Failure) in try reader.string() })
            }
            configuration.rules = try reader.array { (reader) throws(Failure) in
                PolicyRule(
                    name: try reader.string(), condition: try reader.condition(),
                    require: try reader.optional { (reader) throws(Failure) in try reader.requirements() },
                    warn: try reader.optional { (reader) throws(Failure) in try reader.string() },
                    deny: try reader.optional { (reader) throws(Failure) in try reader.string() },
                    location: try reader.optional { (reader) throws(Failure) in try reader.location() })
            }
            configuration.freezes = try reader.array { (reader) throws(Failure) in
                Freeze(
                    name: try reader.string(), from: try reader.optional { (reader) throws(Failure) in try reader.timestamp() },
                    until: try reader.timestamp(), condition: try reader.optional { (reader) throws(Failure) in try reader.condition() },
                    reason: try reader.string(), override: try reader.requirements())
            }
            configuration.codeownersPath = try reader.optional { (reader) throws(Failure) in try reader.string() }
            configuration.maxInitialWeightByTier = try Dictionary(
                reader.array { (reader) throws(Failure) in (try reader.integer(), try reader.integer()) }, uniquingKeysWith: { $1 })
            configuration.policyOwners = try reader.strings()
            configuration.agentGateway = try reader.agentGateway()
            configuration.forge = try reader.forge()
            configuration.incidents = try reader.incidents()
            let warnings = try reader.array { (reader) throws(Failure) in
                Diagnostic(
                    try reader.severity(), try reader.string(),
                    at: try reader.optional { (reader) throws(Failure) in try reader.location() })
            }
            guard reader.isAtEnd else { return nil }
            return (configuration, warnings)
        } catch {
            return nil
        }
    }

    /// A snapshot that cannot be read: malformed, or naming something that no longer compiles.
    typealias Failure = SnapshotReader.Malformed
}

extension SnapshotWriter {
    fileprivate mutating func service(_ service: Service) {
        string(service.name)
        optional(service.location) { $0.location($1) }
        patterns(service.paths)
        array(service.pathLocations) { $0.location($1) }
        strings(service.owners)
        integer(service.tier)
        strings(service.dependsOn)
    }

    fileprivate mutating func changeClass(_ definition: ChangeClassDefinition) {
        string(definition.name)
        patterns(definition.paths)
        array(definition.addedLines) { writer, pattern in
            writer.string(pattern.source)
            writer.optional(pattern.requiredWords) { writer, words in
                writer.strings(words.map { String(decoding: $0, as: UTF8.self) })
            }
            writer.optional(pattern.minimumTokenEntropy) { $0.double($1) }
        }
        integer(definition.risk)
        bool(definition.isBuiltIn)
    }

    fileprivate mutating func patterns(_ patterns: [PathPattern]) {
        array(patterns) { writer, pattern in
            writer.string(pattern.source)
            writer.array(pattern.segments) { writer, segment in
                switch segment {
                case .anyDepth: writer.integer(UInt64(0))
                case .anySegment: writer.integer(UInt64(1))
                case .literal(let name):
                    writer.integer(UInt64(2))
                    writer.string(name)
                case .glob(let tokens):
                    writer.integer(UInt64(3))
                    writer.array(tokens) { writer, token in
                        switch token {
                        case .star: writer.integer(UInt64(256))
                        case .question: writer.integer(UInt64(257))
                        case .character(let byte): writer.integer(UInt64(byte))
                        }
                    }
                }
            }
        }
    }

    fileprivate mutating func requirements(_ requirements: Requirements) {
        integer(requirements.approvals)
        string(requirements.owners.rawValue)
        array(requirements.groups.sorted { $0.key < $1.key }) { writer, group in
            writer.string(group.key)
            writer.integer(group.value)
        }
        bool(requirements.canary)
        optional(requirements.maxInitialWeight) { $0.integer($1) }
    }

    fileprivate mutating func incidents(_ settings: IncidentSettings) {
        strings(settings.serviceLabels)
        double(settings.window)
        optional(settings.autoRollback) { writer, automation in
            writer.double(automation.minimumScore)
            writer.strings(automation.kinds.map(\.rawValue).sorted())
        }
    }

    fileprivate mutating func forge(_ settings: ForgeSettings) {
        string(settings.unmappedReviewers.rawValue)
        bool(settings.dismissStale)
        strings(settings.aiAccounts)
        for label in [settings.labels.aiAssisted, settings.labels.tier, settings.labels.needsOwners] { optional(label) { $0.string($1) } }
        array(settings.groupTeams.sorted { $0.key < $1.key }) { writer, group in
            writer.string(group.key)
            writer.array(group.value) { writer, team in
                writer.string(team.forge)
                writer.string(team.path)
            }
        }
    }

    fileprivate mutating func agentGateway(_ settings: AgentGatewaySettings) {
        array(settings.environments) { writer, environment in
            writer.string(environment.name)
            writer.bool(environment.isProduction)
            writer.array(environment.patterns.sorted { $0.key.rawValue < $1.key.rawValue }) { writer, entry in
                writer.string(entry.key.rawValue)
                writer.strings(entry.value.map(\.source))
            }
        }
        array(settings.agents) { writer, agent in
            writer.string(agent.name)
            writer.optional(agent.model) { $0.string($1) }
            writer.optional(agent.operatorName) { $0.string($1) }
            writer.strings(agent.services.map(\.source))
            writer.array(agent.environments.sorted { $0.key < $1.key }) { writer, scope in
                writer.string(scope.key)
                writer.strings(scope.value.sorted().map(\.rawValue))
            }
            writer.string(agent.defaultEnvironment)
            writer.double(agent.grantLifetime)
            writer.optional(agent.location) { $0.location($1) }
        }
        array(settings.rules) { writer, rule in
            writer.string(rule.name)
            writer.string(rule.condition.source)
            switch rule.outcome {
            case .allow: writer.integer(UInt64(0))
            case .deny(let message):
                writer.integer(UInt64(1))
                writer.string(message)
            case .escalate(let requirements):
                writer.integer(UInt64(2))
                writer.requirements(requirements)
            }
            writer.optional(rule.location) { $0.location($1) }
        }
    }

    fileprivate mutating func location(_ location: SourceLocation) {
        string(location.file == configurationFile ? "" : location.file)
        integer(location.line)
        integer(location.column)
    }

    fileprivate mutating func timestamp(_ timestamp: Timestamp) {
        let bits = UInt128(bitPattern: timestamp.nanoseconds)
        integer(UInt64(truncatingIfNeeded: bits >> 64))
        integer(UInt64(truncatingIfNeeded: bits))
    }
}

extension SnapshotReader {
    fileprivate mutating func service() throws(Malformed) -> Service {
        let name = try string()
        let location = try optional { (reader) throws(Malformed) in try reader.location() }
        var service = Service(name: name, paths: try patterns())
        service.location = location
        service.pathLocations = try array { (reader) throws(Malformed) in try reader.location() }
        service.owners = try strings()
        service.tier = try integer()
        service.dependsOn = try strings()
        return service
    }

    fileprivate mutating func changeClass() throws(Malformed) -> ChangeClassDefinition {
        let name = try string()
        let paths = try patterns()
        let addedLines = try array { (reader) throws(Malformed) -> ContentPattern in
            let source = try reader.string()
            let words = try reader.optional { (reader) throws(Malformed) in try reader.strings() }
            let entropy = try reader.optional { (reader) throws(Malformed) in try reader.double() }
            do {
                return try ContentPattern(source, requiredWords: words, minimumTokenEntropy: entropy)
            } catch {
                throw Malformed()
            }
        }
        return ChangeClassDefinition(name: name, paths: paths, addedLines: addedLines, risk: try integer(), isBuiltIn: try bool())
    }

    fileprivate mutating func patterns() throws(Malformed) -> [PathPattern] {
        try array { (reader) throws(Malformed) in
            PathPattern(source: try reader.string(), segments: try reader.array { (reader) throws(Malformed) in try reader.segment() })
        }
    }

    private mutating func segment() throws(Malformed) -> PathPattern.Segment {
        switch try unsigned() {
        case 0: return .anyDepth
        case 1: return .anySegment
        case 2: return .literal(try string())
        case 3:
            return .glob(
                try array { (reader) throws(Malformed) -> PathPattern.GlobToken in
                    switch try reader.unsigned() {
                    case 256: return .star
                    case 257: return .question
                    case let byte where byte < 256: return .character(UInt8(byte))
                    default: throw Malformed()
                    }
                })
        default: throw Malformed()
        }
    }

    fileprivate mutating func condition() throws(Malformed) -> Program {
        do { return try PolicySchema.compileCondition(try string()) } catch { throw Malformed() }
    }

    fileprivate mutating func incidents() throws(Malformed) -> IncidentSettings {
        var settings = IncidentSettings()
        settings.serviceLabels = try strings()
        settings.window = try double()
        settings.autoRollback = try optional { (reader) throws(Malformed) in
            let minimum = try reader.double()
            let names = try reader.strings()
            let kinds = names.compactMap(SuspectCandidate.Kind.init(rawValue:))
            guard kinds.count == names.count else { throw Malformed() }
            return IncidentSettings.AutoRollback(minimumScore: minimum, kinds: Set(kinds))
        }
        return settings
    }

    fileprivate mutating func forge() throws(Malformed) -> ForgeSettings {
        var settings = ForgeSettings()
        guard let unmapped = ForgeSettings.UnmappedReviewers(rawValue: try string()) else { throw Malformed() }
        settings.unmappedReviewers = unmapped
        settings.dismissStale = try bool()
        settings.aiAccounts = try strings()
        settings.labels.aiAssisted = try optional { (reader) throws(Malformed) in try reader.string() }
        settings.labels.tier = try optional { (reader) throws(Malformed) in try reader.string() }
        settings.labels.needsOwners = try optional { (reader) throws(Malformed) in try reader.string() }
        for (group, teams) in try array({ (reader) throws(Malformed) in
            (
                try reader.string(),
                try reader.array { (reader) throws(Malformed) in ForgeTeam(forge: try reader.string(), path: try reader.string()) }
            )
        }) {
            settings.groupTeams[group] = teams
        }
        return settings
    }

    fileprivate mutating func agentGateway() throws(Malformed) -> AgentGatewaySettings {
        var settings = AgentGatewaySettings()
        settings.environments = try array { (reader) throws(Malformed) in
            var environment = EnvironmentDefinition(name: try reader.string(), isProduction: try reader.bool())
            for (key, globs) in try reader.array({ (reader) throws(Malformed) in (try reader.string(), try reader.strings()) }) {
                guard let kind = EnvironmentSignalKind(rawValue: key) else { throw Malformed() }
                environment.patterns[kind] = globs.map(WildcardPattern.init)
            }
            return environment
        }
        settings.agents = try array { (reader) throws(Malformed) in
            var agent = AgentDefinition(
                name: try reader.string(), model: try reader.optional { (reader) throws(Malformed) in try reader.string() },
                operatorName: try reader.optional { (reader) throws(Malformed) in try reader.string() },
                services: try reader.strings().map(WildcardPattern.init))
            for (environment, names) in try reader.array({ (reader) throws(Malformed) in (try reader.string(), try reader.strings()) }) {
                let classes = names.compactMap(OperationClass.init(rawValue:))
                guard classes.count == names.count else { throw Malformed() }
                agent.environments[environment] = Set(classes)
            }
            agent.defaultEnvironment = try reader.string()
            agent.grantLifetime = try reader.double()
            agent.location = try reader.optional { (reader) throws(Malformed) in try reader.location() }
            return agent
        }
        settings.rules = try array { (reader) throws(Malformed) in
            let name = try reader.string()
            let condition: Program
            do { condition = try AgentPolicySchema.compileCondition(try reader.string()) } catch { throw Malformed() }
            let outcome: AgentRule.Outcome
            switch try reader.unsigned() {
            case 0: outcome = .allow
            case 1: outcome = .deny(try reader.string())
            case 2: outcome = .escalate(try reader.requirements())
            default: throw Malformed()
            }
            return AgentRule(
                name: name, condition: condition, outcome: outcome,
                location: try reader.optional { (reader) throws(Malformed) in try reader.location() })
        }
        return settings
    }

    fileprivate mutating func kind() throws(Malformed) -> ProvenanceKind {
        guard let kind = ProvenanceKind(rawValue: try string()) else { throw Malformed() }
        return kind
    }

    fileprivate mutating func severity() throws(Malformed) -> Diagnostic.Severity {
        guard let severity = Diagnostic.Severity(rawValue: try string()) else { throw Malformed() }
        return severity
    }

    fileprivate mutating func requirements() throws(Malformed) -> Requirements {
        let approvals = try integer()
        guard let owners = Requirements.OwnersMode(rawValue: try string()) else { throw Malformed() }
        let groups = try Dictionary(
            array { (reader) throws(Malformed) in (try reader.string(), try reader.integer()) }, uniquingKeysWith: { $1 })
        return Requirements(
            approvals: approvals, owners: owners, groups: groups, canary: try bool(),
            maxInitialWeight: try optional { (reader) throws(Malformed) in try reader.integer() })
    }

    fileprivate mutating func location() throws(Malformed) -> SourceLocation {
        let file = try string()
        return SourceLocation(file: file.isEmpty ? configurationFile : file, line: try integer(), column: try integer())
    }

    fileprivate mutating func timestamp() throws(Malformed) -> Timestamp {
        let high = UInt128(try unsigned())
        let low = UInt128(try unsigned())
        guard let timestamp = Timestamp(nanoseconds: Int128(bitPattern: high << 64 | low)) else { throw Malformed() }
        return timestamp
    }
}
