import CEL
import Testing

@testable import BlastwallCore

@Suite struct AnalyzerTests {
    static let yaml = """
        services:
          ledger: { paths: ["/ledger/"], owners: ["@org/ledger"], tier: 1 }
          payments: { paths: ["/payments/"], owners: ["@org/payments"], tier: 1, depends_on: [ledger] }
          checkout: { paths: ["/checkout/"], tier: 2, depends_on: [payments] }
          web: { paths: ["/web/"], owners: ["@org/web"], tier: 3, depends_on: [checkout] }
        groups:
          senior: ["@dana"]
        rules:
          - name: owners
            when: size(change.services) > 0
            require: { approvals: 1, owners: all }
          - name: ai
            when: change.provenance.kind != "human"
            require: { approvals: 2, groups: { senior: 1 } }
          - name: tier1-canary
            when: blast.max_tier == 1
            require: { canary: true, max_initial_weight: 10 }
          - name: tier1-canary-strict
            when: blast.max_tier == 1 && risk.score >= 50
            require: { max_initial_weight: 5 }
          - name: no-drop-by-ai
            when: "'schema-migration' in change.classes && change.provenance.kind == 'ai-authored'"
            deny: rewrite it
          - name: broken
            when: "change.files.exists(f, f.path == 'trigger') && change.files[99].path == ''"
            warn: never
        freezes:
          - name: year-end
            from: 2026-12-20T00:00:00Z
            until: 2027-01-04T00:00:00Z
            when: blast.max_tier == 1
            reason: peak
            override: { approvals: 2 }
        """

    let analyzer: ChangeAnalyzer = {
        let (configuration, _) = try! ConfigurationLoader.load(yaml: yaml, file: "blastwall.yml")
        return ChangeAnalyzer(configuration: configuration)
    }()
    let november = Timestamp(rfc3339: "2026-11-23T12:00:00Z")!
    let december = Timestamp(rfc3339: "2026-12-24T12:00:00Z")!

    func commit(_ message: String, author: String = "Ann") -> Commit {
        Commit(sha: "1", author: Identity(name: author, email: "a@x"), committer: Identity(name: author, email: "a@x"), message: message)
    }

    @Test func unownedDocsChangeIsAllowed() {
        let report = analyzer.analyze(
            ChangeSet(files: [FileChange(path: "README.md", status: .modified, linesAdded: 1)], commits: [commit("Docs")]), now: november)
        #expect(report.decision == .allow)
        #expect(report.unownedFiles == ["README.md"])
        #expect(report.risk.factors.map(\.name) == ["unowned-files"])
    }

    @Test func humanChangeToTier3NeedsOwners() {
        let report = analyzer.analyze(
            ChangeSet(files: [FileChange(path: "web/index.html", status: .modified, linesAdded: 3)], commits: [commit("Copy")]),
            now: november)
        #expect(report.decision == .review)
        #expect(report.requirements == Requirements(approvals: 1, owners: .all))
        #expect(report.requiredOwners == ["web": ["@org/web"]])
        #expect(report.blastRadius.services == ["web"])
    }

    @Test func aiChangeToTier1MergesRequirementsAndReachesDependents() {
        let files = [
            FileChange(
                path: "ledger/migrations/002.sql", status: .added, linesAdded: 1,
                addedLines: [AddedLine(number: 1, text: "ALTER TABLE x ADD y int;")]),
            FileChange(path: "payments/api.swift", status: .modified, linesAdded: 2, linesRemoved: 1),
        ]
        let report = analyzer.analyze(
            ChangeSet(files: files, commits: [commit("Fix\n\nCo-authored-by: Claude <noreply@anthropic.com>")]), now: november)
        #expect(report.decision == .review)
        #expect(report.provenance.kind == .aiAssisted)
        #expect(report.classes == ["schema-migration"])
        #expect(
            report.files[0].findings == [
                Finding(className: "schema-migration", line: 1, pattern: ChangeClassDefinition.builtIns[0].addedLines[0].source)
            ])
        #expect(report.blastRadius.services == ["ledger", "payments", "checkout", "web"])
        #expect(report.blastRadius.dependents == ["checkout", "web"])
        #expect(report.blastRadius.maxTier == 1)
        #expect(report.requirements == Requirements(approvals: 2, owners: .all, groups: ["senior": 1], canary: true, maxInitialWeight: 5))
        #expect(report.requiredOwners == ["ledger": ["@org/ledger"], "payments": ["@org/payments"]])
        #expect(report.matchedRules.map(\.name) == ["owners", "ai", "tier1-canary", "tier1-canary-strict"])
        #expect(report.risk.score == report.risk.factors.reduce(0) { $0 + $1.points })
        #expect(report.risk.score <= 100)
    }

    @Test func aiAuthoredMigrationIsDenied() {
        let files = [FileChange(path: "ledger/migrations/003.sql", status: .added, linesAdded: 1)]
        let report = analyzer.analyze(ChangeSet(files: files, commits: [commit("Drop", author: "copilot-swe-agent[bot]")]), now: november)
        #expect(report.decision == .deny)
        #expect(report.reasons == ["rule 'no-drop-by-ai': rewrite it"])
    }

    @Test func freezesApplyOnlyInsideTheirWindowAndCondition() {
        let tier1 = ChangeSet(files: [FileChange(path: "payments/a.swift", status: .modified, linesAdded: 1)], commits: [commit("x")])
        let tier3 = ChangeSet(files: [FileChange(path: "web/a.html", status: .modified, linesAdded: 1)], commits: [commit("x")])
        #expect(analyzer.analyze(tier1, now: november).decision == .review)
        let frozen = analyzer.analyze(tier1, now: december)
        #expect(frozen.decision == .deny)
        #expect(frozen.activeFreezes.map(\.name) == ["year-end"])
        #expect(frozen.reasons.first?.contains("freeze 'year-end' is active until 2027-01-04T00:00:00Z") == true)
        #expect(analyzer.analyze(tier3, now: december).decision == .review)
    }

    @Test func aRenameTouchesBothServices() {
        let files = [FileChange(path: "web/moved.swift", oldPath: "payments/moved.swift", status: .renamed)]
        let report = analyzer.analyze(ChangeSet(files: files), now: november)
        #expect(Set(report.services.map(\.name)) == ["web", "payments"])
    }

    @Test func conditionsThatFailToEvaluateFailClosed() {
        let report = analyzer.analyze(ChangeSet(files: [FileChange(path: "trigger", status: .added, linesAdded: 1)]), now: november)
        #expect(report.decision == .deny)
        #expect(report.reasons.first?.contains("rule 'broken' could not be evaluated") == true)
    }

    @Test func serviceWithoutOwnersFallsBackToCodeowners() throws {
        var (configuration, _) = try ConfigurationLoader.load(yaml: Self.yaml, file: "blastwall.yml")
        configuration.codeowners = try Codeowners(text: "# owners\n/checkout/ @org/checkout\n", path: ".github/CODEOWNERS")
        let report = ChangeAnalyzer(configuration: configuration).analyze(
            ChangeSet(files: [FileChange(path: "checkout/cart.swift", status: .modified, linesAdded: 1)]), now: november)
        #expect(report.services.first?.owners == ["@org/checkout"])
        #expect(report.requiredOwners["checkout"] == ["@org/checkout"])
    }

    @Test func riskCeilingsAddUpToOneHundred() {
        #expect(RiskModel.ceilings.reduce(0) { $0 + $1.maximum } == 100)
        let blast = BlastRadius(touched: ["a", "b", "c", "d", "e", "f", "g"], tierOf: { _ in 1 }, graph: DependencyGraph(services: []))
        let score = RiskModel.score(
            RiskInputs(
                classes: [("secrets", 30), ("auth", 20)], provenance: .aiAuthored, blast: blast, linesChanged: 5000, fileCount: 300,
                unownedFileCount: 3))
        #expect(score.score == 100)
        #expect(score.level == .critical)
        #expect(score.factors.first { $0.name == "change-classes" }?.reason.contains("capped at 35") == true)
    }

    @Test func policyTestSuiteRunsCasesAgainstThePolicy() throws {
        let suite = try PolicyTestSuite(
            yaml: """
                tests:
                  - name: ai change to payments
                    change:
                      files: [payments/api.swift]
                      commits:
                        - author: "Ann <ann@x>"
                          message: "Fix\\n\\nCo-authored-by: Claude <noreply@anthropic.com>"
                    expect:
                      decision: review
                      provenance: ai-assisted
                      rules: [owners, ai, tier1-canary]
                  - name: wrong expectation
                    change: { files: [web/index.html] }
                    expect: { decision: allow }
                """, file: "blastwall.tests.yml")
        let results = suite.run(with: analyzer, defaultNow: november)
        #expect(results.map(\.passed) == [true, false])
        #expect(
            results[1].failures == [
                "decision: expected allow, got review (rule 'owners' requires 1 approval, an owner of every touched service)"
            ])
    }
}
