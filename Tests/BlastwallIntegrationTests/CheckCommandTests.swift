import BlastwallTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Drives `blastwall check` end to end: real git repositories, the real binary, real exit codes.
@Suite struct CheckCommandTests {
    static let configuration = """
        services:
          payments: { paths: ["/services/payments/"], owners: ["@org/payments"], tier: 1, depends_on: [ledger] }
          ledger: { paths: ["/services/ledger/"], owners: ["@org/ledger"], tier: 1 }
          web: { paths: ["/web/"], owners: ["@org/web"], tier: 3, depends_on: [payments] }
        rules:
          - name: owners
            when: size(change.services) > 0
            require: { approvals: 1, owners: all }
          - name: ai-needs-two
            when: change.provenance.kind != "human"
            require: { approvals: 2 }
          - name: no-secrets
            when: "'secrets' in change.classes"
            deny: remove the secret
        freezes:
          - name: year-end
            from: 2026-12-20T00:00:00Z
            until: 2027-01-04T00:00:00Z
            reason: peak traffic
        """

    func repository() async throws -> TemporaryRepository {
        let repo = try await TemporaryRepository()
        try repo.write([
            "blastwall.yml": Self.configuration,
            "services/payments/api.swift": "let a = 1\n",
            "services/ledger/book.swift": "let b = 2\n",
            "web/index.html": "<h1>hi</h1>\n",
            "old/notes.txt": "notes\n",
        ])
        try await repo.commit("Initial")
        try await repo.git.execute(["checkout", "--quiet", "-b", "feature"])
        return repo
    }

    /// The configuration loaded once is read from its snapshot the next time, with the same report and
    /// warnings; a damaged snapshot is loaded afresh, and an empty BLASTWALL_CACHE_DIR keeps none.
    @Test func anUnchangedConfigurationIsReadFromItsSnapshot() async throws {
        let repo = try await repository()
        // A service that a later one hides: a warning, which the snapshot must keep.
        try repo.write([
            "blastwall.yml": Self.configuration.replacingOccurrences(
                of: "services:\n", with: "services:\n  hidden: { paths: [\"/web/old/\"] }\n")
        ])
        try await repo.commit("Add a hidden service")
        try repo.write(["services/payments/api.swift": "let a = 2\n"])
        try await repo.commit("Change payments")
        let cache = repo.path + "-cache"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        // Judged by the policy committed at the base: the one with the hidden service.
        let arguments = ["check", "--base", "HEAD~1", "--format", "json", "--now", "2026-11-23T12:00:00Z"]
        func check(_ environment: [String: String] = ["BLASTWALL_CACHE_DIR": cache]) async throws -> ProcessOutput {
            try await repo.run(arguments, environment: environment)
        }
        func snapshots() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: cache + "/configurations")) ?? []).map {
                cache + "/configurations/" + $0
            }
        }
        let first = try await check()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("service 'hidden' owns no file"), "\(first.stdout)")
        let written = snapshots()
        #expect(written.count == 1, "\(written)")

        let cached = try await check()
        #expect(cached.stdout == first.stdout && cached.stderr == first.stderr && cached.status == first.status)

        for path in written { try Data("not a snapshot".utf8).write(to: URL(fileURLWithPath: path)) }
        let afterDamage = try await check()
        #expect(afterDamage.stdout == first.stdout && afterDamage.stderr == first.stderr)

        try FileManager.default.removeItem(atPath: cache)
        let uncached = try await check(["BLASTWALL_CACHE_DIR": ""])
        #expect(uncached.stdout == first.stdout && snapshots().isEmpty)

        // The default folder: under XDG_CACHE_HOME, except in CI, where a job starts without one.
        let xdg = repo.path + "-xdg"
        defer { try? FileManager.default.removeItem(atPath: xdg) }
        _ = try await check(["XDG_CACHE_HOME": xdg, "CI": "true"])
        #expect(!FileManager.default.fileExists(atPath: xdg + "/blastwall"), "no cache in CI")
        _ = try await check(["XDG_CACHE_HOME": xdg, "CI": "false"])
        let folder = try FileManager.default.attributesOfItem(atPath: xdg + "/blastwall/configurations")
        #expect((folder[.posixPermissions] as? Int) == 0o700, "the folder is the user's alone")
    }

    @Test func aiAssistedChangeWithRenameAndDeletionIsReviewedWithMergedRequirements() async throws {
        let repo = try await repository()
        try repo.write(["services/payments/api.swift": "let a = 1\nlet c = 3\n"])
        try await repo.git.execute(["mv", "old/notes.txt", "web/notes.txt"])
        try await repo.git.execute(["rm", "--quiet", "services/ledger/book.swift"])
        try await repo.commit("Change things\n\nCo-authored-by: Claude <noreply@anthropic.com>")

        let result = try await repo.run(["check", "--format", "json", "--now", "2026-11-23T12:00:00Z"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result.stdout)
        #expect(report["schema_version"] as? Int == 1)
        #expect(report["decision"] as? String == "review")
        let requirements = try #require(report["requirements"] as? [String: Any])
        #expect(requirements["approvals"] as? Int == 2)
        #expect(requirements["owners_mode"] as? String == "all")
        #expect((requirements["owners"] as? [String: [String]])?["ledger"] == ["@org/ledger"])
        let provenance = try #require(report["provenance"] as? [String: Any])
        #expect(provenance["kind"] as? String == "ai-assisted")
        #expect(provenance["tools"] as? [String] == ["claude"])
        let files = try #require(report["files"] as? [[String: Any]])
        let byPath = Dictionary(uniqueKeysWithValues: files.map { ($0["path"] as! String, $0) })
        #expect(byPath["web/notes.txt"]?["status"] as? String == "renamed")
        #expect(byPath["web/notes.txt"]?["old_path"] as? String == "old/notes.txt")
        #expect(byPath["services/ledger/book.swift"]?["status"] as? String == "deleted")
        #expect(byPath["services/payments/api.swift"]?["added"] as? Int == 1)
        let blast = try #require(report["blast_radius"] as? [String: Any])
        #expect(Set(blast["services"] as? [String] ?? []) == ["payments", "ledger", "web"])
        #expect(blast["max_tier"] as? Int == 1)
        #expect(Set(report["rules"] as? [String] ?? []) == ["owners", "ai-needs-two"])
        let risk = try #require(report["risk"] as? [String: Any])
        let factors = try #require(risk["factors"] as? [[String: Any]])
        #expect(risk["score"] as? Int == factors.reduce(0) { $0 + ($1["points"] as? Int ?? 0) })
    }

    @Test func exitCodesFollowTheDecision() async throws {
        let repo = try await repository()
        try repo.write(["services/payments/.env": "API_KEY=1\n"])
        try await repo.commit("Add env")
        let denied = try await repo.run(["check", "--now", "2026-11-23T12:00:00Z"])
        #expect(denied.status == 1)
        #expect(denied.stdout.contains("DENY"))
        #expect(denied.stdout.contains("remove the secret"))

        try await repo.git.execute(["checkout", "--quiet", "main"])
        try await repo.git.execute(["checkout", "--quiet", "-b", "docs"])
        try repo.write(["web/index.html": "<h1>hello</h1>\n"])
        try await repo.commit("Copy")
        #expect(try await repo.run(["check", "--now", "2026-11-23T12:00:00Z"]).status == 0)
        #expect(try await repo.run(["check", "--now", "2026-11-23T12:00:00Z", "--fail-on", "review"]).status == 3)
        let frozen = try await repo.run(["check", "--now", "2026-12-24T12:00:00Z"])
        #expect(frozen.status == 1)
        #expect(frozen.stdout.contains("freeze 'year-end' is active"))
        #expect(try await repo.run(["check", "--format", "yaml"]).status == 2)
        #expect(try await repo.run(["check", "--base", "no-such-branch"]).status == 2)
        let badConfig = try await repo.run(["check", "--config", "missing.yml"])
        #expect(badConfig.status == 2)
        #expect(badConfig.stderr.contains("missing.yml: no such file"))
    }

    /// A change cannot relax the policy it is judged by: the range is judged by `blastwall.yml` as committed at
    /// its base, and the note says so; `--config` names another file on purpose.
    @Test func aChangeIsJudgedByThePolicyOfItsBase() async throws {
        let repo = try await repository()
        try repo.write([
            "blastwall.yml": Self.configuration.replacingOccurrences(of: "deny: remove the secret", with: "warn: fine"),
            "services/payments/.env": "API_KEY=1\n",
        ])
        try await repo.commit("Relax the secrets rule and add a secret")
        let judged = try await repo.run(["check", "--now", "2026-11-23T12:00:00Z"])
        #expect(judged.status == 1 && judged.stdout.contains("remove the secret"), "\(judged.stdout)")
        #expect(judged.stderr.contains("this change edits blastwall.yml; it is judged by the policy as of the base"), "\(judged.stderr)")
        let chosen = try await repo.run(["check", "--now", "2026-11-23T12:00:00Z", "--config", "blastwall.yml"])
        #expect(chosen.status == 0, "with --config the working tree's file is read: \(chosen.stdout)")
        // A change that leaves the policy alone gets no note.
        try await repo.git.execute(["checkout", "--quiet", "main"])
        try await repo.git.execute(["checkout", "--quiet", "-b", "plain"])
        try repo.write(["web/index.html": "<h1>hello</h1>\n"])
        try await repo.commit("Copy")
        #expect(try await !repo.run(["check", "--now", "2026-11-23T12:00:00Z"]).stderr.contains("judged by the policy"))
    }

    @Test func everyFormatRenders() async throws {
        let repo = try await repository()
        try repo.write(["services/payments/migrations/001.sql": "DROP TABLE users;\n"])
        try await repo.commit("Migrate")
        let markdown = try await repo.run(["check", "--format", "markdown", "--now", "2026-11-23T12:00:00Z"])
        #expect(markdown.stdout.hasPrefix("## 🟡 Blastwall: review"))
        let github = try await repo.run(["check", "--format", "github", "--now", "2026-11-23T12:00:00Z"])
        #expect(github.stdout.contains("::warning file=services/payments/migrations/001.sql,line=1,title=Blastwall%3A schema-migration::"))
        let junit = try await repo.run(["check", "--format", "junit", "--now", "2026-11-23T12:00:00Z"])
        #expect(junit.stdout.contains("<testsuites name=\"blastwall\""))
        _ = try XMLDocument(xmlString: junit.stdout)
        let sarif = try json(try await repo.run(["check", "--format", "sarif", "--now", "2026-11-23T12:00:00Z"]).stdout)
        #expect(sarif["version"] as? String == "2.1.0")
        let text = try await repo.run(["check", "--now", "2026-11-23T12:00:00Z"])
        #expect(!text.stdout.contains("\u{1B}["), "no colour when not a terminal")
    }

    @Test func diffFileAndStandardInputWorkWithoutARepository() async throws {
        let repo = try await repository()
        try repo.write(["web/app.js": "console.log(1)\n"])
        try await repo.commit("JS")
        let diff = try await repo.git.execute(["diff", "main", "HEAD"])
        try repo.write(["change.diff": diff])
        let fromFile = try json(try await repo.run(["check", "--diff", "change.diff", "--format", "json"]).stdout)
        #expect((fromFile["services"] as? [[String: Any]])?.first?["name"] as? String == "web")
        let fromStdin = try json(try await repo.run(["check", "--diff", "-", "--format", "json"], stdin: diff).stdout)
        #expect(fromStdin["decision"] as? String == "review")
        let garbage = try await repo.run(["check", "--diff", "-"], stdin: "this is not a diff\n")
        #expect(garbage.status == 2)
        #expect(garbage.stderr.contains("contains no file changes"))
    }

    @Test func formatPatchSeriesCarriesProvenanceWithoutARepository() async throws {
        let repo = try await repository()
        try repo.write(["web/app.js": "console.log(1)\n"])
        try await repo.commit("Add app\n\nAssisted-by: claude-code:claude-sonnet-4-5")
        let series = try await repo.git.execute(["format-patch", "--stdout", "main..HEAD"])
        let report = try json(try await repo.run(["check", "--diff", "-", "--format", "json"], stdin: series).stdout)
        let provenance = try #require(report["provenance"] as? [String: Any])
        #expect(provenance["kind"] as? String == "ai-assisted")
        #expect(provenance["models"] as? [String] == ["claude-sonnet-4-5"])
        #expect((report["commits"] as? [[String: Any]])?.first?["subject"] as? String == "Add app")
    }

    @Test func aFormatPatchSeriesCountsAFileOnceHoweverManyPatchesTouchIt() async throws {
        let repo = try await repository()
        try repo.write(["web/app.js": "console.log(1)\n"])
        try await repo.commit("Add app")
        try repo.write(["web/app.js": "console.log(2)\nconsole.log(3)\n"])
        try await repo.commit("Change app")
        let series = try await repo.git.execute(["format-patch", "--stdout", "main..HEAD"])
        let report = try json(try await repo.run(["check", "--diff", "-", "--format", "json"], stdin: series).stdout)
        let files = try #require(report["files"] as? [[String: Any]])
        #expect(files.map { $0["path"] as? String } == ["web/app.js"])
        #expect(files.first?["status"] as? String == "added")
        #expect((report["commits"] as? [[String: Any]])?.count == 2)
    }

    @Test func nonUTF8AndBinaryPathsAreHandled() async throws {
        let repo = try await repository()
        try repo.writeFile(namedBytes: Array("web/caf".utf8) + [0xE9] + Array(".txt".utf8), contents: "latin-1 name\n")
        try repo.write(["web/logo.png": "\u{89}PNG\r\n\u{1A}\n\u{0}\u{0}binary"])
        try await repo.commit("Odd files")
        let result = try await repo.run(["check", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let paths = try #require((try json(result.stdout)["files"] as? [[String: Any]])?.compactMap { $0["path"] as? String })
        #expect(paths.contains("web/caf\\351.txt"))
        #expect(paths.contains("web/logo.png"))
    }

    @Test func defaultRangeOnTheDefaultBranchChecksTheLastCommit() async throws {
        let repo = try await repository()
        try await repo.git.execute(["checkout", "--quiet", "main"])
        try repo.write(["web/index.html": "<h1>main</h1>\n"])
        try await repo.commit("On main")
        let result = try await repo.run(["check", "--format", "json"])
        #expect(result.stderr.contains("checking its last commit"))
        #expect((try json(result.stdout)["files"] as? [[String: Any]])?.count == 1)
    }
}
