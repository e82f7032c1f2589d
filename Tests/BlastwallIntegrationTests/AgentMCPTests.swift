import BlastwallApp
import BlastwallCore
import BlastwallTestSupport
import Foundation
import Testing

/// `blastwall mcp` driven by the real Python MCP client (PyPI `mcp`), with a real server behind it.
@Suite(.enabled(if: BackgroundProcess.shouldTest("sqlite3"), "needs sqlite3, which is not installed (.ci/run installs it)"), .serialized)
struct AgentMCPTests {
    static let python = PythonRequirement(module: "mcp", package: "mcp==2.3.0")

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
        guard await Self.python.check() else { return }
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
                ["tool": "request_approval", "arguments": ["command": "git status"]],
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
        let needless = result.results[6]
        #expect(!needless.error && needless.text.hasPrefix("this command needs no approval (allow)"), "\(needless.text)")

        // Granted by two humans, the exact command runs once through run_command.
        try await setup.grant(1)
        let granted = try await Self.call(
            [["tool": "run_command", "arguments": ["command": drop]], ["tool": "run_command", "arguments": ["command": drop]]],
            arguments: arguments, in: setup.repo.path)
        #expect(!granted.results[0].error, "\(granted.results[0].text)")
        #expect(granted.results[1].error && granted.results[1].text.contains("Operation request #2"), "\(granted.results[1].text)")
    }
}

/// The JSON-RPC layer of `blastwall mcp` on its own: what it answers to what a client may send.
@Suite struct MCPStdioTests {
    let server = MCPStdio(
        name: "blastwall", version: "0.1.0",
        tools: [MCPStdio.Tool(name: "echo", description: "Echo", inputSchema: .object([("type", .string("object"))]))]
    ) { _, arguments in MCPStdio.Reply(arguments["text"]?.stringValue ?? "", isError: arguments["text"] == nil) }

    func answer(_ line: String) async -> JSONValue? { await server.respond(to: line) }

    @Test func initializeNegotiatesTheVersionAndListsTools() async throws {
        let known = try #require(await answer(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18"}}"#))
        #expect(known["result"]?["protocolVersion"] == .string("2025-06-18"))
        #expect(known["result"]?["serverInfo"]?["name"] == .string("blastwall"))
        let unknown = try #require(
            await answer(#"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"1999-01-01"}}"#))
        #expect(unknown["result"]?["protocolVersion"] == .string("2025-11-25"))
        let tools = try #require(await answer(#"{"jsonrpc":"2.0","id":"t","method":"tools/list"}"#))
        #expect(tools["id"] == .string("t") && tools["result"]?["tools"]?.arrayValue?.count == 1)
    }

    @Test func callsAndMistakes() async throws {
        let called = try #require(
            await answer(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}"#))
        #expect(called["result"]?["content"]?.arrayValue?.first?["text"] == .string("hi"))
        #expect(called["result"]?["isError"] == .bool(false))
        #expect(await answer(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#) == nil, "notifications get no answer")
        #expect(await answer("{not json")?["error"]?["code"] == .int(-32700))
        #expect(await answer(#"{"id":4,"method":"ping"}"#)?["error"]?["code"] == .int(-32600), "no jsonrpc 2.0")
        #expect(await answer(#"{"jsonrpc":"2.0","id":5,"method":"resources/list"}"#)?["error"]?["code"] == .int(-32601))
        #expect(
            await answer(#"{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"nope"}}"#)?["error"]?["code"] == .int(-32602))
        #expect(await answer(#"{"jsonrpc":"2.0","id":7,"method":"ping"}"#)?["result"] == .object([]))
    }
}
