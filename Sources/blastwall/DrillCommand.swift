import ArgumentParser
import BlastwallApp
import BlastwallCore

struct DrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Rehearse a rollback: make the canary fail on purpose, roll it out, report time to detect and to recover.",
        discussion: "The canary must serve PUT /_blastwall/fault (blastwall demo-app does). Exit status: 0 rolled back by analysis, 1 not.")

    @Option(name: .shortAndLong, help: "The rollout file (YAML or JSON); its change is not needed.") var file: String
    @Option(help: "A fault for the canary: error-rate=R (0 to 1) or latency-ms=L; repeatable.") var inject: [String]
    @Option(help: "The canary's base URL, where the fault is injected.") var target: String
    @Option(help: "How long to wait before the drill is aborted, e.g. 10m or 90s.") var timeout = "10m"
    @OptionGroup var client: ClientOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let spec = try RolloutFiles.read(file)
        let injection = try Drill.Injection.parse(inject)
        let format = output.format
        let timeoutSeconds = try DurationOption.parse(timeout, "--timeout") / .seconds(1)
        let report = try await Drill.run(
            spec: spec, injection: injection, target: target, api: try client.client(), timeoutSeconds: timeoutSeconds,
            progress: { line in if format == .text { Terminal.printError(line) } })
        switch format {
        case .text: Terminal.write(report.text)
        case .json: Terminal.write(report.json.serialized() + "\n")
        }
        if !report.rolledBack { throw ExitCode(1) }
    }
}
