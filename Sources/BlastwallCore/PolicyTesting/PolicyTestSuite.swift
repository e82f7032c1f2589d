import CEL
import Yams

/// Test cases kept beside a policy: a described change and the decision it must get (like `opa test`).
public struct PolicyTestSuite: Sendable {
    public struct TestCase: Sendable {
        public var name: String
        public var changeSet: ChangeSet
        /// A case about an agent's command instead of a change (`command:`).
        public var command: CommandCase?
        public var now: Timestamp?
        public var expectation: Expectation
        public var location: SourceLocation
    }

    /// What a case asserts; unset fields are not checked.
    public struct Expectation: Sendable {
        public var decision: Decision?
        /// The exact set of matched rule names.
        public var rules: [String]?
        /// Classes that must all be present.
        public var classes: [String]?
        public var provenance: ProvenanceKind?
        public var services: [String]?
        public var requirements: Requirements?
        public var riskLevel: String?
        /// For command cases: `allow`, `deny`, `ask` or `escalate`.
        public var verdict: String?
        public var operation: OperationClass?
        public var environment: String?
        /// Words the decision's reason must contain.
        public var reason: String?
    }

    /// `command: "kubectl delete ns payments --context prod-eu"`, as agent `agent`, run in `directory`.
    public struct CommandCase: Sendable {
        public var command: String
        public var agent: String?
        public var directory: String
    }

    /// What the agent gateway made of a command case, as the caller (which has the classifier) reports it.
    public struct CommandOutcome: Sendable {
        public var verdict: String
        public var operation: OperationClass
        public var environment: String
        public var services: [String]
        public var reason: String

        public init(verdict: String, operation: OperationClass, environment: String, services: [String], reason: String) {
            self.verdict = verdict
            self.operation = operation
            self.environment = environment
            self.services = services
            self.reason = reason
        }
    }

    public struct Result: Sendable {
        public var name: String
        public var failures: [String]
        public var location: SourceLocation
        public var passed: Bool { failures.isEmpty }
    }

    public var cases: [TestCase]

    static let suiteKeys = ["tests"]
    static let caseKeys = ["name", "now", "change", "expect", "command", "agent", "directory"]
    static let changeKeys = ["files", "commits"]
    static let fileKeys = ["path", "old_path", "status", "added", "removed", "binary", "added_lines"]
    static let commitKeys = ["sha", "author", "committer", "message"]
    static let expectKeys = [
        "decision", "rules", "classes", "provenance", "services", "requirements", "risk_level", "verdict", "operation", "environment",
        "reason",
    ]

    /// Parses a test file; every problem is reported with its position.
    public init(yaml text: String, file: String) throws(ConfigurationError) {
        var reader = YAMLReader(file: file, text: text)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text, Resolver.basic) else {
                throw ConfigurationError(diagnostics: [
                    Diagnostic(.error, "the test file is empty", at: SourceLocation(file: file, line: 1, column: 1))
                ])
            }
            root = node
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(diagnostics: [
                Diagnostic(.error, "invalid YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
            ])
        }
        var cases: [TestCase] = []
        let testsNode = reader.mapping(root, "the test file", allowedKeys: Self.suiteKeys)?.first { $0.key == "tests" }?.value
        for (index, item) in (testsNode.flatMap { reader.sequence($0, "tests") } ?? []).enumerated() {
            if let testCase = Self.testCase(item, index: index, &reader) { cases.append(testCase) }
        }
        if testsNode == nil { reader.error("the test file needs a 'tests:' list", at: root) }
        let errors = reader.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else { throw ConfigurationError(diagnostics: errors) }
        self.cases = cases
    }

    private static func testCase(_ node: Node, index: Int, _ reader: inout YAMLReader) -> TestCase? {
        guard let fields = reader.mapping(node, "test #\(index + 1)", allowedKeys: caseKeys) else { return nil }
        var name = "test #\(index + 1)"
        var now: Timestamp?
        var changeSet = ChangeSet(files: [])
        var expectation = Expectation()
        var sawExpect = false
        var command: CommandCase?
        var agent: String?
        var directory = "/repo"
        for field in fields {
            switch field.key {
            case "name": name = reader.string(field.value, "the test name") ?? name
            case "command": command = reader.string(field.value, "command").map { CommandCase(command: $0, agent: nil, directory: "") }
            case "agent": agent = reader.string(field.value, "agent")
            case "directory": directory = reader.string(field.value, "directory") ?? directory
            case "now":
                if let text = reader.string(field.value, "now") {
                    now = Timestamp(rfc3339: text)
                    if now == nil { reader.error("now is '\(text)', but must be an RFC 3339 time", at: field.value) }
                }
            case "change": changeSet = change(field.value, &reader)
            default:
                sawExpect = true
                expectation = expect(field.value, &reader)
            }
        }
        if !sawExpect { reader.error("test '\(name)' has no 'expect'", at: node) }
        command?.agent = agent
        command?.directory = directory
        if command != nil, fields.contains(where: { $0.key == "change" }) {
            reader.error("test '\(name)' has both 'change' and 'command'; a case is about one of them", at: node)
        }
        return TestCase(
            name: name, changeSet: changeSet, command: command, now: now, expectation: expectation, location: reader.location(node))
    }

    private static func change(_ node: Node, _ reader: inout YAMLReader) -> ChangeSet {
        var changeSet = ChangeSet(files: [])
        for field in reader.mapping(node, "change", allowedKeys: changeKeys) ?? [] {
            if field.key == "files" {
                for item in reader.sequence(field.value, "files") ?? [] {
                    if let file = file(item, &reader) { changeSet.files.append(file) }
                }
            } else {
                for (index, item) in (reader.sequence(field.value, "commits") ?? []).enumerated() {
                    changeSet.commits.append(commit(item, index: index, &reader))
                }
            }
        }
        return changeSet
    }

    private static func file(_ node: Node, _ reader: inout YAMLReader) -> FileChange? {
        if case .scalar = node, let path = reader.string(node, "a file") { return FileChange(path: path, status: .modified, linesAdded: 1) }
        guard let fields = reader.mapping(node, "a file", allowedKeys: fileKeys) else { return nil }
        var file = FileChange(path: "", status: .modified)
        var added: Int?
        for field in fields {
            switch field.key {
            case "path": file.path = reader.string(field.value, "path") ?? ""
            case "old_path": file.oldPath = reader.string(field.value, "old_path")
            case "status":
                let text = reader.string(field.value, "status") ?? ""
                if let status = FileChange.Status(rawValue: text) {
                    file.status = status
                } else {
                    reader.error(
                        "status is '\(text)', but must be one of \(FileChange.Status.allCases.map(\.rawValue).joined(separator: ", "))",
                        at: field.value)
                }
            case "added": added = reader.int(field.value, "added", in: 0...Int.max)
            case "removed": file.linesRemoved = reader.int(field.value, "removed", in: 0...Int.max) ?? 0
            case "binary": file.isBinary = reader.bool(field.value, "binary") ?? false
            default:
                let lines = reader.strings(field.value, "added_lines") ?? []
                file.addedLines = lines.enumerated().map { AddedLine(number: $0.offset + 1, text: $0.element) }
            }
        }
        if file.path.isEmpty { reader.error("a file needs a 'path'", at: node) }
        file.linesAdded = added ?? max(file.addedLines.count, file.status == .deleted ? 0 : 1)
        return file
    }

    private static func identity(_ node: Node, _ context: String, _ reader: inout YAMLReader) -> Identity {
        if case .scalar = node, let text = reader.string(node, context) {
            // "Name <email>" or a bare name.
            if let open = text.firstIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
                return Identity(name: text[..<open].trimmingWhitespace(), email: String(text[text.index(after: open)..<close]))
            }
            return Identity(name: text, email: "")
        }
        var identity = Identity(name: "", email: "")
        for field in reader.mapping(node, context, allowedKeys: ["name", "email"]) ?? [] {
            if field.key == "name" {
                identity.name = reader.string(field.value, "name") ?? ""
            } else {
                identity.email = reader.string(field.value, "email") ?? ""
            }
        }
        return identity
    }

    private static func commit(_ node: Node, index: Int, _ reader: inout YAMLReader) -> Commit {
        var commit = Commit(
            sha: String(repeating: String(index % 10), count: 40), author: Identity(name: "Test Author", email: "author@example.com"),
            committer: Identity(name: "Test Author", email: "author@example.com"), message: "test commit")
        var sawCommitter = false
        for field in reader.mapping(node, "a commit", allowedKeys: commitKeys) ?? [] {
            switch field.key {
            case "sha": commit.sha = reader.string(field.value, "sha") ?? commit.sha
            case "author": commit.author = identity(field.value, "author", &reader)
            case "committer":
                sawCommitter = true
                commit.committer = identity(field.value, "committer", &reader)
            default: commit.message = reader.string(field.value, "message") ?? ""
            }
        }
        if !sawCommitter { commit.committer = commit.author }
        return commit
    }

    private static func expect(_ node: Node, _ reader: inout YAMLReader) -> Expectation {
        var expectation = Expectation()
        for field in reader.mapping(node, "expect", allowedKeys: expectKeys) ?? [] {
            switch field.key {
            case "decision":
                let text = reader.string(field.value, "decision") ?? ""
                expectation.decision = Decision(rawValue: text)
                if expectation.decision == nil { reader.error("decision is '\(text)', but must be allow, review or deny", at: field.value) }
            case "rules": expectation.rules = reader.strings(field.value, "rules")
            case "classes": expectation.classes = reader.strings(field.value, "classes")
            case "services": expectation.services = reader.strings(field.value, "services")
            case "risk_level": expectation.riskLevel = reader.string(field.value, "risk_level")
            case "verdict":
                let text = reader.string(field.value, "verdict") ?? ""
                expectation.verdict = text
                if !["allow", "deny", "ask", "escalate"].contains(text) {
                    reader.error("verdict is '\(text)', but must be allow, deny, ask or escalate", at: field.value)
                }
            case "operation": expectation.operation = reader.choice(field.value, "operation", of: OperationClass.self)
            case "environment": expectation.environment = reader.string(field.value, "environment")
            case "reason": expectation.reason = reader.string(field.value, "reason")
            case "provenance":
                let text = reader.string(field.value, "provenance") ?? ""
                expectation.provenance = ProvenanceKind(rawValue: text)
                if expectation.provenance == nil {
                    reader.error("provenance is '\(text)', but must be \(ProvenanceKind.spelledOut)", at: field.value)
                }
            default:
                var requirements = Requirements()
                for item in reader.mapping(field.value, "requirements", allowedKeys: ConfigurationLoader.requireKeys) ?? [] {
                    switch item.key {
                    case "approvals": requirements.approvals = reader.int(item.value, "approvals", in: 0...20) ?? 0
                    case "owners":
                        requirements.owners = Requirements.OwnersMode(rawValue: reader.string(item.value, "owners") ?? "") ?? .none
                    case "groups":
                        for group in reader.mapping(item.value, "groups") ?? [] {
                            requirements.groups[group.key] = reader.int(group.value, "group count", in: 0...20)
                        }
                    case "canary": requirements.canary = reader.bool(item.value, "canary") ?? false
                    default: requirements.maxInitialWeight = reader.int(item.value, "max_initial_weight", in: 1...100)
                    }
                }
                expectation.requirements = requirements
            }
        }
        return expectation
    }

    /// Runs every case: changes through the analyzer, commands through `decide` (the agent gateway, which
    /// the caller wires); `defaultNow` applies where a case sets no time.
    public func run(
        with analyzer: ChangeAnalyzer, defaultNow: Timestamp,
        decide: (CommandCase, Timestamp) -> Swift.Result<CommandOutcome, CommandCaseFailure> = { _, _ in
            .failure(CommandCaseFailure(message: "command cases need the agent gateway"))
        }
    ) -> [Result] {
        cases.map { testCase in
            if let command = testCase.command {
                let failures: [String]
                switch decide(command, testCase.now ?? defaultNow) {
                case .success(let outcome): failures = Self.compare(testCase.expectation, outcome)
                case .failure(let failure): failures = [failure.message]
                }
                return Result(name: testCase.name, failures: failures, location: testCase.location)
            }
            let report = analyzer.analyze(testCase.changeSet, now: testCase.now ?? defaultNow)
            return Result(name: testCase.name, failures: Self.compare(testCase.expectation, report), location: testCase.location)
        }
    }

    public struct CommandCaseFailure: Error, Sendable {
        public var message: String

        public init(message: String) {
            self.message = message
        }
    }

    static func compare(_ expected: Expectation, _ outcome: CommandOutcome) -> [String] {
        var failures: [String] = []
        if let verdict = expected.verdict, verdict != outcome.verdict {
            failures.append("verdict: expected \(verdict), got \(outcome.verdict) (\(outcome.reason))")
        }
        if let operation = expected.operation, operation != outcome.operation {
            failures.append("operation: expected \(operation.rawValue), got \(outcome.operation.rawValue)")
        }
        if let environment = expected.environment, environment != outcome.environment {
            failures.append("environment: expected \(environment), got \(outcome.environment)")
        }
        if let services = expected.services, Set(services) != Set(outcome.services) {
            failures.append(
                "services: expected [\(services.sorted().joined(separator: ", "))], got [\(outcome.services.sorted().joined(separator: ", "))]"
            )
        }
        if let reason = expected.reason, !outcome.reason.contains(reason) {
            failures.append("reason: expected to contain '\(reason)', got '\(outcome.reason)'")
        }
        for (key, set) in [
            ("decision", expected.decision != nil), ("rules", expected.rules != nil), ("classes", expected.classes != nil),
            ("provenance", expected.provenance != nil), ("requirements", expected.requirements != nil),
            ("risk_level", expected.riskLevel != nil),
        ]
        where set {
            failures.append("\(key) is about changes; a command case expects verdict, operation, environment, services or reason")
        }
        return failures
    }

    static func compare(_ expected: Expectation, _ report: GateReport) -> [String] {
        var failures: [String] = []
        if let decision = expected.decision, decision != report.decision {
            let why = report.reasons.isEmpty ? "" : " (\(report.reasons.joined(separator: "; ")))"
            failures.append("decision: expected \(decision.rawValue), got \(report.decision.rawValue)\(why)")
        }
        if let rules = expected.rules, Set(rules) != Set(report.matchedRules.map(\.name)) {
            failures.append(
                "rules: expected [\(rules.sorted().joined(separator: ", "))], got [\(report.matchedRules.map(\.name).sorted().joined(separator: ", "))]"
            )
        }
        if let classes = expected.classes, !Set(classes).isSubset(of: Set(report.classes)) {
            failures.append(
                "classes: expected to include [\(classes.joined(separator: ", "))], got [\(report.classes.joined(separator: ", "))]")
        }
        if let services = expected.services, Set(services) != Set(report.services.map(\.name)) {
            failures.append(
                "services: expected [\(services.sorted().joined(separator: ", "))], got [\(report.services.map(\.name).sorted().joined(separator: ", "))]"
            )
        }
        if let provenance = expected.provenance, provenance != report.provenance.kind {
            failures.append("provenance: expected \(provenance.rawValue), got \(report.provenance.kind.rawValue)")
        }
        if let level = expected.riskLevel, level != report.risk.level.rawValue {
            failures.append("risk_level: expected \(level), got \(report.risk.level.rawValue) (score \(report.risk.score))")
        }
        if let requirements = expected.requirements, requirements != report.requirements {
            failures.append(
                "requirements: expected \(PolicyEvaluator.describe(requirements)), got \(PolicyEvaluator.describe(report.requirements))")
        }
        return failures
    }
}
