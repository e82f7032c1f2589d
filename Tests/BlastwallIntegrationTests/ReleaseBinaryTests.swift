import BlastwallTestSupport
import Foundation
import Testing

/// The binary `scripts/release.sh` builds runs on a Debian machine without Swift: a minimal root made by
/// `debootstrap --variant=minbase`, entered with `chroot`. `.ci/run` builds the binary and the root and names
/// them in `BLASTWALL_RELEASE_BINARY` and `BLASTWALL_TEST_DEBIAN_ROOT`; elsewhere the test says how.
@Suite struct ReleaseBinaryTests {
    struct Setup {
        var binary: String
        var root: String
    }

    static var setup: Setup? {
        guard let binary = ReleaseBuild.binary,
            let root = ReleaseBuild.setting("BLASTWALL_TEST_DEBIAN_ROOT", "debootstrap --variant=minbase bookworm ROOT")
        else { return nil }
        return Setup(binary: binary, root: root)
    }

    /// Runs a shell command inside the Debian root, where the binary is `/usr/local/bin/blastwall`.
    static func inRoot(_ setup: Setup, _ command: String) async throws -> ProcessOutput {
        try await ProcessRunner.run(
            "/usr/sbin/chroot", [setup.root, "/bin/sh", "-c", command],
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/root", "NO_COLOR": "1"])
    }

    @Test func theReleaseBinaryRunsWhereThereIsNoSwift() async throws {
        guard let setup = Self.setup else { return }
        // Its checksum file is what a download is checked with.
        let directory = URL(fileURLWithPath: setup.binary).deletingLastPathComponent().path
        let name = URL(fileURLWithPath: setup.binary).lastPathComponent
        let checked = try await ProcessRunner.run("/usr/bin/sha256sum", ["-c", name + ".sha256"], in: directory)
        #expect(checked.status == 0 && checked.stdout.contains("\(name): OK"), "\(checked.stdout)\(checked.stderr)")

        try FileManager.default.createDirectory(atPath: setup.root + "/usr/local/bin", withIntermediateDirectories: true)
        let installed = setup.root + "/usr/local/bin/blastwall"
        try? FileManager.default.removeItem(atPath: installed)
        try FileManager.default.copyItem(atPath: setup.binary, toPath: installed)

        let noSwift = try await Self.inRoot(
            setup, "ls /usr/lib/swift /usr/lib/x86_64-linux-gnu/libswiftCore.so 2>&1; command -v swift || true")
        #expect(
            !noSwift.stdout.contains("libswiftCore.so\n") && !noSwift.stdout.contains("/swift\n"),
            "the root has no Swift: \(noSwift.stdout)")

        let version = try await Self.inRoot(setup, "blastwall --version")
        #expect(version.status == 0 && !version.stdout.isEmpty, "\(version.stderr)")

        // The gate offline: a diff against a policy, with its decision.
        let diff = """
            diff --git a/services/payments/pay.swift b/services/payments/pay.swift
            --- a/services/payments/pay.swift
            +++ b/services/payments/pay.swift
            @@ -1 +1 @@
            -let retries = 1
            +let retries = 3

            """
        let policy = """
            version: 1
            services:
              payments: {paths: ["/services/payments/"], owners: ["@acme/payments"], tier: 1}
            rules:
              - name: owners-review
                when: size(change.services) > 0
                require: {approvals: 1, owners: all}

            """
        let work = "/tmp/release-check"
        try FileManager.default.createDirectory(atPath: setup.root + work, withIntermediateDirectories: true)
        try diff.write(toFile: setup.root + work + "/change.diff", atomically: true, encoding: .utf8)
        try policy.write(toFile: setup.root + work + "/blastwall.yml", atomically: true, encoding: .utf8)
        let check = try await Self.inRoot(setup, "cd \(work) && blastwall config lint && blastwall check --diff change.diff --repo .")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("Blastwall: REVIEW") && check.stdout.contains("payments (tier 1"), "\(check.stdout)")

        // The control plane on its embedded SQLite, answering on loopback.
        let port = freeLoopbackPort()
        let serve = try await Self.inRoot(
            setup,
            """
            cd \(work) && rm -f cp.sqlite* && blastwall admin bootstrap --database cp.sqlite > token 2>/dev/null || exit 1
            blastwall serve --database cp.sqlite --listen 127.0.0.1:\(port) > serve.log 2>&1 &
            server=$!
            answered=1
            for i in $(seq 100); do
                if blastwall switch list --server http://127.0.0.1:\(port) --token "$(cat token)"; then answered=0; break; fi
                sleep 0.1
            done
            kill $server; wait $server
            [ $answered = 0 ] || cat serve.log >&2
            exit $answered
            """)
        #expect(serve.status == 0, "\(serve.stdout)\(serve.stderr)")
    }
}

/// What `.ci/run` builds before the tests: the release binary (`scripts/release.sh`) and a Debian root.
enum ReleaseBuild {
    /// A setting `.ci/run` makes; missing in CI is a failure, elsewhere a skip that says how to make it.
    static func setting(_ name: String, _ howToMake: String) -> String? {
        if let value = ProcessInfo.processInfo.environment[name], !value.isEmpty { return value }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            Issue.record("CI must set \(name) (.ci/run does: \(howToMake))")
        } else {
            print("skipped: \(howToMake), and set \(name) to run this test")
        }
        return nil
    }

    static var binary: String? { setting("BLASTWALL_RELEASE_BINARY", "scripts/release.sh prints the binary's path") }
}
