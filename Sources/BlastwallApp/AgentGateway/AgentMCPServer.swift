import BlastwallClient
import BlastwallCore
import BlastwallReporting
import CommandGuard
import Foundation

/// `blastwall mcp`: the agent gateway as an MCP server over standard input and output (`MCPStdio`). Its tools
/// check and run commands through the same engine as the hook and `exec`, ask for approval, and run the gate
/// on a change.
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

    static func schema(_ properties: [(String, String, String)], required: [String] = []) -> JSONValue {
        .object([
            ("type", .string("object")),
            (
                "properties",
                .object(
                    properties.map { name, type, description in
                        (name, .object([("type", .string(type)), ("description", .string(description))]))
                    })
            ),
            ("required", .array(required.map(JSONValue.string))),
        ])
    }

    static let commandArguments = schema(
        [
            ("command", "string", "The command line, as for a POSIX shell."),
            ("directory", "string", "Where it runs (default: the server's directory)."),
        ], required: ["command"])
    static let readOnly: [(String, JSONValue)] = [("readOnlyHint", .bool(true))]

    static let tools: [MCPStdio.Tool] = [
        MCPStdio.Tool(
            name: "check_command",
            description: "Classify a shell command (tool, operation class, environment, services) and say whether this agent may run it.",
            inputSchema: commandArguments, annotations: readOnly),
        MCPStdio.Tool(
            name: "run_command",
            description: "Run a shell command if the guard allows it (or an approval granted it); returns its output and exit status.",
            inputSchema: commandArguments, annotations: [("destructiveHint", .bool(true))]),
        MCPStdio.Tool(
            name: "request_approval",
            description: "Ask people to approve a command the guard escalates; returns the operation request's id and what it waits for.",
            inputSchema: commandArguments),
        MCPStdio.Tool(
            name: "approval_status",
            description: "The state of an operation request: pending, granted, used, rejected or expired, and what it still needs.",
            inputSchema: schema([("id", "integer", "The operation request's id.")], required: ["id"]), annotations: readOnly),
        MCPStdio.Tool(
            name: "check_change",
            description:
                "Run Blastwall's gate on the repository's change (base to head; by default the branch against the default branch).",
            inputSchema: schema([
                ("base", "string", "The base revision."), ("head", "string", "The head revision."),
                ("directory", "string", "The repository (default: the server's directory)."),
            ]), annotations: readOnly),
    ]

    public static func serve(_ settings: Settings) async {
        await MCPStdio(name: "blastwall", version: "0.1.0", tools: tools) { tool, arguments in
            await handle(tool, arguments, settings)
        }.serve()
    }

    static func handle(_ tool: String, _ arguments: JSONValue, _ settings: Settings) async -> MCPStdio.Reply {
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
            return failure("unknown tool '\(tool)'")
        }
    }

    static func failure(_ message: String) -> MCPStdio.Reply { reply(message, isError: true) }

    static func reply(_ text: String, isError: Bool) -> MCPStdio.Reply { MCPStdio.Reply(text, isError: isError) }

    /// Runs an allowed command line with /bin/sh, as the guard read it; output is capped at a megabyte each.
    static func run(_ command: String, in directory: String, timeout: Double) async -> MCPStdio.Reply {
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
