import ArgumentParser
import BlastwallApp
import BlastwallCore

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show the service, matching rule line, owners and classes of paths.")

    @Argument(help: "Repository-relative paths.")
    var paths: [String]

    @Option(help: "The repository whose configuration applies.")
    var repo: String = "."

    @Option(help: "The configuration file (default: blastwall.yml in the repository).")
    var config: String?

    @Option(help: "Output format: text or json.")
    var format: TextOrJSON = .text

    func run() throws {
        let explanations = try PathExplanation.explain(paths: paths, configPath: config, repository: repo)
        switch format {
        case .text: Terminal.write(explanations.map(\.text).joined(separator: "\n"))
        case .json: Terminal.write(JSONValue.array(explanations.map(\.json)).serialized() + "\n")
        }
    }
}

enum TextOrJSON: String, ExpressibleByArgument {
    case text, json
}
