import BlastwallCore
import CEL
import PropertyBased
import Testing

@testable import CommandGuard

/// Commands are open-ended input: classification always ends, never lets an unreadable line through, and
/// sees through any stack of wrappers.
@Suite struct CommandGuardPropertyTests {
    static let characters = Array(" \t\n;&|()<>$`'\"\\{}[]#*?!=~-_/.,:%0123456789abcdefgrmxyEOF")
    static let lines = Gen.int(in: 0...(characters.count - 1)).array(of: 0...160).map { String($0.map { characters[$0] }) }

    @Test func anyLineEndsAndAnUnreadableOneIsNeverAllowed() async {
        let agent = AgentActor(definition: GuardFixture.configuration.agentGateway.agents[0])
        let policy = AgentPolicy(configuration: GuardFixture.configuration)
        await propertyCheck(count: 3000, input: Self.lines) { line in
            let result = GuardFixture.classify(line)
            if result.commands.contains(where: { $0.tool == "shell" && $0.verb == "parse" }) {
                #expect(result.isOpaque)
                #expect(
                    policy.decide(result, for: agent, now: Timestamp(rfc3339: "2026-12-01T00:00:00Z")!).verdict != .allow,
                    "\(line.debugDescription)")
            }
        }
    }

    /// Any bytes at all, including invalid UTF-8 once decoded.
    @Test func anyBytesEnd() async {
        await propertyCheck(count: 2000, input: Gen.int(in: 0...255).array(of: 0...200)) { bytes in
            _ = GuardFixture.classify(String(decoding: bytes.map(UInt8.init), as: UTF8.self))
        }
    }

    /// Single commands of the corpus, without operators, so that a prefix wrapper wraps all of it.
    static let singleCommands: [String] = {
        let entries = (try? CommandCorpusTests.entries()) ?? []
        return entries.filter { entry in
            entry.environment == "dev" && !entry.command.contains { "|;&<>\n(){}`$".contains($0) }
                && !entry.command.hasPrefix("cd ") && !entry.command.hasPrefix("source ") && !entry.command.hasPrefix("ssh ")
                && !entry.command.hasPrefix("exec ")
        }.map(\.command)
    }()

    static func quoted(_ text: String) -> String { "'" + text.replacing("'", with: #"'\''"#) + "'" }

    /// Wrappers that make a simple command again, so that anything can wrap them in turn.
    static let prefixes: [@Sendable (String) -> String] = [
        { "sudo " + $0 }, { "sudo -u root " + $0 }, { "env " + $0 }, { "env -i PATH=/usr/bin " + $0 }, { "command " + $0 },
        { "nohup " + $0 }, { "nice -n 5 " + $0 }, { "timeout 10 " + $0 }, { "bash -c " + quoted($0) }, { "sh -c " + quoted($0) },
        { "zsh -c " + quoted($0) }, { "eval " + quoted($0) }, { "env -S " + quoted($0) }, { "stdbuf -oL " + $0 },
        { "/usr/bin/env " + $0 }, { "exec " + $0 }, { "time " + $0 },
    ]
    /// Wrappers that make a list or a compound command: only a shell reading the text can wrap them again.
    static let enclosures: [@Sendable (String) -> String] = [
        // Newlines, not `;`, end what they enclose: a here-document's delimiter must end its line.
        { "bash <<'EOF\($0.count)'\n" + $0 + "\nEOF\($0.count)\n" }, { "true && " + $0 }, { "(" + $0 + "\n)" },
        { "{ " + $0 + "\n}" }, { "if true; then " + $0 + "\nfi" }, { "echo start; " + $0 },
    ]

    static func wrap(_ command: String, in stack: [Int]) -> String {
        var text = command
        var isSimple = true
        for choice in stack {
            if choice < prefixes.count {
                text = isSimple ? prefixes[choice](text) : "bash -c " + quoted(text)
                isSimple = true
            } else {
                text = enclosures[choice - prefixes.count](text)
                isSimple = false
            }
        }
        return text
    }

    @Test func aCommandBehindAnyWrappersClassifiesAlike() async {
        let commands = Self.singleCommands
        #expect(commands.count > 150, "\(commands.count) commands to wrap")
        await propertyCheck(
            count: 1500, input: Gen.int(in: 0...(commands.count - 1)),
            Gen.int(in: 0...(Self.prefixes.count + Self.enclosures.count - 1)).array(of: 1...4)
        ) { index, stack in
            let command = commands[index]
            let plain = GuardFixture.classify(command)
            let wrapped = Self.wrap(command, in: stack)
            let result = GuardFixture.classify(wrapped)
            #expect(result.operation == plain.operation, "\(wrapped.debugDescription): \(result.explanation) vs \(plain.explanation)")
            #expect(result.isOpaque == plain.isOpaque, "\(wrapped.debugDescription)")
        }
    }
}
