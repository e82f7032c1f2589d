import ArgumentParser
import BlastwallApp
import BlastwallCore

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show the service, matching rule line, owners and classes of paths.")

    @Argument(help: "Repository-relative paths.")
    var paths: [String]

    @OptionGroup var repository: RepositoryOptions

    @Option(help: "Output format: text or json.")
    var format: TextOrJSON = .text

    func run() throws {
        let explanations = try PathExplanation.explain(paths: paths, configPath: repository.config, repository: repository.repo)
        switch format {
        case .text: Terminal.write(explanations.map(\.text).joined(separator: "\n"))
        case .json: Terminal.write(JSONValue.array(explanations.map(\.json)).serialized() + "\n")
        }
    }
}

enum TextOrJSON: String, ExpressibleByArgument {
    case text, json
}
