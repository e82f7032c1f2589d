import ArgumentParser
import BlastwallApp
import Foundation

import struct CommandGuard.HookRequest

struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command for an agent only if the guard allows it (or a grant does); its output and status pass through.",
        discussion: """
            blastwall exec --agent coder -- kubectl get pods. Exit status: the command's own when it runs; 126 when \
            the guard does not allow it (the reason is on standard error); 127 when it cannot be started.
            """)

    @Flag(help: "Print the classification and decision instead of running.")
    var dryRun = false

    @OptionGroup var options: AgentOptions
    @OptionGroup var format: FormatOption

    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments, after --.")
    var command: [String] = []

    func run() async throws {
        var words = command
        if words.first == "--" { words.removeFirst() }
        guard !words.isEmpty else {
            throw ValidationError("no command to run: write it after --, e.g. blastwall exec --agent coder -- git status")
        }
        // Classified as a shell would read these exact words; run as they are, with no shell in between.
        let line = words.map(HookRequest.quoted).joined(separator: " ")
        let answer = await CommandGate.answer(
            CommandGate.Question(
                action: .command(line), directory: FileManager.default.currentDirectoryPath, agent: options.agent,
                configurationPath: options.config),
            server: try options.server(), environment: ProcessInfo.processInfo.environment)
        if dryRun {
            Terminal.write(AgentAnswerView.render(answer, json: format.format == .json))
            return
        }
        guard answer.verdict == .allow else {
            let what = answer.verdict == .ask ? "needs the operator's confirmation, which exec cannot ask for" : "is not allowed"
            Terminal.printError("blastwall: \(line) \(what): \(answer.reason)")
            throw ExitCode(126)
        }
        let arguments = words.map { strdup($0) } + [nil]
        execvp(words[0], arguments)
        Terminal.printError("blastwall: cannot run \(words[0]): \(String(cString: strerror(errno)))")
        throw ExitCode(127)
    }
}
