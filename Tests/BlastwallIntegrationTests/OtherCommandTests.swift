import BlastwallTestSupport
import Foundation
import Testing

@testable import BlastwallApp

/// `explain`, `policy eval`, `policy test`, `init`, `config lint` and `demo` through the real binary.
@Suite struct OtherCommandTests {
    func repository() async throws -> TemporaryRepository {
        let repo = try await TemporaryRepository()
        try repo.write([
            "blastwall.yml": """
            codeowners: .github/CODEOWNERS
            services:
              payments: { paths: ["/services/payments/"], owners: ["@org/payments"], tier: 1 }
              tools: { paths: ["/tools/"] }
            rules:
              - name: ai
                when: change.provenance.kind != "human"
                require: { approvals: 2 }
            """,
            ".github/CODEOWNERS": "* @org/everyone\n/tools/ @org/tooling\n",
            "services/payments/api.swift": "let a = 1\n",
        ])
        try await repo.commit("Initial")
        return repo
    }

    @Test func explainShowsServiceRuleLineOwnersAndClasses() async throws {
        let repo = try await repository()
        let result = try await repo.run(["explain", "services/payments/migrations/1.sql", "tools/x.py", "README.md", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(items[0]["service"] as? String == "payments")
        #expect(items[0]["line"] as? Int == 3)
        #expect(items[0]["owners"] as? [String] == ["@org/payments"])
        #expect(items[0]["classes"] as? [String] == ["schema-migration"])
        #expect(items[1]["service"] as? String == "tools")
        #expect(items[1]["owners"] as? [String] == ["@org/tooling"], "CODEOWNERS supplies owners a service lacks")
        #expect(items[2]["service"] is NSNull)
        #expect(items[2]["owners"] as? [String] == ["@org/everyone"])
        #expect(items[2]["file"] as? String == ".github/CODEOWNERS")
        let text = try await repo.run(["explain", "services/payments/api.swift"])
        #expect(text.stdout.contains("matched: '/services/payments/' at blastwall.yml:3:"))
    }

    @Test func policyEvalPrintsValuesAndErrors() async throws {
        let repo = try await repository()
        try repo.write(["input.json": #"{"change": {"classes": ["auth", "infra"], "lines_added": 12}}"#])
        let value = try await repo.run(["policy", "eval", "change.classes.filter(c, c.startsWith('a'))", "--input", "input.json"])
        #expect(value.stdout == "[\n  \"auth\"\n]\n")
        let arithmetic = try await repo.run(["policy", "eval", "change.lines_added * 2 > 20", "--input", "input.json"])
        #expect(arithmetic.stdout == "true\n")
        let evaluationError = try await repo.run(["policy", "eval", "1 / 0", "--input", "input.json"])
        #expect(evaluationError.status == 2)
        #expect(evaluationError.stderr.contains("division by zero"))
        let typo = try await repo.run(["policy", "eval", "change.provenance.knd"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("did you mean 'kind'?"))
        #expect(typo.stderr.contains("^"))

        try await repo.git.execute(["checkout", "--quiet", "-b", "x"])
        try repo.write(["services/payments/api.swift": "let a = 2\n"])
        try await repo.commit("AI\n\nCo-authored-by: Claude <noreply@anthropic.com>")
        let live = try await repo.run(["policy", "eval", "[change.provenance.kind, blast.max_tier]"])
        #expect(live.stdout == "[\n  \"ai-assisted\",\n  1\n]\n", "\(live.stderr)")
    }

    @Test func policyTestReportsPassesAndFailuresLikeOpaTest() async throws {
        let repo = try await repository()
        try repo.write([
            "blastwall.tests.yml": """
            tests:
              - name: ai change needs two approvals
                change:
                  files: [services/payments/api.swift]
                  commits: [{ message: "x\\n\\nGenerated-by: devin" }]
                expect: { decision: review, requirements: { approvals: 2 } }
              - name: human change is allowed
                change: { files: [services/payments/api.swift] }
                expect: { decision: allow }
            """
        ])
        let passing = try await repo.run(["policy", "test", "-v"])
        #expect(passing.status == 0, "\(passing.stdout)\(passing.stderr)")
        #expect(passing.stdout.contains("PASS: ai change needs two approvals"))
        #expect(passing.stdout.contains("2 passed, 0 failed"))
        try repo.write([
            "blastwall.tests.yml":
                "tests:\n  - name: wrong\n    change: { files: [services/payments/api.swift] }\n    expect: { decision: deny }\n"
        ])
        let failing = try await repo.run(["policy", "test"])
        #expect(failing.status == 1)
        #expect(failing.stdout.contains("FAIL: wrong (blastwall.tests.yml:2:5)"))
        #expect(failing.stdout.contains("decision: expected deny, got allow"))
    }

    @Test func initImportsCodeownersAndLintAcceptsTheResult() async throws {
        let repo = try await TemporaryRepository()
        try repo.write([
            ".github/CODEOWNERS":
                "* @org/core\n*.js @org/js\nMakefile @org/build\n/services/api/ @org/api\n/services/worker/ @org/worker @dana\n/services/api/generated/\n",
            "services/api/main.swift": "", "services/api/web.js": "", "services/api/generated/x.swift": "", "Makefile": "", "README.md": "",
        ])
        let written = try await repo.run(["init"])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.contains("imported 5 of 6 rules of .github/CODEOWNERS into 5 services"), "\(written.stdout)")
        #expect(written.stderr.contains("not imported as is: .github/CODEOWNERS:6: `/services/api/generated/` names no owners"))
        let text = try String(contentsOfFile: repo.path + "/blastwall.yml", encoding: .utf8)
        #expect(text.contains("codeowners: .github/CODEOWNERS"))
        #expect(
            text.contains("  worker-dana:\n    paths: [\"/services/worker/\"]\n    # owners: from CODEOWNERS (@org/worker @dana)"),
            "\(text)")
        let lint = try await repo.run(["config", "lint"])
        #expect(lint.status == 0, "\(lint.stderr)")
        #expect(lint.stdout.contains("ok (5 services, 5 rules, 0 freezes"), "\(lint.stdout)")
        // The starter tests pass as written, as the GitHub Actions workflow runs them.
        let tested = try await repo.run(["policy", "test"])
        #expect(tested.status == 0 && tested.stdout.contains("2 passed, 0 failed"), "\(tested.stdout)\(tested.stderr)")
        // Every file keeps its CODEOWNERS owners, and sits in a service.
        for (path, owner) in [
            ("services/api/main.swift", "@org/api"), ("services/api/web.js", "@org/api"), ("Makefile", "@org/build"),
            ("README.md", "@org/core"),
        ] {
            let explained = try await repo.run(["explain", path, "--format", "json"])
            #expect(explained.stdout.contains(owner) && !explained.stdout.contains("\"service\":null"), "\(path): \(explained.stdout)")
        }
        #expect(try await repo.run(["init"]).status == 2, "refuses to overwrite without --force")
        #expect(try await repo.run(["init", "--force"]).status == 0)
    }

    /// `blastwall … | head` closes the pipe before the command is done: it ends quietly, not with a trap.
    @Test func aClosedOutputPipeEndsTheCommandQuietly() async throws {
        let repo = try await TemporaryRepository()
        let script = """
            import os, subprocess, sys
            read, write = os.pipe()
            os.close(read)
            done = subprocess.run(sys.argv[1:], stdout=write, stderr=subprocess.PIPE)
            print(done.returncode)
            sys.stdout.write(done.stderr.decode())
            """
        let ran = try await ProcessRunner.python(["-c", script, BlastwallBinary.path, "init", "--repo", repo.path])
        #expect(ran.stdout == "0\n", "exit status and standard error: \(ran.stdout)")
    }

    @Test func configLintReportsErrorsWithPositions() async throws {
        let repo = try await TemporaryRepository()
        try repo.write(["blastwall.yml": "services:\n  api:\n    paths: [\"/api/\"]\n    tierr: 1\n"])
        let lint = try await repo.run(["config", "lint"])
        #expect(lint.status == 2)
        #expect(lint.stderr.contains("blastwall.yml:4:5: error: unknown key 'tierr' in service 'api'; did you mean 'tier'?"))
    }

    @Test func demoShowsTheGateDeciding() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("blastwall-demo-test-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try await BlastwallBinary.run(["demo", "--directory", directory], in: FileManager.default.temporaryDirectory.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Blastwall: DENY"))
        #expect(result.stdout.contains("Blastwall: ALLOW"))
        #expect(result.stdout.contains("provenance ai-authored"))
    }

    @Test func usageErrorsExitWithTwo() async throws {
        let result = try await BlastwallBinary.run(
            ["check", "--diff", "x", "--base", "main"], in: FileManager.default.temporaryDirectory.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--diff replaces the git range"))
        #expect(try await BlastwallBinary.run(["no-such-command"], in: "/").status == 2)
        #expect(try await BlastwallBinary.run(["--help"], in: "/").status == 0)
        let retention = try await BlastwallBinary.run(
            ["serve", "--tick-retention", "soon"], in: FileManager.default.temporaryDirectory.path)
        #expect(retention.status == 2 && retention.stderr.contains("--tick-retention must be a positive duration such as 10s, 5m or 1h30m"))
        let advertised = try await BlastwallBinary.run(
            ["serve", "--advertise-url", "http://" + String(repeating: "a", count: 60) + ":8080"],
            in: FileManager.default.temporaryDirectory.path)
        #expect(
            advertised.status == 2 && advertised.stderr.contains("--advertise-url must be an http:// or https:// URL of at most 63 bytes"))
        // Reaching the control plane: what to fix, not a client library's error.
        let schemeless = try await BlastwallBinary.run(["switch", "list", "--server", "127.0.0.1:7070", "--token", "t"], in: "/")
        #expect(schemeless.status == 2 && schemeless.stderr.contains("write http://127.0.0.1:7070"), "\(schemeless.stderr)")
        let empty = try await BlastwallBinary.run(["switch", "list", "--server", "http://127.0.0.1:7070", "--token", ""], in: "/")
        #expect(empty.status == 2 && empty.stderr.contains("the token is empty"), "\(empty.stderr)")
        // A refusal found while running shows the usage of the command that refused, not the root's.
        let noServer = try await BlastwallBinary.run(["freeze", "lift", "7"], in: "/", environment: ["BLASTWALL_SERVER": ""])
        #expect(noServer.status == 2 && noServer.stderr.contains("Usage: blastwall freeze lift"), "\(noServer.stderr)")
        #expect(noServer.stderr.contains("See 'blastwall freeze lift --help'") && !noServer.stderr.contains("<subcommand>"))
    }

    @Test func aRepositoryGivenByARelativePathIsReadFromWhereTheServerStarts() {
        let here = FileManager.default.currentDirectoryPath
        #expect(
            ServerSetup.repositorySource("./shop") == URL(fileURLWithPath: here).appendingPathComponent("shop").standardizedFileURL.path)
        for kept in ["https://git.example/acme/shop.git", "git@github.com:acme/shop.git", "/srv/git/shop", "file:///srv/git/shop"] {
            #expect(ServerSetup.repositorySource(kept) == kept)
        }
    }

    @Test func theDemoNamesACommandThatWorksFromItsFolder() {
        #expect(DemoRepository.invocation("blastwall") == "blastwall", "found on PATH: as typed")
        #expect(DemoRepository.invocation("/usr/local/bin/blastwall") == "/usr/local/bin/blastwall")
        #expect(DemoRepository.invocation(".build/debug/blastwall").hasPrefix("/"), "relative to here: made absolute")
    }
}
