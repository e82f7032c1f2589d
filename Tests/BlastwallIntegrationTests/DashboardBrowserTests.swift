import BlastwallTestSupport
import Foundation
import Testing

/// The dashboard in a real browser: Debian's Chromium driven by Playwright (PyPI) against a real `blastwall
/// serve` with a real repository, as a reviewer, a release manager, an on-call engineer and a viewer use it
/// (Fixtures/dashboard_browser.py says each step). Every page is parsed by html5lib in strict mode, and a
/// console error fails the run. Screenshots go to BLASTWALL_SCREENSHOTS when set (docs/images is made so).
@Suite struct DashboardBrowserTests {
    static let playwright = PythonRequirement(module: "playwright", package: "playwright==1.65.2")
    static let html5lib = PythonRequirement(module: "html5lib", package: "html5lib==1.1")
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/dashboard_browser.py")
        .path
    static let chromium = "/usr/bin/chromium"

    static let configuration = """
        services:
          payments: { paths: ["/payments/"], owners: ["@acme/payments"], tier: 1 }
          checkout: { paths: ["/checkout/"], owners: ["@acme/checkout"], tier: 1 }
        rules:
          - name: owners
            when: size(change.services) > 0
            require: { approvals: 1, owners: all }
        """

    @Test func aReviewerAReleaseManagerAndOnCallUseItInChromium() async throws {
        guard await Self.playwright.check(), await Self.html5lib.check() else { return }
        guard FileManager.default.isExecutableFile(atPath: Self.chromium) else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("chromium is required: apt-get install chromium") }
            return
        }
        let repo = try await TemporaryRepository()
        try repo.write(["blastwall.yml": Self.configuration, "payments/api.swift": "a\n"])
        _ = try await repo.commit("Initial", author: "Sam", email: "sam@acme.example")
        try await repo.git.execute(["checkout", "--quiet", "-b", "feature"])
        try repo.write(["payments/api.swift": "a2\n"])
        _ = try await repo.commit(
            "Retry card charges\n\nCo-authored-by: Claude <noreply@anthropic.com>", author: "Sam", email: "sam@acme.example")

        let server = try await LiveServer(extraArguments: [
            "--config", repo.path + "/blastwall.yml", "--repository", "acme/shop=" + repo.path,
        ])
        defer { server.stop() }
        var tokens: [String: String] = [:]
        for (name, arguments) in [
            ("ci", ["--kind", "bot", "--role", "ci"]),
            ("dana", ["--kind", "human", "--role", "approver", "--group", "@acme/payments"]),
            ("sam", ["--kind", "human", "--role", "approver", "--group", "@acme/payments", "--email", "sam@acme.example"]),
            ("coder", ["--kind", "ai", "--role", "approver"]),
            ("engineer", ["--kind", "human", "--role", "engineer"]),
            ("viewer", ["--kind", "human", "--role", "viewer"]),
        ] {
            let created = try await server.cli(["identity", "create", name] + arguments, token: server.adminToken)
            try #require(created.status == 0, "\(created.stderr)")
            tokens[name] = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let submitted = try await BlastwallBinary.run(
            ["check", "--submit", "--repository-name", "acme/shop", "--base", "main", "--format", "json"], in: repo.path,
            environment: ["BLASTWALL_SERVER": server.url, "BLASTWALL_TOKEN": tokens["ci"]!, "NO_COLOR": "1"])
        let change = try #require(try json(submitted.stdout)["change_id"] as? Int, "\(submitted.stderr)")
        let created = try await server.cli(["switch", "create", "checkout-new-path"], token: server.adminToken)
        try #require(created.status == 0, "\(created.stderr)")

        let screenshots =
            ProcessInfo.processInfo.environment["BLASTWALL_SCREENSHOTS"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                "blastwall-shots-\(UUID().uuidString)"
            ).path
        try FileManager.default.createDirectory(atPath: screenshots, withIntermediateDirectories: true)
        let scenario: [String: Any] = [
            "url": server.url, "tokens": tokens, "change": change, "switch": "checkout-new-path", "screenshots": screenshots,
            "chromium": Self.chromium,
        ]
        let run = try await ProcessRunner.python([Self.script], input: try JSONSerialization.data(withJSONObject: scenario))
        #expect(run.status == 0, "the browser run failed:\n\(run.stdout.suffix(4000))\n\(run.stderr.suffix(4000))")
        let steps = run.stdout.split(separator: "\n").filter { $0.hasPrefix("ok: ") }.count
        print("dashboard in chromium: \(steps) checks passed")
    }
}
