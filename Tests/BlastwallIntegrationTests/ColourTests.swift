import BlastwallTestSupport
import Foundation
import Testing

/// Text output is coloured on a terminal, and never when NO_COLOR is set or output is not a terminal.
@Suite struct ColourTests {
    /// Runs the binary under a pseudo-terminal with util-linux `script`.
    func runOnTerminal(_ repo: TemporaryRepository, environment: [String: String]) async throws -> String {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        env["TERM"] = "xterm"
        for (key, value) in environment { env[key] = value }
        let command = "\(BlastwallBinary.path) check --now 2026-11-23T12:00:00Z"
        return try await ProcessRunner.run("/usr/bin/script", ["-q", "-e", "-c", command, "/dev/null"], in: repo.path, environment: env)
            .stdout
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func colourOnlyOnATerminalWithoutNoColor() async throws {
        let repo = try await TemporaryRepository()
        try repo.write([
            "blastwall.yml":
                "services:\n  web: { paths: [\"/web/\"], owners: [\"@w\"] }\nrules:\n  - name: r\n    when: \"true\"\n    require: { approvals: 1 }\n"
        ])
        try await repo.commit("Initial")
        try repo.write(["web/a.html": "x\n"])
        try await repo.commit("Change")

        let terminal = try await runOnTerminal(repo, environment: [:])
        #expect(terminal.contains("\u{1B}["), "colour on a terminal: \(terminal.prefix(200))")
        #expect(terminal.contains("REVIEW"))
        let noColor = try await runOnTerminal(repo, environment: ["NO_COLOR": "1"])
        #expect(noColor.contains("REVIEW") && !noColor.contains("\u{1B}["), "NO_COLOR wins even on a terminal")
        // An empty NO_COLOR does not count as set: here only the pipe turns colour off.
        let piped = try await BlastwallBinary.run(["check", "--now", "2026-11-23T12:00:00Z"], in: repo.path, environment: ["NO_COLOR": ""])
        #expect(piped.stdout.contains("REVIEW") && !piped.stdout.contains("\u{1B}["), "no colour through a pipe")
    }
}
