import BlastwallTestSupport
import Foundation
import Testing
import Yams

/// The workflow of `docs/github-actions.md`, copied as is, passes in a repository that has only run
/// `blastwall init`: each `run:` step in order, as the runner runs it (`bash -e`), with the release files of
/// `scripts/release.sh` where the workflow downloads them from. Steps that `use:` an action are GitHub's.
@Suite struct GitHubWorkflowTests {
    @Test func theDocumentedWorkflowPassesAfterInit() async throws {
        guard let binary = ReleaseBuild.binary else { return }
        let document = try String(contentsOf: DocumentationTests.root.appendingPathComponent("docs/github-actions.md"), encoding: .utf8)
        let start = try #require(document.range(of: "```yaml\n# .github/workflows/blastwall.yml\n"), "the workflow block")
        let end = try #require(document.range(of: "\n```", range: start.upperBound..<document.endIndex))
        let workflow = try #require(try Yams.load(yaml: String(document[start.upperBound..<end.lowerBound])) as? [String: Any])
        let steps = try #require(((workflow["jobs"] as? [String: Any])?["gate"] as? [String: Any])?["steps"] as? [[String: Any]])
        var variables = try #require(workflow["env"] as? [String: String])
        let release = URL(fileURLWithPath: binary)
        #expect(
            release.lastPathComponent == "blastwall-\(variables["BLASTWALL_VERSION"] ?? "")-linux-x86_64",
            "the workflow installs the version that scripts/release.sh builds")
        variables["BLASTWALL_RELEASES"] = "file://" + release.deletingLastPathComponent().path

        // A repository with a little history, after `blastwall init`, and a pull request's change.
        let repo = try await TemporaryRepository()
        try repo.write([
            ".github/CODEOWNERS": "* @acme/core\n/web/ @acme/web\n", "web/index.html": "<p>hi</p>\n", "api/main.go": "package main\n",
        ])
        let initialized = try await repo.run(["init"])
        try #require(initialized.status == 0, "\(initialized.stderr)")
        try await repo.commit("Adopt Blastwall")
        try await repo.git.execute(["update-ref", "refs/remotes/origin/main", "HEAD"])
        try await repo.git.execute(["checkout", "--quiet", "-b", "feature"])
        try repo.write(["web/index.html": "<p>hello</p>\n"])
        try await repo.commit("Say hello")

        let runner = try TemporaryFolder("runner")
        let githubPath = runner.path + "/github_path"
        let summary = runner.path + "/step_summary"
        try "".write(toFile: githubPath, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BLASTWALL_") }
        // The runner has no blastwall of its own: only what the install step adds to GITHUB_PATH.
        let builds = URL(fileURLWithPath: BlastwallBinary.path).deletingLastPathComponent().path
        let systemPath = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").filter { $0 != builds }.joined(separator: ":")
        environment.merge(variables) { $1 }
        environment.merge(["RUNNER_TEMP": runner.path, "GITHUB_PATH": githubPath, "GITHUB_STEP_SUMMARY": summary, "NO_COLOR": "1"]) { $1 }
        for step in steps {
            guard let script = step["run"] as? String else { continue }
            let added = try String(contentsOfFile: githubPath, encoding: .utf8).split(separator: "\n").joined(separator: ":")
            environment["PATH"] = added.isEmpty ? systemPath : added + ":" + systemPath
            let expanded = script.replacingOccurrences(of: "${{ github.base_ref }}", with: "main")
            let ran = try await ProcessRunner.run("/bin/bash", ["-e", "-c", expanded], in: repo.path, environment: environment)
            #expect(ran.status == 0, "step '\(step["name"] ?? "")' failed:\n\(ran.stdout)\n\(ran.stderr)")
            guard ran.status == 0 else { return }
        }
        #expect(try String(contentsOfFile: summary, encoding: .utf8).contains("Blastwall"), "the job summary has the report")
        let sarif = try String(contentsOfFile: repo.path + "/blastwall.sarif", encoding: .utf8)
        #expect(sarif.contains("\"locations\""), "SARIF for code scanning")
    }
}
