import BlastwallTestSupport
import Foundation
import Testing

/// `blastwall agent hook`, `agent check`, `agent plan` and `exec --dry-run` through the real binary, offline.
@Suite struct AgentHookCLITests {
    static let configuration = """
        services:
          payments: { paths: ["/services/payments/"], owners: ["@pay-team"] }
        environments:
          prod: { kube_contexts: ["prod-*"] }
          staging: { kube_contexts: ["staging-*"] }
          dev: {}
        agents:
          coder:
            operator: "@dana"
            environments: { prod: [read], staging: [read, write], dev: all }
        agent_rules:
          - name: no-helm-in-staging
            when: command.tool == "helm" && command.environment == "staging"
            deny: "helm goes through the pipeline"
        """

    static func repository() async throws -> TemporaryRepository {
        let repo = try await TemporaryRepository()
        try repo.write(["blastwall.yml": configuration, "services/payments/main.swift": "a\n"])
        try await repo.commit("Initial")
        return repo
    }

    static func hook(_ input: String, format: String = "claude", agent: String = "coder", in repo: TemporaryRepository) async throws
        -> (status: Int32, json: [String: Any], text: String)
    {
        let result = try await BlastwallBinary.run(
            ["agent", "hook", "--agent", agent, "--format", format, "--offline"], in: repo.path, stdin: input)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1, "exactly one line of JSON: \(result.stdout)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return (result.status, json, result.stdout)
    }

    static func claude(_ command: String, cwd: String) -> String {
        let body: [String: Any] = [
            "session_id": "s-1", "cwd": cwd, "hook_event_name": "PreToolUse", "tool_name": "Bash",
            "tool_input": ["command": command, "description": "x"],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: body), as: UTF8.self)
    }

    /// The decision and reason of a Claude Code answer, which must hold nothing else.
    static func decision(_ json: [String: Any]) throws -> (String, String) {
        #expect(Array(json.keys) == ["hookSpecificOutput"])
        let output = try #require(json["hookSpecificOutput"] as? [String: Any])
        #expect(Set(output.keys) == ["hookEventName", "permissionDecision", "permissionDecisionReason"])
        #expect(output["hookEventName"] as? String == "PreToolUse")
        return (output["permissionDecision"] as? String ?? "", output["permissionDecisionReason"] as? String ?? "")
    }

    @Test func claudeCodeHookAnswersAllowDenyAndAsk() async throws {
        let repo = try await Self.repository()
        for (command, expected, reason) in [
            ("kubectl get pods --context prod-eu", "allow", "within agent coder's scope in prod"),
            ("kubectl apply -f d.yml --context prod-eu", "deny", "out of scope: agent coder may only read in prod"),
            ("kubectl delete ns payments --context prod-eu", "deny", "needs a control-plane server"),
            ("kubectl delete ns payments --context staging-1", "ask", "the operator must confirm"),
            (
                "helm upgrade web ./chart --kube-context staging-1", "deny",
                "agent rule 'no-helm-in-staging': helm goes through the pipeline"
            ),
            ("echo 'never closed", "ask", "could not be read"),
        ] {
            let answer = try await Self.hook(Self.claude(command, cwd: repo.path), in: repo)
            #expect(answer.status == 0)
            let (decision, why) = try Self.decision(answer.json)
            #expect(decision == expected, "\(command): \(why)")
            #expect(why.contains(reason), "\(command): \(why)")
        }
    }

    @Test func theAgentsFileToolsAreJudgedAndTheGuardsFilesNeverAllowedOutright() async throws {
        let repo = try await Self.repository()
        let write: (String) -> String = { path in
            #"{"session_id":"s","cwd":"\#(repo.path)","hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":"\#(path)","content":"x"}}"#
        }
        let ordinary = try Self.decision(try await Self.hook(write(repo.path + "/services/payments/new.swift"), in: repo).json)
        #expect(ordinary.0 == "allow", "\(ordinary.1)")
        let guardFile = try Self.decision(try await Self.hook(write(repo.path + "/blastwall.yml"), in: repo).json)
        #expect(guardFile.0 == "ask" && guardFile.1.contains("the guard's own configuration"), "\(guardFile.1)")
        let read = try Self.decision(
            try await Self.hook(#"{"cwd":"\#(repo.path)","tool_name":"Read","tool_input":{"file_path":"blastwall.yml"}}"#, in: repo).json)
        #expect(read.0 == "allow")
    }

    @Test func badInputAndMissingConfigurationDenyAndSaySo() async throws {
        let repo = try await Self.repository()
        let garbage = try Self.decision(try await Self.hook("not json", in: repo).json)
        #expect(garbage.0 == "deny" && garbage.1.contains("not JSON") && garbage.1.contains("fails closed"), "\(garbage.1)")
        let noTool = try Self.decision(try await Self.hook(#"{"cwd":"/"}"#, in: repo).json)
        #expect(noTool.0 == "deny" && noTool.1.contains("tool_name"), "\(noTool.1)")
        let unknown = try Self.decision(try await Self.hook(Self.claude("ls", cwd: repo.path), agent: "stranger", in: repo).json)
        #expect(unknown.0 == "deny" && unknown.1.contains("agent 'stranger' is not defined"), "\(unknown.1)")
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("no-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let missing = try Self.decision(try await Self.hook(Self.claude("ls", cwd: elsewhere), in: repo).json)
        #expect(missing.0 == "deny" && missing.1.contains("no configuration found"), "\(missing.1)")
    }

    @Test func cursorsShapeIsAnsweredInCursorsShape() async throws {
        let repo = try await Self.repository()
        let input =
            #"{"conversation_id":"c1","command":"kubectl delete ns payments --context prod-eu","cwd":"\#(repo.path)","hook_event_name":"beforeShellExecution"}"#
        let answer = try await Self.hook(input, format: "cursor", in: repo)
        #expect(Set(answer.json.keys) == ["permission", "user_message", "agent_message"])
        #expect(answer.json["permission"] as? String == "deny")
        #expect((answer.json["agent_message"] as? String)?.contains("delete of a namespace") == true)
    }

    @Test func checkPlanAndDryRun() async throws {
        let repo = try await Self.repository()
        let check = try await BlastwallBinary.run(
            ["agent", "check", "--agent", "coder", "--offline", "kubectl apply -f d.yml --context prod-eu"], in: repo.path)
        #expect(check.status == 1 && check.stdout.hasPrefix("deny: "), "\(check.stdout)")
        let dryRun = try await BlastwallBinary.run(
            ["exec", "--agent", "coder", "--offline", "--dry-run", "--format", "json", "--", "git", "push", "--force", "origin", "main"],
            in: repo.path)
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(dryRun.stdout.utf8)) as? [String: Any])
        let classification = try #require(json["classification"] as? [String: Any])
        #expect(classification["operation"] as? String == "destructive")
        let refused = try await BlastwallBinary.run(
            ["exec", "--agent", "coder", "--offline", "--", "kubectl", "apply", "-f", "d.yml", "--context", "prod-eu"], in: repo.path)
        #expect(refused.status == 126 && refused.stderr.contains("out of scope"), "\(refused.stderr)")

        try repo.write([
            "plan.json": """
            {"format_version": "1.2", "resource_changes": [
              {"address": "aws_db_instance.main", "type": "aws_db_instance", "change": {"actions": ["delete"]}},
              {"address": "aws_instance.web", "type": "aws_instance", "change": {"actions": ["delete", "create"]}},
              {"address": "aws_s3_bucket.logs", "type": "aws_s3_bucket", "change": {"actions": ["create"]}},
              {"address": "aws_iam_role.ci", "type": "aws_iam_role", "change": {"actions": ["no-op"]}}
            ]}
            """,
            "not-a-plan.json": #"{"hello": 1}"#,
        ])
        let plan = try await BlastwallBinary.run(["agent", "plan", "plan.json"], in: repo.path)
        #expect(plan.status == 1)
        #expect(
            plan.stdout.hasPrefix("destructive: 1 to delete (aws_db_instance 1), 1 to replace (aws_instance 1), 1 to create"),
            "\(plan.stdout)")
        #expect(plan.stdout.contains("delete aws_db_instance.main") && plan.stdout.contains("replace aws_instance.web"))
        let wrong = try await BlastwallBinary.run(["agent", "plan", "not-a-plan.json"], in: repo.path)
        #expect(wrong.status == 2 && wrong.stderr.contains("terraform show -json"), "\(wrong.stderr)")
    }
}

extension AgentHookCLITests {
    /// `blastwall policy test` cases can describe commands: what the agent gateway decides for them.
    @Test func policyTestsDescribeCommands() async throws {
        let repo = try await Self.repository()
        try repo.write([
            "blastwall.tests.yml": """
            tests:
              - name: the agent reads in prod
                command: kubectl get pods --context prod-eu
                expect: { verdict: allow, operation: read, environment: prod }
              - name: helm in staging goes through the pipeline
                command: helm upgrade payments ./chart --kube-context staging-1
                agent: coder
                expect: { verdict: deny, reason: "helm goes through the pipeline", services: [payments] }
              - name: a namespace deletion in prod escalates
                command: kubectl delete ns payments --context prod-eu
                expect: { verdict: allow }
            """
        ])
        let result = try await BlastwallBinary.run(["policy", "test", "-v"], in: repo.path)
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("PASS: the agent reads in prod"), "\(result.stdout)")
        #expect(result.stdout.contains("PASS: helm in staging goes through the pipeline"), "\(result.stdout)")
        #expect(result.stdout.contains("FAIL: a namespace deletion in prod escalates"), "\(result.stdout)")
        #expect(result.stdout.contains("verdict: expected allow, got escalate"), "\(result.stdout)")
        #expect(result.stdout.contains("policy tests: 2 passed, 1 failed"), "\(result.stdout)")
    }
}
