import ArgumentParser
import BlastwallApp
import BlastwallCore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented starter blastwall.yml, importing services from CODEOWNERS if there is one.")

    @Option(help: "The repository to write it in.")
    var repo: String = "."

    @Option(help: "The file to write, relative to the repository.")
    var output: String?

    @Flag(help: "Replace an existing file.")
    var force = false

    func run() throws {
        let outcome = try Initializer.run(repository: repo, output: output, force: force)
        if let imported = outcome.imported, let codeowners = outcome.codeownersPath {
            Terminal.write(
                "imported \(imported.importedRuleCount) of \(imported.ruleCount) rules of \(codeowners) "
                    + "into \(counted(imported.services.count, "service"))\n")
            for note in imported.notes { Terminal.printError("not imported as is: \(note)") }
        }
        Terminal.write("wrote \(outcome.path)\n")
        if let tests = outcome.testsPath { Terminal.write("wrote \(tests)\n") }
        Terminal.write("next: set tiers, then run 'blastwall config lint', 'blastwall policy test' and 'blastwall check'\n")
    }
}
