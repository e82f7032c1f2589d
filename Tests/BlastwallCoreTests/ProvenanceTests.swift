import Testing

@testable import BlastwallCore

@Suite struct ProvenanceTests {
    let detector = ProvenanceDetector(
        settings: ProvenanceSettings(
            trailers: ["x-agent": .aiAuthored],
            identities: [IdentityRule(pattern: WildcardPattern("*@agents.example.com"), kind: .aiAuthored, tool: "fleet")]))

    func commit(author: String = "Ann", email: String = "ann@example.com", committer: String? = nil, _ message: String) -> Commit {
        Commit(
            sha: "abc", author: Identity(name: author, email: email), committer: Identity(name: committer ?? author, email: email),
            message: message)
    }

    @Test func recognisesEveryBuiltInSignal() {
        let cases: [(Commit, ProvenanceKind, [String], [String])] = [
            (commit("Fix\n\nAssisted-by: claude-code:claude-opus-4 [bash] [edit]"), .aiAssisted, ["claude-code"], ["claude-opus-4"]),
            (commit("Fix\n\nGenerated-by: Devin"), .aiAuthored, ["devin"], []),
            (commit("Fix\n\nCo-authored-by: Claude <noreply@anthropic.com>"), .aiAssisted, ["claude"], []),
            (commit("Fix\n\nCo-authored-by: Claude Sonnet 4.5 <noreply@anthropic.com>"), .aiAssisted, ["claude"], ["Claude Sonnet 4.5"]),
            (commit("Fix\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>"), .aiAssisted, ["copilot"], []),
            (commit("Fix\n\nCo-authored-by: Codex <noreply@openai.com>"), .aiAssisted, ["codex"], []),
            (commit("Fix\n\nCo-authored-by: Cursor <cursoragent@cursor.com>"), .aiAssisted, ["cursor"], []),
            (commit(author: "copilot-swe-agent[bot]", "Implement feature"), .aiAuthored, ["copilot-swe-agent"], []),
            (commit(author: "dependabot[bot]", "Bump x"), .aiAuthored, ["dependabot"], []),
            (commit(author: "Ann (aider)", "Refactor"), .aiAuthored, ["aider"], []),
            (commit(committer: "Ann (aider)", "Refactor"), .aiAssisted, ["aider"], []),
            (commit("Fix\n\nAI-Assisted: true\nAI-Tool: Windsurf\nAI-Model: gpt-5"), .aiAssisted, ["windsurf"], ["gpt-5"]),
            (commit("Fix\n\nAI-Assisted: no"), .human, [], []),
            (commit("Fix\n\nX-Agent: nightly-fixer"), .aiAuthored, ["nightly-fixer"], []),
            (commit(email: "bot7@agents.example.com", "Fix"), .aiAuthored, ["fleet"], []),
            (commit("Fix\n\nSigned-off-by: Ann <ann@example.com>"), .human, [], []),
            (commit("Assisted-by: not a trailer because it is the subject"), .human, [], []),
        ]
        for (commit, kind, tools, models) in cases {
            let provenance = detector.provenance(of: commit)
            #expect(provenance.kind == kind, "\(commit.author.name): \(commit.message)")
            #expect(provenance.tools == tools, "\(commit.message)")
            #expect(provenance.models == models, "\(commit.message)")
        }
    }

    @Test func aChangeTakesItsMostMachineMadeCommit() {
        let combined = Provenance.combining([
            Provenance(kind: .human), Provenance(kind: .aiAssisted, tools: ["claude"]), Provenance(kind: .aiAuthored, tools: ["copilot"]),
        ])
        #expect(combined.kind == .aiAuthored)
        #expect(combined.tools == ["claude", "copilot"])
        #expect(Provenance.combining([]).kind == .human)
    }

    @Test func trailersFollowGitRules() {
        #expect(
            Trailers.parse("Subject\n\nBody text.\n\nKey: value\nOther-Key: x\n  continued\n").map(\.value) == ["value", "x continued"])
        #expect(Trailers.parse("Subject only: not a trailer").isEmpty)
        #expect(Trailers.parse("Subject\n\nA normal paragraph\nthat mentions Note: something\nand more\nand more\n").isEmpty)
    }
}
