import ArgumentParser
import BlastwallApp
import BlastwallClient
import Foundation
import Synchronization

import struct CommandGuard.AgentDecision
import enum CommandGuard.HookAnswer
import struct CommandGuard.HookRequest
import struct CommandGuard.TerraformPlanClassification

struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Guard what AI agents run: the hook for Claude Code, Codex and Cursor, and classification at hand.",
        subcommands: [AgentHookCommand.self, AgentCheckCommand.self, AgentPlanCommand.self])
}

/// Who the agent is and where the control plane is: from flags (the hook's own settings), never from variables
/// the agent could set. The server and token may come from BLASTWALL_SERVER and BLASTWALL_TOKEN.
struct AgentOptions: ParsableArguments {
    @Option(help: "The agent's name, as defined under 'agents:' in blastwall.yml.")
    var agent: String

    @Option(help: "The configuration file (default: blastwall.yml of the working tree).")
    var config: String?

    @Flag(help: "Decide by the local blastwall.yml alone, even when BLASTWALL_SERVER is set.")
    var offline = false

    @OptionGroup var client: ClientOptions

    /// The control plane when one is named; offline otherwise.
    func server() throws -> APIClient? {
        let environment = ProcessInfo.processInfo.environment
        guard !offline, client.server != nil || !(environment["BLASTWALL_SERVER"] ?? "").isEmpty else { return nil }
        return try client.client()
    }
}

struct AgentHookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Answer an agent's pre-tool hook: reads its JSON on standard input, writes the decision as JSON.",
        discussion: """
            Always exits 0; the decision (allow, deny or ask) is in the JSON. Input that cannot be read, a \
            configuration that cannot be loaded, and a timeout all deny (fail closed), saying why.
            """)

    @Option(help: "The harness's format: claude (Claude Code, Codex CLI) or cursor.")
    var format: HookRequest.Format = .claude

    @Option(help: "Seconds before the hook gives up and denies.")
    var timeout: Double = 10

    @OptionGroup var options: AgentOptions

    func run() async throws {
        let answered = Atomic<Bool>(false)
        let format = format
        let respond: @Sendable (AgentDecisionVerdict, String) -> Void = { verdict, reason in
            guard answered.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged else { return }
            Terminal.write(HookAnswer.render(verdict, reason: reason, format: format) + "\n")
        }
        let seconds = timeout
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: seconds)
            respond(.deny, "the guard did not decide within \(seconds) s; denied, as it fails closed")
            Foundation.exit(0)
        }
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let request: HookRequest
        do {
            request = try HookRequest.parse(input, format: format)
        } catch {
            respond(.deny, "\(error); denied, as the guard fails closed")
            return
        }
        let server: APIClient?
        do { server = try options.server() } catch {
            respond(.deny, "\(error); denied, as the guard fails closed")
            return
        }
        let directory = request.directory ?? FileManager.default.currentDirectoryPath
        let answer = await CommandGate.answer(
            CommandGate.Question(
                action: request.action, directory: directory, agent: options.agent, session: request.session,
                configurationPath: options.config),
            server: server, environment: ProcessInfo.processInfo.environment)
        respond(answer.verdict, answer.reason)
    }
}

typealias AgentDecisionVerdict = AgentDecision.Verdict

extension HookRequest.Format: ExpressibleByArgument {}

struct AgentCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Classify a command line and say what the agent may do with it, without running it.",
        discussion: "Exit status: 0 allow, 1 deny, 3 ask or escalate.")

    @Argument(help: "The command line, as the agent would pass it to a shell.")
    var command: String

    @Option(help: "The directory it would run in (default: the current one).")
    var directory: String?

    @OptionGroup var options: AgentOptions
    @OptionGroup var format: FormatOption

    func run() async throws {
        let answer = await CommandGate.answer(
            CommandGate.Question(
                action: .command(command), directory: directory ?? FileManager.default.currentDirectoryPath, agent: options.agent,
                configurationPath: options.config),
            server: try options.server(), environment: ProcessInfo.processInfo.environment)
        Terminal.write(AgentAnswerView.render(answer, json: format.format == .json))
        switch answer.verdict {
        case .allow: return
        case .deny: throw ExitCode(1)
        case .ask, .escalate: throw ExitCode(3)
        }
    }
}

struct AgentPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Classify a terraform plan: every deletion and replacement in `terraform show -json` output, by type.",
        discussion: "Exit status: 0 when nothing is deleted or replaced, 1 when something is, 2 when the file cannot be read.")

    @Argument(help: "The plan as JSON: terraform show -json PLANFILE > plan.json.")
    var file: String

    @OptionGroup var format: FormatOption

    func run() throws {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw BlastwallError.file(path: file, reason: "cannot be read (\(error.localizedDescription))")
        }
        let plan: TerraformPlanClassification
        do { plan = try TerraformPlanClassification.classify(text) } catch {
            throw BlastwallError.file(path: file, reason: error.description)
        }
        Terminal.write(AgentAnswerView.render(plan, json: format.format == .json))
        if plan.operation == .destructive { throw ExitCode(1) }
    }
}
