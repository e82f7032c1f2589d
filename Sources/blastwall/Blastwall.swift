import ArgumentParser
import BlastwallApp
import BlastwallClient
import BlastwallStorage
import Foundation

/// The `blastwall` command line.
struct Blastwall: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blastwall",
        abstract: "Deterministic guardrails between a code change and production.",
        discussion: """
            Exit status: 0 allow or review, 1 deny, 2 usage, configuration or git error, \
            3 review when --fail-on review is given.
            """,
        // No `version:` here: ArgumentParser would then take every `--version` as the version flag, and
        // `demo-app --version V` needs its own. `blastwall --version` is answered in `Main`.
        subcommands: [
            CheckCommand.self, ExplainCommand.self, PolicyCommand.self, InitCommand.self, ConfigCommand.self, DemoCommand.self,
            ServeCommand.self, AdminCommand.self, IdentityCommand.self, ApproveCommand.self, RejectCommand.self, GateCommand.self,
            ChangeCommand.self, FreezeCommand.self, SwitchCommand.self, AuditCommand.self, KeygenCommand.self, AttestCommand.self,
            AnalysisCommand.self, DemoAppCommand.self, RolloutCommand.self, DrillCommand.self, AgentCommand.self, ExecCommand.self,
            OperationCommand.self, MCPCommand.self, IncidentCommand.self, DORACommand.self,
        ])
}

@main
enum Main {
    static let version = "0.1.0"

    static func main() async {
        // A closed output pipe is a write error (Terminal.write), not a signal that kills with status 141.
        signal(SIGPIPE, SIG_IGN)
        if Array(CommandLine.arguments.dropFirst()) == ["--version"] {
            print(version)
            return
        }
        do {
            var command = try Blastwall.parseAsRoot()
            do {
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
            } catch let error as ValidationError {
                // Found while running, so ArgumentParser would show the root's usage: show the command's own.
                Terminal.printError(usageError(error.message, command: type(of: command)))
                Blastwall.exit(withError: ExitCode(2))
            }
        } catch let error as BlastwallError {
            Terminal.printError(error.description)
            Blastwall.exit(withError: ExitCode(2))
        } catch let error as APIClient.Failure {
            Terminal.printError("error: \(error)")
            Blastwall.exit(withError: ExitCode(2))
        } catch let error as StorageError {
            Terminal.printError("error: \(error)")
            Blastwall.exit(withError: ExitCode(2))
        } catch {
            // Usage errors exit with 2 (ArgumentParser's default is 64), as documented.
            let code = Blastwall.exitCode(for: error)
            if code == .validationFailure {
                Terminal.printError(Blastwall.fullMessage(for: error))
                Blastwall.exit(withError: ExitCode(2))
            }
            Blastwall.exit(withError: error)
        }
    }

    /// `Error: …`, then the usage of the command that refused, as ArgumentParser says it for parse errors.
    static func usageError(_ message: String, command: any ParsableCommand.Type) -> String {
        let usage = Blastwall.usageString(for: command)
        let path = usage.split(separator: " ").prefix { !["<", "[", "-"].contains($0.first) }.joined(separator: " ")
        return "Error: \(message)\nUsage: \(usage)\n  See '\(path) --help' for more information."
    }
}
