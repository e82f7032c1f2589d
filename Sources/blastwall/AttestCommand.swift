import ArgumentParser
import BlastwallApp
import BlastwallCore

struct AttestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attest", abstract: "Signed gate decisions (in-toto Statement v1 in a DSSE envelope).",
        subcommands: [AttestVerifyCommand.self])
}

struct AttestVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Verify a signed decision and print what it attests.",
        discussion: "Exit status: 0 valid, 2 invalid or unreadable.")

    @Argument(help: "The envelope (from check --attest or the API).") var envelope: String
    @Option(help: "The public (or private) key that signed it.") var key: String
    @Option(help: "Require the subject to be this commit.") var commit: String?
    @OptionGroup var output: FormatOption

    func run() throws {
        let verified = try Attestations.verify(envelopePath: envelope, keyPath: key, commit: commit)
        switch output.format {
        case .json: Terminal.write(verified.statement.serialized() + "\n")
        case .text: Terminal.write("valid: commit \(verified.commit ?? "?") was decided '\(verified.decision ?? "?")'\n")
        }
    }
}
