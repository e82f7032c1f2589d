import BlastwallTestSupport
import Foundation
import Testing

/// The agent gateway through the real binary, a real server, and real git, sqlite3 and PostgreSQL (psql):
/// an allowed command runs; a destructive one in prod is refused and escalated; two humans approve; the exact
/// command then runs once; the audit chain verifies.
@Suite(.enabled(if: BackgroundProcess.shouldTest("sqlite3"), "needs sqlite3, which is not installed (.ci/run installs it)"), .serialized)
struct AgentGatewayTests {
    static let configuration = """
        services:
          orders: { paths: ["/orders/"], owners: ["@lee"], tier: 1 }
        environments:
          prod:
            db_names: ["*prod*"]
            db_hosts: ["127.0.0.1"]
          dev:
            db_hosts: [localhost]
        agents:
          coder:
            model: claude-opus-4
            operator: "@dana"
            default_environment: dev
            environments: { prod: [read], dev: all }
        """

    final class Setup {
        let repo: TemporaryRepository
        let server: LiveServer
        var tokens: [String: String] = [:]

        init() async throws {
            repo = try await TemporaryRepository()
            try repo.write(["blastwall.yml": AgentGatewayTests.configuration, "orders/api.swift": "a\n"])
            try await repo.commit("Initial")
            server = try await LiveServer(extraArguments: ["--config", repo.path + "/blastwall.yml"])
            for (name, arguments) in [
                ("coder", ["--kind", "ai", "--role", "agent"]), ("dana", ["--kind", "human", "--role", "approver"]),
                ("lee", ["--kind", "human", "--role", "approver"]), ("kim", ["--kind", "human", "--role", "approver"]),
            ] {
                let created = try await server.cli(["identity", "create", name] + arguments, token: server.adminToken)
                try #require(created.status == 0, "\(created.stderr)")
                tokens[name] = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }

        /// `blastwall exec --agent coder -- WORDS` in the repository, as the agent, against the server.
        func exec(_ words: [String]) async throws -> ProcessOutput {
            try await BlastwallBinary.run(
                ["exec", "--agent", "coder", "--"] + words, in: repo.path,
                environment: ["BLASTWALL_SERVER": server.url, "BLASTWALL_TOKEN": tokens["coder"]!])
        }

        func approve(_ id: Int, as name: String) async throws -> ProcessOutput {
            try await server.cli(["operation", "approve", "\(id)", "--format", "json"], token: tokens[name]!)
        }

        /// Refused with a request: its id, from the message.
        func refusedRequest(_ result: ProcessOutput) throws -> Int {
            #expect(result.status == 126, "\(result.stdout) \(result.stderr)")
            let marker = try #require(result.stderr.range(of: "Operation request #"), "\(result.stderr)")
            let digits = result.stderr[marker.upperBound...].prefix { $0.isNumber }
            return try #require(Int(digits))
        }

        func state(_ output: String) throws -> String? {
            (try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])?["state"] as? String
        }

        /// Two humans other than the operator approve; the operator cannot.
        func grant(_ id: Int) async throws {
            let byOperator = try await approve(id, as: "dana")
            #expect(byOperator.status != 0 && byOperator.stderr.contains("operator of agent coder"), "\(byOperator.stderr)")
            let first = try await approve(id, as: "lee")
            #expect(first.status == 0, "\(first.stderr)")
            #expect(try state(first.stdout) == "pending", "\(first.stdout)")
            let second = try await approve(id, as: "kim")
            #expect(second.status == 0, "\(second.stderr)")
            #expect(try state(second.stdout) == "granted", "\(second.stdout)")
            // The grant lasts the agent's grant_lifetime, 15 minutes by default.
            let granted = try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any]
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let times = ["granted_at", "expires_at"].compactMap { granted?[$0] as? String }.compactMap { formatter.date(from: $0) }
            #expect(times.count == 2 && abs(times[1].timeIntervalSince(times[0]) - 900) < 1, "\(times)")
        }
    }

    @Test func gitAndSQLiteUnderExec() async throws {
        let setup = try await Setup()
        let status = try await setup.exec(["git", "status", "--short"])
        #expect(status.status == 0, "\(status.stderr)")

        let database = setup.repo.path + "/prod.db"
        let created = try await ProcessRunner.run(
            "/usr/bin/env", ["sqlite3", database, "CREATE TABLE orders (id INTEGER); INSERT INTO orders VALUES (1)"])
        try #require(created.status == 0, "\(created.stderr)")
        let read = try await setup.exec(["sqlite3", "prod.db", "SELECT count(*) FROM orders"])
        #expect(read.status == 0 && read.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "\(read.stdout) \(read.stderr)")

        let drop = ["sqlite3", "prod.db", "DROP TABLE orders"]
        let id = try setup.refusedRequest(try await setup.exec(drop))
        #expect(try await setup.exec(drop).stderr.contains("Operation request #\(id) "), "asking again waits on the same request")
        let listed = try await setup.server.cli(["operation", "list", "--state", "pending"], token: setup.tokens["lee"]!)
        #expect(listed.stdout.contains("#\(id) pending — coder wants: sqlite3 prod.db 'DROP TABLE orders' (in prod)"), "\(listed.stdout)")

        try await setup.grant(id)
        let ran = try await setup.exec(drop)
        #expect(ran.status == 0, "\(ran.stderr)")
        let tables = try await ProcessRunner.run("/usr/bin/env", ["sqlite3", database, ".tables"])
        #expect(!tables.stdout.contains("orders"), "the granted DROP ran")
        let again = try await setup.exec(drop)
        #expect(try setup.refusedRequest(again) != id, "a grant is used once; asking again opens a new request")

        let verified = try await setup.server.cli(["audit", "verify", "--database", setup.server.database], token: nil)
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        let audit = try await setup.server.cli(
            ["audit", "search", "--subject", "operation/\(id)", "--format", "json"], token: setup.server.adminToken)
        for action in ["operation.requested", "operation.approved", "operation.granted", "operation.grant_used"] {
            #expect(audit.stdout.contains(action), "\(action) in \(audit.stdout.prefix(2000))")
        }
    }

    @Test func postgresUnderExec() async throws {
        guard let url = ProcessInfo.processInfo.environment["BLASTWALL_TEST_POSTGRES_URL"] else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("BLASTWALL_TEST_POSTGRES_URL is not set (.ci/postgres.sh)") }
            return
        }
        let setup = try await Setup()
        let components = try #require(URLComponents(string: url))
        let connection = [
            "-h", components.host ?? "127.0.0.1", "-p", "\(components.port ?? 5432)", "-U", components.user ?? "postgres", "-d", "postgres",
            "-v", "ON_ERROR_STOP=1",
        ]
        let table = "agent_orders_\(UInt32.random(in: 0...UInt32.max))"
        let created = try await ProcessRunner.run("/usr/bin/env", ["psql"] + connection + ["-c", "CREATE TABLE \(table) (id int)"])
        try #require(created.status == 0, "\(created.stderr)")

        let select = try await setup.exec(["psql"] + connection + ["-tA", "-c", "SELECT count(*) FROM \(table)"])
        #expect(
            select.status == 0 && select.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(select.stdout) \(select.stderr)")

        let drop = ["psql"] + connection + ["-c", "DROP TABLE \(table)"]
        let id = try setup.refusedRequest(try await setup.exec(drop))
        try await setup.grant(id)
        let ran = try await setup.exec(drop)
        #expect(ran.status == 0, "\(ran.stderr)")
        let gone = try await ProcessRunner.run(
            "/usr/bin/env", ["psql"] + connection + ["-tA", "-c", "SELECT to_regclass('\(table)') IS NULL"])
        #expect(gone.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "t", "\(gone.stdout) \(gone.stderr)")
        _ = try setup.refusedRequest(try await setup.exec(drop))
        let verified = try await setup.server.cli(["audit", "verify", "--database", setup.server.database], token: nil)
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
    }
}

extension AgentGatewayTests {
    /// The hook against a server: an escalation answers deny with the request; a server that does not answer
    /// in time, or cannot be reached, denies (fail closed) and says so.
    @Test func theHookFailsClosedWhenTheServerDoesNotAnswer() async throws {
        let setup = try await Setup()
        let input =
            #"{"session_id":"s-9","cwd":"\#(setup.repo.path)","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"sqlite3 prod.db 'DELETE FROM orders'"}}"#
        func hook(server: String, timeout: String = "10") async throws -> (decision: String, reason: String) {
            let result = try await BlastwallBinary.run(
                ["agent", "hook", "--agent", "coder", "--server", server, "--token", setup.tokens["coder"]!, "--timeout", timeout],
                in: setup.repo.path, stdin: input)
            #expect(result.status == 0)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let output = try #require(json["hookSpecificOutput"] as? [String: Any])
            return (output["permissionDecision"] as? String ?? "", output["permissionDecisionReason"] as? String ?? "")
        }
        let escalated = try await hook(server: setup.server.url)
        #expect(escalated.decision == "deny" && escalated.reason.contains("Operation request #1 waits for"), "\(escalated.reason)")

        setup.server.signal(SIGSTOP)
        let frozen = try await hook(server: setup.server.url, timeout: "1")
        setup.server.signal(SIGCONT)
        #expect(frozen.decision == "deny" && frozen.reason.contains("did not decide within 1.0 s"), "\(frozen.reason)")

        let unreachable = try await hook(server: "http://127.0.0.1:\(freeLoopbackPort())")
        #expect(unreachable.decision == "deny" && unreachable.reason.contains("could not be asked"), "\(unreachable.reason)")
        #expect(unreachable.reason.contains("fails closed"))
    }
}
