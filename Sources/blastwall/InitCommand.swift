import ArgumentParser
import BlastwallApp

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
        let path = try Initializer.run(repository: repo, output: output, force: force)
        Terminal.write("wrote \(path)\nnext: edit owners and tiers, then run 'blastwall config lint' and 'blastwall check'\n")
    }
}
