import ArgumentParser
import BlastwallApp
import BlastwallCore
import BlastwallReporting

extension ReportFormat: ExpressibleByArgument {}

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Analyse a change and decide what it needs before it may ship.",
        discussion: """
            Reads a git range (default: the merge-base with the default branch up to HEAD) or a unified diff, \
            and reports services touched, change classes, provenance, blast radius, risk, matched rules, \
            active freezes and the decision. Exit status: 0 allow/review, 1 deny, 2 error, 3 review with --fail-on review.
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var range: RangeOptions

    @Option(help: ArgumentHelp("Check a unified diff file instead of a git range ('-' reads standard input).", valueName: "file"))
    var diff: String?

    @Option(help: "Output format: text, json, markdown, sarif, github or junit.")
    var format: ReportFormat = .text

    @Option(help: ArgumentHelp("Also fail (exit 3) when the decision is 'review'.", valueName: "review"))
    var failOn: FailOn?

    enum FailOn: String, ExpressibleByArgument {
        case review
    }

    func validate() throws {
        if diff != nil && (range.base != nil || range.head != nil) {
            throw ValidationError("--diff replaces the git range; do not combine it with --base or --head")
        }
    }

    func run() async throws {
        let options = GateCheck.Options(
            repository: repository.repo, base: range.base, head: range.head, diffPath: diff, configPath: repository.config, now: range.now)
        let outcome = try await GateCheck(options).run()
        for note in outcome.notes { Terminal.printError("note: \(note)") }
        let useColor = format == .text && Terminal.standardOutputSupportsColor
        Terminal.write(ReportRenderer.render(outcome.report, as: format, useColor: useColor))
        switch outcome.report.decision {
        case .deny: throw ExitCode(1)
        case .review where failOn == .review: throw ExitCode(3)
        default: break
        }
    }
}
