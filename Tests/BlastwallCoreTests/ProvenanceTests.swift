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
            (commit(author: "copilot-swe-agent[bot]", "Implement feature"), .aiAuthored, ["copilot"], []),
            (commit(author: "Copilot", email: "198982749+Copilot@users.noreply.github.com", "Initial plan"), .aiAuthored, ["copilot"], []),
            (commit(author: "Copilot", email: "copilot@example.com", "A person's alias is not the agent"), .human, [], []),
            (commit(author: "dependabot[bot]", "Bump x"), .bot, ["dependabot"], []),
            (commit(author: "some-app[bot]", "Sync"), .bot, ["some-app"], []),
            (commit("Fix\n\nCo-authored-by: aider (gpt-4o) <aider@aider.chat>"), .aiAssisted, ["aider"], ["gpt-4o"]),
            (
                commit("Fix\n\nCo-authored-by: Copilot Autofix powered by AI <62310815+x[bot]@users.noreply.github.com>"), .aiAssisted,
                ["copilot"], []
            ),
            (commit("Fix\r\n\r\nCo-authored-by: Claude <noreply@anthropic.com>\r\n"), .aiAssisted, ["claude"], []),
            (
                commit("Fix\n\n  Co-Authored-By: Claude <noreply@anthropic.com>\n\nCo-authored-by: Bo <bo@example.com>"), .aiAssisted,
                ["claude"], []
            ),
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

    @Test func aSignalInTheBodySaysWhereItIs() {
        let provenance = detector.provenance(
            of: commit(
                "Squash (#1)\n\n* Part one\n\n    Co-Authored-By: Claude <noreply@anthropic.com>\n\nCo-authored-by: Bo <bo@example.com>"))
        #expect(provenance.signals == ["Co-Authored-By: Claude <noreply@anthropic.com> (line 5, in the body)"])
        let automation = detector.provenance(
            of: commit(author: "renovate[bot]", email: "29139614+renovate[bot]@users.noreply.github.com", "Bump"))
        #expect(automation.signals == ["author renovate[bot] <29139614+renovate[bot]@users.noreply.github.com> is an automation account"])
    }

    @Test func automationRanksBetweenPeopleAndAI() {
        #expect(ProvenanceKind.human < .bot && ProvenanceKind.bot < .aiAssisted && ProvenanceKind.aiAssisted < .aiAuthored)
        #expect(Provenance.combining([Provenance(kind: .human), Provenance(kind: .bot)]).kind == .bot)
        #expect(Provenance.combining([Provenance(kind: .bot), Provenance(kind: .aiAssisted)]).kind == .aiAssisted)
        #expect(ProvenanceKind.spelledOut == "human, bot, ai-assisted or ai-authored")
    }

    /// Real-shaped messages (squash merges, the Copilot coding agent, aider, CRLF, automation): every case agrees.
    @Test func theCorpusOfRealShapedCommitsAgrees() throws {
        let cases = try ProvenanceCorpus.load()
        #expect(cases.count >= 30)
        let detector = ProvenanceDetector(settings: ProvenanceSettings())
        var agreeing = 0
        for corpusCase in cases {
            let found = detector.provenance(of: corpusCase.commit)
            let agrees = found.kind == corpusCase.kind && found.tools == corpusCase.tools && found.models == corpusCase.models
            if agrees { agreeing += 1 }
            #expect(
                agrees,
                "\(corpusCase.commit.message.prefix(60)): expected \(corpusCase.kind.rawValue) \(corpusCase.tools) \(corpusCase.models), got \(found.kind.rawValue) \(found.tools) \(found.models) from \(found.signals)"
            )
        }
        print("provenance corpus: \(agreeing) of \(cases.count) real-shaped commits agree")
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
        #expect(Trailers.parse("Subject\r\n\r\nKey: value\r\nOther: x\r\n").map(\.value) == ["value", "x"])
        let everywhere = Trailers.everywhere("Key: subject\n\n  Co-authored-by: A <a@x>\nprose\n\nSigned-off-by: B <b@x>\n")
        #expect(everywhere.map(\.key) == ["Co-authored-by", "Signed-off-by"])
        #expect(everywhere.map(\.line) == [3, 6])
        #expect(everywhere.map(\.inTrailerBlock) == [false, true])
    }
}
