import BlastwallClient
import BlastwallCore
import BlastwallReporting
import CommandGuard
import Foundation
import Logging
import MCP

/// `blastwall mcp`: the agent gateway as an MCP server over standard input and output. Its tools check and run
/// commands through the same engine as the hook and `exec`, ask for approval, and run the gate on a change.
public enum AgentMCPServer {
    public struct Settings: Sendable {
        public var agent: String
        public var configurationPath: String?
        public var directory: String
        public var server: APIClient?
        /// How long `run_command` lets a command run.
        public var commandTimeout: Double

        public init(agent: String, configurationPath: String?, directory: String, server: APIClient?, commandTimeout: Double = 300) {
            self.agent = agent
            self.configurationPath = configurationPath
            self.directory = directory
            self.server = server
            self.commandTimeout = commandTimeout
        }
    }

    static let commandArguments: Value = .object([
        "type": .string("object"),
        "properties": .object([
            "command": .object(["type": .string("string"), "description": .string("The command line, as for a POSIX shell.")]),
            "directory": .object(["type": .string("string"), "description": .string("Where it runs (default: the server's directory).")]),
        ]),
        "required": .array([.string("command")]),
    ])

    static let tools: [Tool] = [
        Tool(
            name: "check_command",
            description: "Classify a shell command (tool, operation class, environment, services) and say whether this agent may run it.",
            inputSchema: commandArguments, annotations: .init(readOnlyHint: true)),
        Tool(
            name: "run_command",
            description: "Run a shell command if the guard allows it (or an approval granted it); returns its output and exit status.",
            inputSchema: commandArguments, annotations: .init(destructiveHint: true)),
        Tool(
            name: "request_approval",
            description: "Ask people to approve a command the guard escalates; returns the operation request's id and what it waits for.",
            inputSchema: commandArguments),
        Tool(
            name: "approval_status",
            description: "The state of an operation request: pending, granted, used, rejected or expired, and what it still needs.",
            inputSchema: .object([
                "type": .string("object"), "properties": .object(["id": .object(["type": .string("integer")])]),
                "required": .array([.string("id")]),
            ]), annotations: .init(readOnlyHint: true)),
        Tool(
            name: "check_change",
            description:
                "Run Blastwall's gate on the repository's change (base to head; by default the branch against the default branch).",
            inputSchema: .object([
                "type": .string("object"),
                "properties": .object([
                    "base": .object(["type": .string("string")]), "head": .object(["type": .string("string")]),
                    "directory": .object(["type": .string("string")]),
                ]),
            ]), annotations: .init(readOnlyHint: true)),
    ]

    public static func serve(_ settings: Settings, logger: Logger) async throws {
        let server = Server(name: "blastwall", version: "0.1.0", capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: tools) }
        await server.withMethodHandler(CallTool.self) { call in
            await handle(call.name, call.arguments ?? [:], settings)
        }
        try await server.start(transport: StdioTransport(logger: logger))
        await server.waitUntilCompleted()
    }

    static func handle(_ tool: String, _ arguments: [String: Value], _ settings: Settings) async -> CallTool.Result {
        let directory = arguments["directory"]?.stringValue ?? settings.directory
        switch tool {
        case "check_command", "run_command", "request_approval":
            guard let command = arguments["command"]?.stringValue else {
                return failure("'command' is required: the command line to check")
            }
            let question = CommandGate.Question(
                action: .command(command), directory: directory, agent: settings.agent, configurationPath: settings.configurationPath)
            let answer = await CommandGate.answer(question, server: settings.server, environment: ProcessInfo.processInfo.environment)
            if tool == "run_command" {
                guard answer.verdict == .allow else {
                    return failure("not run: \(answer.verdict.rawValue): \(answer.reason)")
                }
                return await run(command, in: directory, timeout: settings.commandTimeout)
            }
            if tool == "request_approval", answer.operation == nil {
                let why =
                    settings.server == nil
                    ? "approval needs a control-plane server: start 'blastwall mcp' with --server and the agent's --token"
                    : "this command needs no approval (\(answer.verdict.rawValue))"
                return reply(why + ": " + answer.reason, isError: answer.verdict != .allow)
            }
            return reply(AgentAnswerView.render(answer, json: true), isError: false)
        case "approval_status":
            guard let id = arguments["id"]?.intValue, id > 0 else { return failure("'id' is required: the operation request's id") }
            guard let server = settings.server else { return failure("approval status needs a control-plane server (--server)") }
            do {
                return reply(try await server.get("/api/v1/operations/\(id)").serialized(), isError: false)
            } catch {
                return failure("the control plane could not be asked: \(error)")
            }
        case "check_change":
            let options = GateCheck.Options(
                repository: directory, base: arguments["base"]?.stringValue, head: arguments["head"]?.stringValue,
                configPath: settings.configurationPath, now: nil)
            do {
                let outcome = try await GateCheck(options).run()
                return reply(JSONReport.render(outcome.report).serialized(), isError: false)
            } catch {
                return failure(error.description)
            }
        default:
            return failure("unknown tool '\(tool)'; the tools are \(tools.map(\.name).joined(separator: ", "))")
        }
    }

    static func failure(_ message: String) -> CallTool.Result { reply(message, isError: true) }

    static func reply(_ text: String, isError: Bool) -> CallTool.Result {
        .init(content: [.text(text: text, annotations: nil, _meta: nil)], isError: isError)
    }

    /// Runs an allowed command line with /bin/sh, as the guard read it; output is capped at a megabyte each.
    static func run(_ command: String, in directory: String, timeout: Double) async -> CallTool.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { return failure("could not start /bin/sh: \(error.localizedDescription)") }
        let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
        let (stdout, stderr) = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let out = output.fileHandleForReading.readDataToEndOfFile()
                let err = errors.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (out, err))
            }
        }
        timer.cancel()
        let limit = 1 << 20
        let text = String(decoding: stdout.prefix(limit), as: UTF8.self)
        let errorText = String(decoding: stderr.prefix(limit), as: UTF8.self)
        let status = process.terminationStatus
        var result = "exit status \(status)\n"
        if !text.isEmpty { result += "--- standard output\n" + text + (stdout.count > limit ? "\n[cut at 1 MiB]" : "") + "\n" }
        if !errorText.isEmpty { result += "--- standard error\n" + errorText + "\n" }
        return reply(result, isError: status != 0)
    }
}
