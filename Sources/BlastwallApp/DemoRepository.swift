import BlastwallCore
import BlastwallGit
import CEL
import Foundation

/// `blastwall demo`: builds a sample monorepo with two changes — a risky AI-assisted one and a small human one —
/// and checks both, so a fresh clone shows the gate doing its job.
public enum DemoRepository {
    /// How to run this binary again from the sample's folder: as typed when found on PATH (`blastwall`),
    /// else by its absolute path (`./blastwall` and `.build/debug/blastwall` are relative to here, not there).
    public static func invocation(_ argument0: String) -> String {
        guard argument0.contains("/") else { return argument0 }
        return URL(fileURLWithPath: argument0).standardizedFileURL.path
    }

    public struct Scenario: Sendable {
        public var title: String
        public var branch: String
        public var outcome: GateCheck.Outcome
    }

    /// The sample policy. Its year-end freeze is the next one that has not begun, so that a server started on
    /// the sample (on the real clock) never finds it in force.
    static func configuration(today: Timestamp) -> String {
        let text = today.rfc3339
        let year = Int(text.prefix(4)) ?? 2026
        let freezeYear = text.dropFirst(5).prefix(5) >= "12-20" ? year + 1 : year
        return configurationTemplate.replacing("FREEZE_FROM", with: "\(freezeYear)-12-20T00:00:00Z")
            .replacing("FREEZE_UNTIL", with: "\(freezeYear + 1)-01-04T00:00:00Z")
    }

    private static let configurationTemplate = """
        # A sample policy for a small payments company.
        version: 1
        services:
          ledger:
            paths: ["/services/ledger/"]
            owners: ["@acme/ledger"]
            tier: 1
          payments:
            paths: ["/services/payments/"]
            owners: ["@acme/payments"]
            tier: 1
            depends_on: [ledger]
          checkout:
            paths: ["/services/checkout/"]
            owners: ["@acme/checkout"]
            tier: 2
            depends_on: [payments]
          storefront:
            paths: ["/web/"]
            owners: ["@acme/web"]
            tier: 3
            depends_on: [checkout]
          docs:
            paths: ["/docs/", "*.md"]
            owners: ["@acme/docs"]
            tier: 3
        groups:
          senior: ["@dana", "@acme/staff-engineers"]
        rules:
          - name: owners-review
            when: size(change.services) > 0 && !change.files.all(f, f.service == "docs")
            require: { approvals: 1, owners: all }
          - name: ai-changes-need-two-humans
            when: change.provenance.kind != "human"
            require: { approvals: 2, owners: all }
          - name: tier-1-needs-senior-and-canary
            when: blast.max_tier == 1
            require: { groups: { senior: 1 }, canary: true, max_initial_weight: 5 }
          - name: no-ai-authored-destructive-migrations
            when: "'schema-migration' in change.classes && change.provenance.kind == 'ai-authored'"
            deny: "AI-authored destructive schema changes must be rewritten by a person"
          - name: destructive-migration-warning
            when: "change.files.exists(f, 'schema-migration' in f.classes && f.status != 'deleted')"
            warn: "schema migration: make sure it is backward compatible and can be rolled back"
        freezes:
          - name: year-end
            from: FREEZE_FROM
            until: FREEZE_UNTIL
            when: blast.max_tier == 1
            reason: year-end peak traffic
            override: { approvals: 2, groups: { senior: 1 } }

        """

    static let baseFiles: [String: String] = [
        "services/ledger/Sources/Ledger.swift": "struct Ledger {\n    var entries: [Entry] = []\n}\n",
        "services/ledger/migrations/001_create_entries.sql": "CREATE TABLE entries (id BIGINT PRIMARY KEY, amount BIGINT);\n",
        "services/payments/Sources/PaymentService.swift": "struct PaymentService {\n    func charge(cents: Int) {}\n}\n",
        "services/payments/Sources/SessionValidator.swift":
            "struct SessionValidator {\n    func validate(_ token: String) -> Bool { !token.isEmpty }\n}\n",
        "services/checkout/Sources/Cart.swift": "struct Cart {\n    var items: [String] = []\n}\n",
        "web/index.html": "<h1>Acme</h1>\n",
        "docs/getting-started.md": "# Getting started\n\nRun the sevice locally.\n",
        "README.md": "# Acme monorepo\n",
    ]

    /// Creates the repository under `directory` and checks both changes at `now`.
    public static func run(directory: String, now: String?) async throws(BlastwallError) -> [Scenario] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .file(path: directory, reason: "cannot be created: \(error.localizedDescription)")
        }
        let git = GitRepository(directory: directory)
        let policy = configuration(today: try Clock.now())
        let human = [
            "GIT_AUTHOR_NAME": "Dana Reyes", "GIT_AUTHOR_EMAIL": "dana@acme.example", "GIT_COMMITTER_NAME": "Dana Reyes",
            "GIT_COMMITTER_EMAIL": "dana@acme.example",
        ]
        let time = ["GIT_AUTHOR_DATE": "2026-11-20T10:00:00Z", "GIT_COMMITTER_DATE": "2026-11-20T10:00:00Z"]
        do {
            try await git.execute(["init", "--quiet", "--initial-branch=main"])
            try await git.execute(["config", "commit.gpgsign", "false"])
            try write(["blastwall.yml": policy].merging(baseFiles) { $1 }, in: directory)
            try await git.execute(["add", "-A"])
            try await git.execute(["commit", "--quiet", "-m", "Initial import"], environment: human.merging(time) { $1 })

            // A risky change: an AI agent drops a table and edits session validation in two tier-1 services.
            try await git.execute(["checkout", "--quiet", "-b", "agent/cleanup-ledger"])
            try write(
                [
                    "services/ledger/migrations/002_drop_legacy.sql": "DROP TABLE legacy_entries;\nALTER TABLE entries DROP COLUMN memo;\n",
                    "services/payments/Sources/SessionValidator.swift":
                        "struct SessionValidator {\n    func validate(_ token: String) -> Bool { true }\n}\n",
                ], in: directory)
            try await git.execute(["add", "-A"])
            try await git.execute(
                [
                    "commit", "--quiet", "-m",
                    "Clean up legacy ledger tables\n\nRemoves unused tables and simplifies session checks.\n\nCo-authored-by: Claude <noreply@anthropic.com>\nAssisted-by: claude-code:claude-opus-4-1",
                ],
                environment: [
                    "GIT_AUTHOR_NAME": "claude[bot]", "GIT_AUTHOR_EMAIL": "agent@acme.example",
                    "GIT_COMMITTER_NAME": "claude[bot]", "GIT_COMMITTER_EMAIL": "agent@acme.example",
                ].merging(time) { $1 })

            // A small human change: a typo fix in the docs.
            try await git.execute(["checkout", "--quiet", "main"])
            try await git.execute(["checkout", "--quiet", "-b", "dana/fix-typo"])
            try write(["docs/getting-started.md": "# Getting started\n\nRun the service locally.\n"], in: directory)
            try await git.execute(["commit", "--quiet", "-am", "Fix a typo in getting started"], environment: human.merging(time) { $1 })
        } catch {
            throw .from(error)
        }
        var scenarios: [Scenario] = []
        for (title, branch) in [
            ("An AI agent's change to two tier-1 services", "agent/cleanup-ledger"), ("A person's typo fix in the docs", "dana/fix-typo"),
        ] {
            let outcome = try await GateCheck(
                GateCheck.Options(repository: directory, base: "main", head: branch, now: now ?? "2026-11-23T12:00:00Z")
            ).run()
            scenarios.append(Scenario(title: title, branch: branch, outcome: outcome))
        }
        return scenarios
    }

    private static func write(_ files: [String: String], in directory: String) throws(BlastwallError) {
        for (path, contents) in files.sorted(by: { $0.key < $1.key }) {
            let full = FileSystem.join(directory, path)
            let parent = String(full[..<full.lastIndex(of: "/")!])
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw .file(path: parent, reason: "cannot be created: \(error.localizedDescription)")
            }
            try FileSystem.write(contents, to: full)
        }
    }
}
