import ArgumentParser
import BlastwallApp
import BlastwallCore
import BlastwallReporting
import Foundation

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

    @Flag(help: "Send the analysis and decision to the control plane (with --server and --token); prints the change id.")
    var submit = false

    @Option(help: "The repository's name on the control plane (default: owner/name of origin, or the directory's name).")
    var repositoryName: String?

    @Option(help: "The branch the change is on (default: $GITHUB_HEAD_REF or the checked-out branch).")
    var branch: String?

    @Option(
        help: ArgumentHelp(
            "With --submit to a server that keeps no mirror of the repository: sign the report with this ci identity's Ed25519 key.",
            valueName: "key"))
    var sign: String?

    @Option(help: ArgumentHelp("Also sign the decision with this Ed25519 key as an in-toto statement (DSSE).", valueName: "key"))
    var attest: String?

    @Option(help: "Where --attest writes the envelope.")
    var attestationOut: String = "blastwall.intoto.json"

    @OptionGroup var client: ClientOptions

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
        if submit {
            let submitted = try await ChangeSubmission.submit(
                outcome.report, repository: repository.repo, name: repositoryName, branch: branch, signingKeyPath: sign,
                client: try client.client())
            if format == .json, case .object(var members) = JSONReport.render(outcome.report) {
                members.append(("change_id", .int(submitted.changeID)))
                Terminal.write(JSONValue.object(members).serialized() + "\n")
            } else {
                Terminal.write(ReportRenderer.render(outcome.report, as: format, useColor: useColor))
                let gate = submitted.view["gate"]?["summary"]?.stringValue ?? ""
                Terminal.printError("submitted as change \(submitted.changeID): \(gate)")
            }
        } else {
            Terminal.write(ReportRenderer.render(outcome.report, as: format, useColor: useColor))
        }
        if let attest {
            try Attestations.write(Attestations.envelope(report: JSONReport.render(outcome.report), keyPath: attest), to: attestationOut)
            Terminal.printError("wrote the signed decision to \(attestationOut)")
        }
        let status: Int32
        switch outcome.report.decision {
        case .deny: status = 1
        case .review where failOn == .review: status = 3
        default: status = 0
        }
        // Everything is written (standard output and error are unbuffered): the process ends here rather than
        // freeing the report of a large range, which takes a tenth of the time of checking it.
        Foundation.exit(status)
    }
}
