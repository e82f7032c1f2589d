import BlastwallTestSupport
import Foundation
import Testing

/// `blastwall mcp` driven by the real Python MCP client (PyPI `mcp`), with a real server behind it.
@Suite(.serialized) struct AgentMCPTests {
    static let client = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/mcp_client.py").path

    struct Result {
        var tools: [String]
        var results: [(error: Bool, text: String)]
    }

    static func call(_ calls: [[String: Any]], arguments: [String], in directory: String) async throws -> Result {
        let input = try JSONSerialization.data(withJSONObject: calls)
        let output = try await ProcessRunner.run(
            "/usr/bin/env", ["python3", client, BlastwallBinary.path, "mcp"] + arguments + ["--cwd", directory], input: input)
        try #require(output.status == 0, "the MCP client failed: \(output.stderr.suffix(3000))")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let results = (json["results"] as? [[String: Any]] ?? []).map { ($0["error"] as? Bool ?? true, $0["text"] as? String ?? "") }
        return Result(tools: json["tools"] as? [String] ?? [], results: results)
    }

    @Test func theToolsCheckRunAndEscalateThroughTheServer() async throws {
        let setup = try await AgentGatewayTests.Setup()
        let created = try await ProcessRunner.run(
            "/usr/bin/env", ["sqlite3", setup.repo.path + "/prod.db", "CREATE TABLE orders (id INTEGER)"])
        try #require(created.status == 0, "\(created.stderr)")
        // MCP clients start servers with a scrubbed environment: the server and token are flags.
        let arguments = ["--agent", "coder", "--server", setup.server.url, "--token", setup.tokens["coder"]!]
        let drop = "sqlite3 prod.db 'DROP TABLE orders'"
        let result = try await Self.call(
            [
                ["tool": "check_command", "arguments": ["command": "git status"]],
                ["tool": "run_command", "arguments": ["command": "git rev-parse --is-inside-work-tree"]],
                ["tool": "run_command", "arguments": ["command": drop]],
                ["tool": "request_approval", "arguments": ["command": drop]],
                ["tool": "approval_status", "arguments": ["id": 1]],
                ["tool": "check_change", "arguments": ["base": "HEAD", "head": "HEAD"]],
            ], arguments: arguments, in: setup.repo.path)
        #expect(result.tools == ["approval_status", "check_change", "check_command", "request_approval", "run_command"])
        let (check, run, refused, request, status, change) = (
            result.results[0], result.results[1], result.results[2], result.results[3], result.results[4], result.results[5]
        )
        #expect(!check.error && check.text.contains(#""verdict": "allow""#), "\(check.text)")
        #expect(!run.error && run.text.contains("true"), "\(run.text)")
        #expect(refused.error && refused.text.contains("Operation request #1"), "\(refused.text)")
        #expect(!request.error && request.text.contains(#""verdict": "escalate""#), "\(request.text)")
        #expect(!status.error && status.text.contains(#""state": "pending""#), "\(status.text)")
        #expect(!change.error && change.text.contains(#""decision""#), "\(change.text.prefix(500))")

        // Granted by two humans, the exact command runs once through run_command.
        try await setup.grant(1)
        let granted = try await Self.call(
            [["tool": "run_command", "arguments": ["command": drop]], ["tool": "run_command", "arguments": ["command": drop]]],
            arguments: arguments, in: setup.repo.path)
        #expect(!granted.results[0].error, "\(granted.results[0].text)")
        #expect(granted.results[1].error && granted.results[1].text.contains("Operation request #2"), "\(granted.results[1].text)")
    }
}
