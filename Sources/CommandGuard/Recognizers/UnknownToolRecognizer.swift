import BlastwallCore

/// A program no recogniser knows: a destructive verb among its first words makes it destructive-unknown
/// (escalated); otherwise it is taken to write, as the guard cannot know it only reads.
struct UnknownToolRecognizer: CommandRecognizer {
    let programs: [String] = []

    static let destructiveVerbs = [
        "delete", "del", "destroy", "drop", "purge", "prune", "remove", "rm", "terminate", "wipe", "revoke", "uninstall", "reset", "erase",
        "nuke", "shred", "truncate", "flush", "kill", "teardown", "decommission", "rollback-all", "force-delete", "clean-all",
    ]

    func recognize(_ invocation: Invocation, in context: CommandContext) -> Recognition {
        var recognition = Recognition(tool: invocation.program)
        let words = invocation.operands.prefix(4)
        if let verb = words.first(where: { word in
            // `delete`, `delete-cluster`, `firestore:delete`, `db_drop`.
            let parts = word.lowercased().split { $0 == "-" || $0 == "_" || $0 == ":" || $0 == "." }.map(String.init)
            return parts.contains { Self.destructiveVerbs.contains($0) }
        }) {
            recognition.verb = verb
            recognition.findings.append(
                Finding(
                    .destructive, "\(invocation.program) \(verb)", "an unknown tool with the destructive verb '\(verb)'", isOpaque: true))
        } else if invocation.has("--version", "--help", "-h", "version", "help") || words.first == "version" || words.first == "help" {
            recognition.add(.read, invocation.text, "asks for help or the version")
        } else {
            recognition.verb = words.first ?? ""
            recognition.add(.write, invocation.program, "\(invocation.program) is not a tool the guard knows; taken to write")
        }
        return recognition
    }
}
