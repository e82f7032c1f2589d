import ArgumentParser
import BlastwallApp
import BlastwallCore

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Evaluate and test policy conditions.",
        subcommands: [PolicyEvalCommand.self, PolicyTestCommand.self])
}

struct PolicyEvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate one CEL expression and print its value as JSON.",
        discussion: """
            Without --input the expression is type-checked and evaluated against the analysis of the current \
            change (the variables change, blast, risk and now). With --input FILE, a JSON object's keys become the variables.
            """)

    @Argument(help: "The CEL expression, e.g. 'change.provenance.kind'.")
    var expression: String

    @Option(help: ArgumentHelp("A JSON object whose keys become variables.", valueName: "file"))
    var input: String?

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var range: RangeOptions

    func run() async throws {
        let options = GateCheck.Options(
            repository: repository.repo, base: range.base, head: range.head, configPath: repository.config, now: range.now)
        let value = try await PolicyCommands.evaluate(expression, inputPath: input, check: options)
        Terminal.write(value.serialized() + "\n")
    }
}

struct PolicyTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the policy's test cases (default: blastwall.tests.yml beside the configuration).")

    @Argument(help: "The test file.")
    var file: String?

    @OptionGroup var repository: RepositoryOptions

    @Option(help: ArgumentHelp("The time for cases that set none (RFC 3339).", valueName: "time"))
    var now: String?

    @Flag(name: .shortAndLong, help: "Print passing cases too.")
    var verbose = false

    func run() throws {
        let results = try PolicyCommands.runTests(testPath: file, configPath: repository.config, repository: repository.repo, now: now)
        var out = ""
        for result in results {
            if result.passed {
                if verbose { out += "PASS: \(result.name)\n" }
            } else {
                out += "FAIL: \(result.name) (\(result.location))\n"
                for failure in result.failures { out += "  \(failure)\n" }
            }
        }
        let failed = results.filter { !$0.passed }.count
        out += "policy tests: \(results.count - failed) passed, \(failed) failed\n"
        Terminal.write(out)
        if failed > 0 { throw ExitCode(1) }
    }
}
