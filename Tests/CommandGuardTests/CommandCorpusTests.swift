import BlastwallCore
import Foundation
import Testing

@testable import CommandGuard

/// The labelled corpus (`Corpus/commands.txt`): every command classifies as labelled, in the labelled
/// environment; recall on destructive commands and the false-block rate on safe ones are reported per family.
@Suite struct CommandCorpusTests {
    struct Entry {
        var expected: OperationClass
        var environment: String?
        var family: String
        var command: String
        var line: Int
    }

    static let placeholders: [String: [String: String]] = [
        "prod": [
            "ctx": "prod-eu", "profile": "prod", "dbhost": "db1.prod.internal", "ws": "prod", "project": "acme-prod",
            "host": "web1.prod.internal", "sub": "prod-sub", "tfvars": "envs/prod.tfvars",
        ],
        "staging": [
            "ctx": "staging-eu", "profile": "staging", "dbhost": "db1.staging.internal", "ws": "staging", "project": "acme-staging",
            "host": "web1.staging.internal", "sub": "staging-sub", "tfvars": "envs/staging.tfvars",
        ],
        // Dev's values match no pattern but kind-*: the agent's default environment, dev, applies.
        "dev": [
            "ctx": "kind-local", "profile": "devbox", "dbhost": "localhost", "ws": "dev", "project": "acme-dev",
            "host": "devbox.local", "sub": "dev-sub", "tfvars": "envs/dev.tfvars",
        ],
    ]

    static func entries() throws -> [Entry] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus/commands.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        var entries: [Entry] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.hasPrefix("#"), !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let fields = line.split(separator: "|", maxSplits: 3).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 4, let expected = OperationClass(rawValue: fields[0]) else {
                Issue.record("commands.txt:\(index + 1): expected 'class | environment | family | command'")
                continue
            }
            let command = fields[3].replacingOccurrences(of: "\\n", with: "\n")
            if fields[1] == "*" {
                for (environment, values) in placeholders.sorted(by: { $0.key < $1.key }) {
                    var expanded = command
                    for (name, value) in values { expanded = expanded.replacingOccurrences(of: "{\(name)}", with: value) }
                    entries.append(
                        Entry(expected: expected, environment: environment, family: fields[2], command: expanded, line: index + 1))
                }
            } else {
                entries.append(
                    Entry(
                        expected: expected, environment: fields[1] == "-" ? nil : fields[1], family: fields[2], command: command,
                        line: index + 1))
            }
        }
        return entries
    }

    @Test func everyCommandClassifiesAsLabelled() throws {
        let entries = try Self.entries()
        #expect(entries.count >= 500, "the corpus holds \(entries.count) commands")
        var failures: [String] = []
        for entry in entries {
            let result = GuardFixture.classify(entry.command)
            let got = result.operation
            if got != entry.expected {
                failures.append(
                    "commands.txt:\(entry.line): \(entry.command.debugDescription) is \(got.rawValue), labelled \(entry.expected.rawValue): \(result.explanation)"
                )
            }
            if let environment = entry.environment {
                let worst = result.commands.filter { $0.operation == got }
                let environments = Set(worst.map(\.environment.name))
                if !environments.contains(environment) {
                    failures.append(
                        "commands.txt:\(entry.line): \(entry.command.debugDescription) acts in \(environments.sorted()), labelled \(environment)"
                    )
                }
            }
        }
        for failure in failures { Issue.record(Comment(rawValue: failure)) }
    }

    /// Recall on destructive commands and the false-block rate on safe ones, per family: a block is anything
    /// the guard would not let through as it is (destructive, or not understood).
    @Test func recallAndFalseBlocksPerFamily() throws {
        var table: [String: (destructive: Int, caught: Int, safe: Int, blocked: Int)] = [:]
        for entry in try Self.entries() {
            let result = GuardFixture.classify(entry.command)
            let blocks = result.operation == .destructive || result.isOpaque
            var row = table[entry.family] ?? (0, 0, 0, 0)
            if entry.expected == .destructive {
                row.destructive += 1
                if blocks { row.caught += 1 }
            } else {
                row.safe += 1
                if blocks { row.blocked += 1 }
            }
            table[entry.family] = row
        }
        var lines = ["family        destructive  recall   safe  false blocks"]
        var total = (destructive: 0, caught: 0, safe: 0, blocked: 0)
        for (family, row) in table.sorted(by: { $0.key < $1.key }) {
            lines.append(Self.row(family, row))
            total = (total.destructive + row.destructive, total.caught + row.caught, total.safe + row.safe, total.blocked + row.blocked)
        }
        lines.append(Self.row("all", total))
        print(lines.joined(separator: "\n"))
        #expect(total.caught == total.destructive, "every destructive command is caught")
        #expect(Double(total.blocked) <= Double(total.safe) * 0.02, "at most 2% of safe commands are blocked")
    }

    static func row(_ family: String, _ row: (destructive: Int, caught: Int, safe: Int, blocked: Int)) -> String {
        let recall = row.destructive == 0 ? "-" : String(format: "%.1f%%", 100 * Double(row.caught) / Double(row.destructive))
        let falseBlocks = row.safe == 0 ? "-" : String(format: "%.1f%%", 100 * Double(row.blocked) / Double(row.safe))
        return family.padding(toLength: 14, withPad: " ", startingAt: 0) + String(row.destructive).leftPadded(11) + recall.leftPadded(9)
            + String(row.safe).leftPadded(7) + falseBlocks.leftPadded(14)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
