import ArgumentParser
import BlastwallApp

struct AnalysisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analysis", abstract: "Canary analysis, outside a rollout.", subcommands: [AnalysisReplayCommand.self])
}

struct AnalysisReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Feed recorded ticks through the controller's analysis and print the verdict, its tick and the evidence.",
        discussion: """
            Each input line is a JSON object of cumulative counts: t, canary_requests, canary_errors, baseline_requests, \
            baseline_errors, and optionally canary_latency_ms and baseline_latency_ms (latencies seen since the previous tick). \
            A first line {"analysis": {...}} sets the analysis, as --settings does.
            Exit status: 0 pass, 1 fail, 3 inconclusive, 2 bad input.
            """)

    @Option(help: "JSON Lines of ticks; - reads standard input.") var input: String
    @Option(help: "Analysis settings: a YAML or JSON file with the keys of a rollout's analysis block.") var settings: String?
    @Option(help: "Output format: text or json.") var format: TextOrJSON = .text

    func run() throws {
        let outcome = try AnalysisReplayFile.run(input: input, settingsPath: settings)
        switch format {
        case .text: Terminal.write(AnalysisReplayFile.text(outcome))
        case .json: Terminal.write(AnalysisReplayFile.json(outcome).serialized() + "\n")
        }
        switch outcome.verdict {
        case .pass: return
        case .fail: throw ExitCode(1)
        case .inconclusive: throw ExitCode(3)
        }
    }
}
