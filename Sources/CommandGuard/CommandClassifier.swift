import BlastwallCore
import ShellSyntax

/// Classifies command lines: parses them, sees through wrappers, hands each program to its recogniser, and
/// finds the environment and services each acts on. Pure and bounded: it never runs anything.
public struct CommandClassifier: Sendable {
    let resolver: EnvironmentResolver
    let services: [Service]
    let pathRules: PathRuleSet<String>
    let recognizers: [String: any CommandRecognizer]
    let fallback = UnknownToolRecognizer()

    /// How many shells deep (`bash -c "ssh h 'sh -c …'"`) the guard follows before it gives up (and escalates).
    public static let maximumNesting = 8

    /// One per tool family, as routers are: adding a family is adding a file here.
    static let allRecognizers: [any CommandRecognizer] = [
        GitRecognizer(), FileSystemRecognizer(), KubernetesRecognizer(), HelmRecognizer(), TerraformRecognizer(),
        DatabaseRecognizer(), CloudRecognizer(), ContainerRecognizer(), ServiceManagerRecognizer(), PackageRecognizer(),
        InterpreterRecognizer(), HTTPClientRecognizer(), LocalToolRecognizer(),
    ]

    public init(configuration: Configuration) {
        resolver = EnvironmentResolver(environments: configuration.agentGateway.environments)
        services = configuration.services
        var rules = PathRuleSet<String>()
        for service in configuration.services {
            for path in service.paths { rules.append(path, service.name) }
        }
        pathRules = rules
        var byProgram: [String: any CommandRecognizer] = [:]
        for recognizer in Self.allRecognizers {
            for program in recognizer.programs where byProgram[program] == nil { byProgram[program] = recognizer }
        }
        recognizers = byProgram
    }

    public func classify(_ text: String, in context: CommandContext, defaultEnvironment: String) -> CommandClassification {
        var commands: [ClassifiedCommand] = []
        read(text, reader: CommandReader(directory: context.directory), depth: 0, into: &commands, context, defaultEnvironment)
        return CommandClassification(text: text, commands: commands)
    }

    /// What a hook asks about: a command line, file writes by the agent's own tools, or another tool (which runs nothing).
    public func classify(_ action: HookRequest.Action, in context: CommandContext, defaultEnvironment: String) -> CommandClassification {
        switch action {
        case .command(let text):
            return classify(text, in: context, defaultEnvironment: defaultEnvironment)
        case .fileWrites(let paths, let tool):
            let parts = paths.map { classifyFileWrite(path: $0, tool: tool, in: context, defaultEnvironment: defaultEnvironment) }
            return CommandClassification(text: "\(tool) " + paths.joined(separator: " "), commands: parts.flatMap(\.commands))
        case .other(let tool):
            return CommandClassification(text: tool, commands: [])
        }
    }

    /// An agent's own file tool (`Write`, `Edit`) writing `path`: judged as a shell write to it would be.
    public func classifyFileWrite(path: String, tool: String, in context: CommandContext, defaultEnvironment: String)
        -> CommandClassification
    {
        let invocation = Invocation(program: tool, arguments: [Argument(path)], directory: context.directory)
        var recognition = Recognition(tool: tool, verb: "write")
        recognition.paths = [path]
        if let finding = FileSystemRecognizer.judge(path, .overwrite, words: "\(tool) \(path)", invocation, context) {
            recognition.findings.append(finding)
        }
        return CommandClassification(
            text: "\(tool) \(path)", commands: [classified(invocation, recognition, context, defaultEnvironment)])
    }

    private func read(
        _ text: String, reader: CommandReader, depth: Int, into commands: inout [ClassifiedCommand], _ context: CommandContext,
        _ defaultEnvironment: String
    ) {
        let list: CommandList
        do {
            list = try ShellParser.parse(text)
        } catch {
            let invocation = Invocation(program: "", arguments: [], wrappers: reader.wrapperNames)
            var recognition = Recognition(tool: "shell", verb: "parse")
            recognition.findings.append(.opaque(ClassifiedCommand.shorten(text), "the line could not be read (\(error.description))"))
            commands.append(classified(invocation, recognition, context, defaultEnvironment))
            return
        }
        var reader = reader
        reader.read(list)
        for invocation in reader.invocations {
            follow(invocation, depth: depth, into: &commands, context, defaultEnvironment)
        }
    }

    private func follow(
        _ invocation: Invocation, depth: Int, into commands: inout [ClassifiedCommand], _ context: CommandContext,
        _ defaultEnvironment: String
    ) {
        guard depth <= Self.maximumNesting else {
            var recognition = Recognition(tool: "shell", verb: "nesting")
            recognition.findings.append(.opaque(invocation.text, "nested more than \(Self.maximumNesting) shells deep"))
            commands.append(classified(invocation, recognition, context, defaultEnvironment))
            return
        }
        var redirectionFindings: [Finding] = []
        var redirectionPaths: [String] = []
        for redirection in invocation.redirections where redirection.operation.writes {
            let target = redirection.target.literalValue ?? redirection.target.text
            if redirection.operation == .duplicateOutput, target.allSatisfy({ $0.isNumber || $0 == "-" }) { continue }
            redirectionPaths.append(target)
            let action: FileSystemRecognizer.Action =
                redirection.operation == .append || redirection.operation == .appendOutputAndError ? .modify : .overwrite
            if let finding = FileSystemRecognizer.judge(
                target, action, words: "\(redirection.operation.rawValue) \(target)", invocation, context)
            {
                redirectionFindings.append(finding)
            }
        }
        if invocation.program.isEmpty {
            var recognition = Recognition(tool: "shell", verb: "redirection", findings: redirectionFindings, paths: redirectionPaths)
            if recognition.findings.isEmpty { recognition.add(.read, "", "nothing runs") }
            commands.append(classified(invocation, recognition, context, defaultEnvironment))
            return
        }
        guard invocation.isProgramLiteral else {
            var recognition = Recognition(tool: invocation.program, verb: "")
            recognition.findings =
                [.opaque(invocation.program, "the program's name depends on an expansion, so what runs is unknown")] + redirectionFindings
            commands.append(classified(invocation, recognition, context, defaultEnvironment))
            return
        }
        if let unwrapped = Wrappers.unwrap(invocation) {
            if !redirectionFindings.isEmpty {
                let recognition = Recognition(tool: "shell", verb: "redirection", findings: redirectionFindings, paths: redirectionPaths)
                commands.append(classified(invocation, recognition, context, defaultEnvironment))
            }
            switch unwrapped {
            case .invocation(let inner):
                follow(inner, depth: depth + 1, into: &commands, context, defaultEnvironment)
            case .script(let script, let wrapper, let signals, let isRemote, let variables):
                var reader = CommandReader(
                    directory: isRemote ? nil : invocation.directory, wrappers: invocation.wrappers + [wrapper],
                    inheritedSignals: invocation.inheritedSignals + signals, isRemote: isRemote || invocation.isRemote)
                reader.preset(variables: invocation.variables.merging(variables) { $1 })
                read(script, reader: reader, depth: depth + 1, into: &commands, context, defaultEnvironment)
            case .opaque(let finding):
                let recognition = Recognition(tool: invocation.program, verb: "", findings: [finding])
                commands.append(classified(invocation, recognition, context, defaultEnvironment))
            case .read(let reason):
                let recognition = Recognition(tool: invocation.program, verb: "", findings: [Finding(.read, invocation.program, reason)])
                commands.append(classified(invocation, recognition, context, defaultEnvironment))
            }
            return
        }
        // `mkfs.ext4` is `mkfs`; `python3.12` is `python3`.
        let family = invocation.program.split(separator: ".").first.map(String.init) ?? invocation.program
        let recognizer = recognizers[invocation.program] ?? recognizers[family] ?? fallback
        var recognition = recognizer.recognize(invocation, in: context)
        recognition.findings += redirectionFindings
        recognition.paths += redirectionPaths
        if recognition.findings.isEmpty { recognition.add(.read, invocation.program, "nothing to change") }
        let nested = recognition.nested
        commands.append(classified(invocation, recognition, context, defaultEnvironment))
        for inner in nested {
            switch inner {
            case .invocation(let found):
                follow(found, depth: depth + 1, into: &commands, context, defaultEnvironment)
            case .script(let script, let wrapper, let signals, let isRemote):
                let reader = CommandReader(
                    directory: isRemote ? nil : invocation.directory, wrappers: invocation.wrappers + [wrapper],
                    inheritedSignals: invocation.inheritedSignals + signals, isRemote: isRemote || invocation.isRemote)
                read(script, reader: reader, depth: depth + 1, into: &commands, context, defaultEnvironment)
            }
        }
    }

    private func classified(
        _ invocation: Invocation, _ recognition: Recognition, _ context: CommandContext, _ defaultEnvironment: String
    ) -> ClassifiedCommand {
        let commandSignals = invocation.inheritedSignals + recognition.signals
        let toolSignals = context.toolSignals[recognition.tool] ?? []
        let environment = resolver.resolve(commandSignals: commandSignals, toolSignals: toolSignals, defaultEnvironment: defaultEnvironment)
        var names: [String] = []
        for candidate in recognition.serviceCandidates {
            if let service = service(named: candidate), !names.contains(service) { names.append(service) }
        }
        if !invocation.isRemote {
            for path in recognition.paths {
                guard let absolute = context.absolute(path, from: invocation.directory),
                    case .inside(let relative) = context.placement(of: absolute),
                    let match = pathRules.lastMatch(for: relative)
                else { continue }
                if !names.contains(match.rule.payload) { names.append(match.rule.payload) }
            }
        }
        let flags = invocation.values.filter { $0.hasPrefix("-") && $0.count > 1 }.map { flag in
            flag.split(separator: "=", maxSplits: 1).first.map(String.init) ?? flag
        }
        return ClassifiedCommand(
            invocation: invocation, tool: recognition.tool, verb: recognition.verb, findings: recognition.findings,
            environment: environment, services: names, resources: recognition.resources, flags: flags)
    }

    /// A configured service named by `candidate`: exactly, or as its prefix (`payments-api` is `payments`).
    private func service(named candidate: String) -> String? {
        let lowered = candidate.lowercased()
        if let exact = services.first(where: { $0.name.lowercased() == lowered }) { return exact.name }
        return services.first { service in
            let name = service.name.lowercased()
            return lowered.hasPrefix(name + "-") || lowered.hasPrefix(name + "_") || lowered.hasPrefix(name + ".")
        }?.name
    }
}
