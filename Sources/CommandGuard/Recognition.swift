import BlastwallCore

/// Something in a command (or its tool's configuration) that names where it acts.
public struct EnvironmentSignal: Sendable, Equatable {
    public var kind: EnvironmentSignalKind
    public var value: String
    public var origin: Origin

    public enum Origin: Sendable, Equatable {
        /// Written in the command: `--context prod-eu`, `AWS_PROFILE=prod`.
        case command
        /// Read from the tool's own configuration: the kubeconfig's current context, the terraform workspace file.
        case toolConfiguration(String)
    }

    public init(_ kind: EnvironmentSignalKind, _ value: String, origin: Origin = .command) {
        self.kind = kind
        self.value = value
        self.origin = origin
    }
}

/// One reason a command is in its class: the words that caused it and why.
public struct Finding: Sendable, Equatable {
    public var operation: OperationClass
    /// The words of the command that caused it: `delete namespace payments`.
    public var words: String
    /// Why: `delete of a namespace`.
    public var reason: String
    /// The guard cannot see what this part does (interpreter code, a script file, SQL from stdin): it escalates.
    public var isOpaque: Bool
    /// It writes the guard's own configuration (`blastwall.yml`, the agents' hook settings): never allowed outright.
    public var isGuardWrite: Bool

    public init(_ operation: OperationClass, _ words: String, _ reason: String, isOpaque: Bool = false, isGuardWrite: Bool = false) {
        self.operation = operation
        self.words = words
        self.reason = reason
        self.isOpaque = isOpaque
        self.isGuardWrite = isGuardWrite
    }

    public static func opaque(_ words: String, _ reason: String) -> Finding {
        Finding(.destructive, words, reason, isOpaque: true)
    }
}

/// What a recogniser read in one invocation.
public struct Recognition: Sendable {
    /// The tool family's name: `kubectl`, `git`, `psql`.
    public var tool: String
    /// Its subcommand or main action: `delete`, `push`, `DROP`.
    public var verb: String
    public var findings: [Finding]
    public var signals: [EnvironmentSignal]
    /// What it acts on: `namespace/payments`, `bucket/logs`, a table.
    public var resources: [String]
    /// Names that may be services: a namespace, a release, a container, a unit.
    public var serviceCandidates: [String]
    /// Files it writes or removes, as written (resolved against the directory later).
    public var paths: [String]
    /// Commands it runs (`find -exec`, `xargs`, git aliases): classified in turn.
    public var nested: [Nested]

    public enum Nested: Sendable {
        /// Arguments of a program run as they are.
        case invocation(Invocation)
        /// Text a shell reads: `bash -c`, `ssh host CMD`, a git alias starting with `!`.
        case script(String, wrapper: String, signals: [EnvironmentSignal], isRemote: Bool)
    }

    public init(
        tool: String, verb: String = "", findings: [Finding] = [], signals: [EnvironmentSignal] = [], resources: [String] = [],
        serviceCandidates: [String] = [], paths: [String] = [], nested: [Nested] = []
    ) {
        self.tool = tool
        self.verb = verb
        self.findings = findings
        self.signals = signals
        self.resources = resources
        self.serviceCandidates = serviceCandidates
        self.paths = paths
        self.nested = nested
    }

    /// The most harmful class among its findings; a recognition without findings reads.
    public var operation: OperationClass { findings.map(\.operation).max() ?? .read }

    public mutating func add(_ operation: OperationClass, _ words: String, _ reason: String) {
        findings.append(Finding(operation, words, reason))
    }
}

/// Reads one family of tools (as a traffic router drives one proxy): which programs it knows, and what an
/// invocation of one does.
public protocol CommandRecognizer: Sendable {
    /// Program names, as invoked: `kubectl`, `oc`.
    var programs: [String] { get }
    func recognize(_ invocation: Invocation, in context: CommandContext) -> Recognition
}
