import BlastwallStorage
import BlastwallTestSupport
import Testing

@Suite struct MigrationTests {
    @Test func migrationsApplyOnceAndNewerSchemasAreRefused() async throws {
        try await TestDatabases.each { database in
            #expect(try await Migrations.apply(to: database, now: "t") == Array(1...Migrations.latestVersion))
            #expect(try await Migrations.apply(to: database, now: "t") == [], "a second start applies nothing")
            try await database.query("INSERT INTO blastwall_schema (version, summary, applied_at) VALUES (99, 'from the future', 't')")
            await #expect(throws: StorageError.newerSchema(found: 99, supported: Migrations.latestVersion)) {
                try await Migrations.apply(to: database, now: "t")
            }
        }
    }

    /// Version 10 copies rollouts' times out of their state and changes' first commit out of their report.
    @Test func upgradingFillsTheNewColumnsFromWhatWasStored() async throws {
        try await TestDatabases.each { database in
            try await Migrations.apply(to: database, now: "t", upTo: 9)
            try await database.query(
                """
                INSERT INTO changes (repository, branch, head, submitted_by, decision, state, services_json, provenance, gate_json,
                  report_json, created_at, updated_at)
                VALUES ('r', 'b', 'h', 'ci', 'allow', 'satisfied', '[]', 'human', '{}', $1, 't', 't'),
                  ('r', 'c', 'h', 'ci', 'allow', 'satisfied', '[]', 'human', '{}', '{}', 't', 't')
                """,
                [
                    .text(
                        #"{"commits": [{"authored_at": "2026-01-01T12:00:00+02:00"}, {"authored_at": "2026-01-01T09:30:00Z"}, {"authored_at": null}]}"#
                    )
                ])
            try await database.query(
                """
                INSERT INTO rollouts (service, version, stable_version, artifact, drill, phase, spec_json, state_json, analyzer_json,
                  created_by, created_at, updated_at)
                VALUES ('web', 'v2', 'v1', 'a', 0, 'promoted', '{}', $1, '{}', 'ci', 't', 't')
                """, [.text(#"{"startedAt": 100.5, "stepStartedAt": 200, "finishedAt": 300.25, "canaryWeight": 100, "phase": "promoted"}"#)]
            )
            #expect(try await Migrations.apply(to: database, now: "t") == Array(10...Migrations.latestVersion))
            let rollout = try #require(try await database.query("SELECT * FROM rollouts").first)
            #expect(try rollout.optionalDouble("started_at") == 100.5 && rollout.optionalDouble("step_started_at") == 200)
            #expect(try rollout.optionalDouble("finished_at") == 300.25 && rollout.optionalDouble("detected_at") == nil)
            #expect(try rollout.integer("canary_weight") == 100)
            let firsts = try await database.query("SELECT first_commit_at FROM changes ORDER BY branch").map {
                try $0.optionalDouble("first_commit_at")
            }
            // 12:00+02:00 is 10:00 UTC: the first commit is the one at 09:30 UTC (1767259800), though it sorts later as text.
            #expect(firsts.count == 2 && firsts[1] == nil)
            #expect(abs((firsts[0] ?? 0) - 1_767_259_800) < 0.01)
        }
    }

    @Test func queriesRoundTripValuesOnBothDatabases() async throws {
        try await TestDatabases.each { database in
            try await database.query("CREATE TABLE t (i BIGINT, r DOUBLE PRECISION, s TEXT, n TEXT)")
            try await database.query("INSERT INTO t VALUES ($1, $2, $3, $4)", [.integer(-42), .real(1.5), .text("héllo ' \"x\""), .null])
            let row = try #require(try await database.query("SELECT i, r, s, n FROM t WHERE i = $1", [.integer(-42)]).first)
            #expect(row["i"] == .integer(-42) && row["r"] == .real(1.5) && row["s"] == .text("héllo ' \"x\"") && row["n"] == .null)
            #expect(row["missing"] == nil)
        }
    }

    @Test func aFailedTransactionLeavesNothingBehind() async throws {
        try await TestDatabases.each { database in
            try await database.query("CREATE TABLE t (i BIGINT)")
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await database.transaction { transaction in
                    try await transaction.query("INSERT INTO t VALUES (1)")
                    throw Boom()
                }
            }
            #expect(try await database.query("SELECT COUNT(*) AS n FROM t").first?.integer("n") == 0)
        }
    }
}
