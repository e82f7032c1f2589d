import BlastwallTestSupport
import Foundation
import Testing

/// schemathesis (PyPI) generates requests for every operation of the served OpenAPI document, valid and
/// invalid, and checks each response against it: status codes, content types, schemas, 405 for
/// undeclared methods, 401 without a token. A failure prints the schemathesis report with replayable cases.
@Suite struct APIFuzzTests {
    static let schemathesis = PythonRequirement(module: "schemathesis", package: "schemathesis==4.32.5")

    @Test func everyOperationConformsToTheOpenAPIDocument() async throws {
        guard await Self.schemathesis.check() else { return }
        // schemathesis sends wrong tokens on purpose, then valid requests from the same address: the throttle
        // (tested in HostileClientTests) would answer those 429.
        let server = try await LiveServer(extraArguments: ["--sign-in-failures-per-minute", "1000000"])
        defer { server.stop() }
        let configuration = SchemaValidator.repositoryRoot.appendingPathComponent("schemathesis.toml").path
        let run = try await ProcessRunner.python([
            "-c", "import sys; from schemathesis.cli import schemathesis; sys.argv[0] = 'schemathesis'; schemathesis()",
            "--config-file", configuration, "run", server.url + "/api/v1/openapi.json", "--url", server.url,
            "-H", "Authorization: Bearer \(server.adminToken)",
            // One worker: two threads trip a CPython 3.11 AST race inside Hypothesis ("recursion depth mismatch").
            "--max-examples", "30", "--workers", "1", "--seed", "20261123", "--no-color",
        ])
        let summary = run.stdout.split(separator: "\n").filter { $0.contains(" generated, ") }.joined()
        #expect(run.status == 0, "schemathesis found failures:\n\(run.stdout.suffix(6000))\n\(run.stderr.suffix(2000))")
        #expect(summary.contains("passed"), "no summary in schemathesis output:\n\(run.stdout.suffix(2000))")
        print("schemathesis: \(summary.trimmingCharacters(in: .whitespaces))")
    }
}
