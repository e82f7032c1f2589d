import BlastwallStorage
import BlastwallTestSupport
import Testing

@Suite struct MigrationTests {
    @Test func migrationsApplyOnceAndNewerSchemasAreRefused() async throws {
        try await TestDatabases.each { database in
            #expect(try await Migrations.apply(to: database, now: "t") == [1, 2, 3, 4, 5, 6, 7, 8, 9])
            #expect(try await Migrations.apply(to: database, now: "t") == [], "a second start applies nothing")
            try await database.query("INSERT INTO blastwall_schema (version, summary, applied_at) VALUES (99, 'from the future', 't')")
            await #expect(throws: StorageError.newerSchema(found: 99, supported: Migrations.latestVersion)) {
                try await Migrations.apply(to: database, now: "t")
            }
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
