import ArgumentParser
import BlastwallApp
import BlastwallCore

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Work with blastwall.yml.",
        subcommands: [ConfigLintCommand.self])
}

struct ConfigLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Validate the configuration: syntax, keys, paths, regexes, conditions, dependencies.")

    @OptionGroup var repository: RepositoryOptions

    func run() throws {
        let summary = try ConfigurationLint.run(configPath: repository.config, repository: repository.repo)
        for warning in summary.warnings { Terminal.printError(warning.description) }
        Terminal.write(
            "\(summary.path): ok (\(counted(summary.services, "service")), \(counted(summary.rules, "rule")), \(counted(summary.freezes, "freeze")), \(counted(summary.warnings.count, "warning")))\n"
        )
    }
}
