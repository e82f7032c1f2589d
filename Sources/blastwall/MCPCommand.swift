import ArgumentParser
import BlastwallApp
import Foundation

struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the agent gateway to an agent over MCP (stdio): check_command, run_command, request_approval, "
            + "approval_status, check_change.")

    @Option(help: "Seconds run_command lets a command run.")
    var commandTimeout: Double = 300

    @OptionGroup var options: AgentOptions

    func run() async throws {
        // Standard output carries the protocol; nothing else is written there.
        await AgentMCPServer.serve(
            AgentMCPServer.Settings(
                agent: options.agent, configurationPath: options.config, directory: FileManager.default.currentDirectoryPath,
                server: try options.server(), commandTimeout: commandTimeout))
    }
}
