import BlastwallAnalysis
import BlastwallClient
import BlastwallCore
import CEL
import CommandGuard
import Foundation
import Synchronization

/// The agent gateway's one engine behind the hook, `exec` and MCP: classify what an agent wants to do, decide
/// by the local `blastwall.yml`, and with a server, record the decision and open or redeem escalations there.
/// It never throws: whatever goes wrong is a deny that says what went wrong (fail closed).
public enum CommandGate {
    public struct Question: Sendable {
        public var action: HookRequest.Action
        public var directory: String
        /// From `--agent`, never from a variable the agent could set.
        public var agent: String
        public var session: String?
        public var configurationPath: String?

        public init(action: HookRequest.Action, directory: String, agent: String, session: String? = nil, configurationPath: String? = nil)
        {
            self.action = action
            self.directory = directory
            self.agent = agent
            self.session = session
            self.configurationPath = configurationPath
        }
    }

    public struct Answer: Sendable {
        public var verdict: AgentDecision.Verdict
        public var reason: String
        /// The local decision, when the configuration could be read.
        public var decision: AgentDecision?
        /// The server's operation request for an escalation, as it answered.
        public var operation: JSONValue?
    }

    public static func answer(_ question: Question, server: APIClient?, environment: [String: String]) async -> Answer {
        let local: (AgentDecision, CommandContext, Set<String>)
        switch decideLocally(question, environment: environment) {
        case .failure(let failure): return Answer(verdict: .deny, reason: "\(failure.message); denied, as the guard fails closed")
        case .success(let found): local = found
        }
        let (decision, context, existing) = local
        guard let server else {
            if decision.verdict == .escalate {
                return Answer(
                    verdict: .deny,
                    reason: decision.reason
                        + ". Approval by others needs a control-plane server: run the hook with --server URL --token TOKEN (the agent's token)",
                    decision: decision)
            }
            return Answer(verdict: decision.verdict, reason: decision.reason, decision: decision)
        }
        do {
            let reply = try await server.post("/api/v1/operations/check", body(question, context, existing: existing))
            let verdict = reply["verdict"]?.stringValue.flatMap(AgentDecision.Verdict.init(rawValue:)) ?? .deny
            return Answer(
                verdict: verdict, reason: reply["reason"]?.stringValue ?? decision.reason, decision: decision,
                operation: reply["operation"].flatMap { $0 == .null ? nil : $0 })
        } catch {
            return Answer(
                verdict: .deny, reason: "the control plane could not be asked (\(error)); denied, as the guard fails closed",
                decision: decision)
        }
    }

    final class ExistingPaths: Sendable {
        let paths = Mutex<Set<String>>([])
    }

    struct Failure: Error {
        var message: String
    }

    /// The decision by the `blastwall.yml` found from the question's directory.
    static func decideLocally(_ question: Question, environment: [String: String]) -> Result<
        (AgentDecision, CommandContext, Set<String>), Failure
    > {
        let configurationDirectory = CommandContextReader.workingTree(of: question.directory) ?? question.directory
        let loaded: ConfigurationFile.Loaded
        do {
            loaded = try ConfigurationFile.load(path: question.configurationPath, directory: configurationDirectory)
        } catch {
            return .failure(Failure(message: "the configuration cannot be read: \(error.description.replacing("error: ", with: ""))"))
        }
        let configuration = loaded.configuration
        guard let agent = configuration.agentGateway.agent(named: question.agent) else {
            let known = configuration.agentGateway.agents.map(\.name)
            return .failure(
                Failure(
                    message: "agent '\(question.agent)' is not defined under 'agents:' in \(loaded.path)"
                        + (known.isEmpty ? "; add it there with its scopes" : " (defined: \(known.joined(separator: ", ")))")))
        }
        var context = CommandContextReader.context(directory: question.directory, environment: environment)
        // The paths found to exist go to the server, which decides again without the client's file system.
        let lookup = context.exists
        let found = ExistingPaths()
        context.exists = { path in
            let exists = lookup(path)
            if exists { found.paths.withLock { _ = $0.insert(path) } }
            return exists
        }
        let classifier = CommandClassifier(configuration: configuration)
        let classification = classifier.classify(question.action, in: context, defaultEnvironment: agent.defaultEnvironment)
        let now = Timestamp(nanoseconds: Int128(Date().timeIntervalSince1970 * 1e9)) ?? Timestamp(rfc3339: "1970-01-01T00:00:00Z")!
        let decision = AgentPolicy(configuration: configuration).decide(
            classification, for: AgentActor(definition: agent, session: question.session), now: now)
        return .success((decision, context, found.paths.withLock { $0 }))
    }

    /// A `blastwall.tests.yml` command case, decided as the hook would offline (without tool configuration).
    static func testOutcome(_ testCase: PolicyTestSuite.CommandCase, configuration: Configuration, now: Timestamp) -> Result<
        PolicyTestSuite.CommandOutcome, PolicyTestSuite.CommandCaseFailure
    > {
        let agents = configuration.agentGateway.agents
        guard let agent = testCase.agent.map(configuration.agentGateway.agent(named:)) ?? (agents.count == 1 ? agents.first : nil) else {
            return .failure(
                .init(
                    message: testCase.agent.map { "agent '\($0)' is not defined under 'agents:'" }
                        ?? "say which agent runs the command ('agent: NAME'); the configuration defines \(agents.count)"))
        }
        let context = CommandContext(directory: testCase.directory, workingTree: testCase.directory)
        let classification = CommandClassifier(configuration: configuration).classify(
            testCase.command, in: context, defaultEnvironment: agent.defaultEnvironment)
        let decision = AgentPolicy(configuration: configuration).decide(classification, for: AgentActor(definition: agent), now: now)
        let services = Array(Set(classification.commands.flatMap(\.services))).sorted()
        return .success(
            .init(
                verdict: decision.verdict.rawValue, operation: classification.operation, environment: decision.environment,
                services: services, reason: decision.reason))
    }

    /// What the server needs to decide again by its own configuration.
    static func body(_ question: Question, _ context: CommandContext, existing: Set<String>) -> JSONValue {
        var fields: [(String, JSONValue)] = [("directory", .string(question.directory))]
        switch question.action {
        case .command(let text): fields.append(("command", .string(text)))
        case .fileWrites(let paths, let tool):
            fields.append(("file_writes", .array(paths.map(JSONValue.string))))
            fields.append(("tool", .string(tool)))
        case .other(let tool): fields.append(("tool", .string(tool)))
        }
        if let session = question.session { fields.append(("session", .string(session))) }
        if let tree = context.workingTree { fields.append(("working_tree", .string(tree))) }
        if let home = context.home { fields.append(("home", .string(home))) }
        let signals: [JSONValue] = context.toolSignals.sorted { $0.key < $1.key }.flatMap { tool, signals in
            signals.map { signal -> JSONValue in
                let origin: String
                if case .toolConfiguration(let place) = signal.origin { origin = place } else { origin = "command" }
                return .object([
                    ("tool", .string(tool)), ("kind", .string(signal.kind.rawValue)), ("value", .string(signal.value)),
                    ("origin", .string(origin)),
                ])
            }
        }
        fields.append(("tool_signals", .array(signals)))
        fields.append(("existing_paths", .array(existing.sorted().map(JSONValue.string))))
        return .object(fields)
    }
}
