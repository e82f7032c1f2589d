import BlastwallTestSupport
import Foundation
import Testing

/// The CLI against a real server: identities, switches, the audit log, verification.
@Suite(.serialized) struct ControlPlaneCLITests {
    @Test func identitiesSwitchesAndTheAuditLogEndToEnd() async throws {
        // Tick retention on: the pruning task runs at start without getting in the way.
        let server = try await LiveServer(extraArguments: ["--tick-retention", "720h"])
        let created = try await server.cli(
            ["identity", "create", "dana", "--kind", "human", "--role", "approver", "--group", "@acme/payments"], token: server.adminToken)
        #expect(created.status == 0, "\(created.stderr)")
        let danaToken = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(danaToken.hasPrefix("bw_"))

        let list = try await server.cli(["identity", "list", "--format", "json"], token: danaToken)
        #expect(list.stdout.contains("\"dana\"") && list.stdout.contains("\"root\""))
        #expect(!list.stdout.contains(danaToken), "tokens are never listed")

        #expect(try await server.cli(["switch", "create", "checkout-v2"], token: danaToken).status == 0)
        let on = try await server.cli(["switch", "on", "checkout-v2", "--reason", "incident 7"], token: danaToken)
        #expect(on.stdout.contains("checkout-v2\ton (incident 7)"), "\(on.stdout)\(on.stderr)")

        let viewer = try await server.cli(["identity", "create", "val", "--kind", "human", "--role", "viewer"], token: server.adminToken)
            .stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let forbidden = try await server.cli(["switch", "off", "checkout-v2", "--reason", "x"], token: viewer)
        #expect(forbidden.status == 2 && forbidden.stderr.contains("403"), "\(forbidden.stderr)")

        #expect(try await server.cli(["identity", "revoke", "val"], token: server.adminToken).status == 0)
        #expect(try await server.cli(["switch", "list"], token: viewer).stderr.contains("401"), "revoked tokens stop working at once")

        let search = try await server.cli(
            ["audit", "search", "--action", "switch.flipped", "--format", "json"], token: viewer.isEmpty ? danaToken : danaToken)
        #expect(search.stdout.contains("incident 7"))

        let export = try await server.cli(["audit", "export"], token: danaToken)
        #expect(export.stdout.split(separator: "\n").count >= 6)
        try export.stdout.write(toFile: server.directory + "/export.jsonl", atomically: true, encoding: .utf8)
        let verified = try await server.cli(["audit", "verify", "--file", "export.jsonl"], token: nil)
        #expect(verified.status == 0 && verified.stdout.hasPrefix("intact:"), "\(verified.stdout)\(verified.stderr)")

        // Graceful shutdown on SIGTERM, then the database itself verifies.
        server.stop(signal: SIGTERM)
        #expect(server.terminationStatus == nil || server.terminationStatus == 0)
        let database = try await server.cli(["audit", "verify", "--database", server.database], token: nil)
        #expect(database.status == 0, "\(database.stdout)\(database.stderr)")
    }

    @Test func directEditsOfTheSQLiteFileAreCaught() async throws {
        let server = try await LiveServer()
        for index in 0..<5 {
            #expect(try await server.cli(["switch", "create", "s\(index)"], token: server.adminToken).status == 0)
        }
        server.stop()
        try await sqlite(
            server.database, "DROP TRIGGER audit_events_no_update; UPDATE audit_events SET actor = 'mallory' WHERE sequence = 3;")
        let edited = try await server.cli(["audit", "verify", "--database", server.database], token: nil)
        #expect(
            edited.status == 1 && edited.stdout.contains("event 3: its content does not match its hash"), "\(edited.stdout)\(edited.stderr)"
        )
    }

    @Test func checkpointsCatchADeletedTail() async throws {
        let server = try await LiveServer()
        for index in 0..<5 {
            #expect(try await server.cli(["switch", "create", "s\(index)"], token: server.adminToken).status == 0)
        }
        server.stop()
        #expect(try await server.cli(["keygen", "--out", "audit.pem"], token: nil).status == 0)
        #expect(try await server.cli(["audit", "checkpoint", "--database", server.database, "--key", "audit.pem"], token: nil).status == 0)
        try await sqlite(server.database, "DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE sequence > 4;")
        let truncated = try await server.cli(["audit", "verify", "--database", server.database, "--key", "audit.pem.pub"], token: nil)
        #expect(
            truncated.status == 1 && truncated.stdout.contains("events were removed from the end"), "\(truncated.stdout)\(truncated.stderr)"
        )
    }

    @Test func theServerSignsCheckpointsEveryNEvents() async throws {
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("blastwall-keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: keys) }
        #expect(try await BlastwallBinary.run(["keygen", "--out", keys + "/audit.pem"], in: keys).status == 0)
        let server = try await LiveServer(extraArguments: ["--checkpoint-key", keys + "/audit.pem", "--checkpoint-every", "3"])
        for index in 0..<4 {
            #expect(try await server.cli(["switch", "create", "s\(index)"], token: server.adminToken).status == 0)
        }
        var verified = ""
        for _ in 0..<50 where !verified.contains("intact: 5 events, 1 checkpoint,") {
            try await Task.sleep(for: .milliseconds(100))
            verified = try await server.cli(
                ["audit", "verify", "--database", server.database, "--key", keys + "/audit.pem.pub"], token: nil
            )
            .stdout
        }
        #expect(verified.contains("intact: 5 events, 1 checkpoint,"), "\(verified)")
        server.stop()
    }

    /// Bootstrap writes a checkpoint key and `serve` signs with it by default, appending each checkpoint to a
    /// witness file; a tail cut together with its checkpoints verifies as intact from the database alone,
    /// and is caught against the witness or a head kept elsewhere.
    @Test func aWitnessCatchesATailCutWithItsCheckpoints() async throws {
        let server = try await LiveServer(extraArguments: ["--checkpoint-every", "3", "--audit-witness", "witness.jsonl"])
        #expect(FileManager.default.fileExists(atPath: server.database + ".checkpoint-key.pem"), "bootstrap wrote the key")
        for index in 0..<4 {
            #expect(try await server.cli(["switch", "create", "s\(index)"], token: server.adminToken).status == 0)
        }
        let witness = server.directory + "/witness.jsonl"
        try await eventually("the witness holds a checkpoint", within: .seconds(10)) {
            (try? String(contentsOfFile: witness, encoding: .utf8))?.contains(#""checkpoint""#) == true
        }
        let online = try await server.cli(["audit", "verify", "--database", server.database, "--format", "json"], token: nil)
        let head = try #require(try JSONSerialization.jsonObject(with: Data(online.stdout.utf8)) as? [String: Any])
        let headArgument = "\(head["events"] as? Int ?? 0):\(head["last_hash"] as? String ?? "")"
        // The server's own verification checks the signatures with its key.
        let viaAPI = try await HTTP.get(server.url + "/api/v1/audit/verify", token: server.adminToken)
        #expect(viaAPI.body.contains(#""signatures_checked":true"#) && viaAPI.body.contains(#""intact":true"#), "\(viaAPI.body)")
        server.stop()

        try await sqlite(
            server.database,
            """
            DROP TRIGGER audit_events_no_delete; DROP TRIGGER audit_checkpoints_no_delete;
            DELETE FROM audit_events WHERE sequence > 2; DELETE FROM audit_checkpoints;
            """)
        let alone = try await server.cli(["audit", "verify", "--database", server.database], token: nil)
        #expect(alone.status == 0, "without a witness the cut is invisible: \(alone.stdout)")
        let key = server.database + ".checkpoint-key.pem.pub"
        let witnessed = try await server.cli(
            ["audit", "verify", "--database", server.database, "--witness", "witness.jsonl", "--key", key], token: nil)
        #expect(
            witnessed.status == 1 && witnessed.stdout.contains("the log ends at event 2 (events were removed from the end)"),
            "\(witnessed.stdout)\(witnessed.stderr)")
        let headed = try await server.cli(["audit", "verify", "--database", server.database, "--head", headArgument], token: nil)
        #expect(headed.status == 1 && headed.stdout.contains("removed from the end"), "\(headed.stdout)\(headed.stderr)")
        let malformed = try await server.cli(["audit", "verify", "--database", server.database, "--head", "12"], token: nil)
        #expect(malformed.status != 0 && malformed.stderr.contains("SEQUENCE:HASH"), "\(malformed.stderr)")
    }

    @Test func verifyNeverCreatesADatabase() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("blastwall-verify-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try await BlastwallBinary.run(["audit", "verify", "--database", "missing.sqlite"], in: directory)
        #expect(result.status == 2 && result.stderr.contains("no database at 'missing.sqlite'"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/missing.sqlite"))
    }

    /// `audit export` carries the checkpoints: an export whose events were cut before its checkpoint fails.
    @Test func exportsCarryTheirCheckpoints() async throws {
        let server = try await LiveServer(extraArguments: ["--checkpoint-every", "2"])
        for index in 0..<4 {
            #expect(try await server.cli(["switch", "create", "s\(index)"], token: server.adminToken).status == 0)
        }
        // A checkpoint beyond the second event, so that cutting the export to two events is a cut tail.
        try await eventually("a checkpoint past event 2 is signed", within: .seconds(10)) {
            let body = try await HTTP.get(server.url + "/api/v1/audit/checkpoints", token: server.adminToken).body
            return ["\"sequence\":4", "\"sequence\":5", "\"sequence\": 4", "\"sequence\": 5"].contains { body.contains($0) }
        }
        let export = try await server.cli(["audit", "export"], token: server.adminToken)
        let lines = export.stdout.split(separator: "\n").map(String.init)
        #expect(lines.last?.hasPrefix(#"{"checkpoint":"#) == true, "\(lines.last ?? "")")
        let events = lines.filter { !$0.hasPrefix(#"{"checkpoint":"#) }
        let checkpoints = lines.filter { $0.hasPrefix(#"{"checkpoint":"#) }
        try (Array(events.prefix(2)) + checkpoints).joined(separator: "\n").write(
            toFile: server.directory + "/cut.jsonl", atomically: true, encoding: .utf8)
        let cut = try await server.cli(["audit", "verify", "--file", "cut.jsonl"], token: nil)
        #expect(cut.status == 1 && cut.stdout.contains("removed from the end"), "\(cut.stdout)\(cut.stderr)")
        server.stop()
    }

    /// Edits the database file directly, as an attacker with file access would (python3's sqlite3 module).
    func sqlite(_ path: String, _ script: String) async throws {
        let result = try await ProcessRunner.python([
            "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()", path, script,
        ])
        try #require(result.status == 0, "\(result.stderr)")
    }
}
