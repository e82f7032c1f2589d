import BlastwallStorage
import Foundation
import Logging
import Testing

/// Runs storage tests against every database kind: a new SQLite file and, when `BLASTWALL_TEST_POSTGRES_URL`
/// is set (.ci/postgres.sh sets it; CI requires it), a new PostgreSQL database dropped afterwards.
enum TestDatabases {
    static let logger = Logger(label: "blastwall.tests")

    static var postgresURL: DatabaseURL.Postgres? {
        guard let text = ProcessInfo.processInfo.environment["BLASTWALL_TEST_POSTGRES_URL"],
            case .postgres(let url)? = try? DatabaseURL(parsing: text)
        else { return nil }
        return url
    }

    static func each(_ body: (any SQLDatabase) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("blastwall-\(UUID().uuidString).sqlite").path
        let sqlite = try await DatabaseURL.sqlite(path: path).open(logger: logger)
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        try await body(sqlite)
        try await sqlite.close()

        guard let server = postgresURL else {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                Issue.record("BLASTWALL_TEST_POSTGRES_URL is not set: CI runs every storage test on PostgreSQL too (.ci/postgres.sh)")
            }
            return
        }
        let admin = try await PostgresDatabase.connect(url: server, logger: logger)
        let name = "blastwall_test_\(UUID().uuidString.prefix(8).lowercased())"
        try await admin.query("CREATE DATABASE \(name)")
        var url = server
        url.database = name
        let postgres = try await PostgresDatabase.connect(url: url, logger: logger)
        do {
            try await body(postgres)
        } catch {
            try? await postgres.close()
            try? await admin.query("DROP DATABASE \(name)")
            try? await admin.close()
            throw error
        }
        try await postgres.close()
        try await admin.query("DROP DATABASE \(name) WITH (FORCE)")
        try await admin.close()
    }

    /// A database with the latest schema.
    static func eachMigrated(_ body: (any SQLDatabase) async throws -> Void) async throws {
        try await each { database in
            try await Migrations.apply(to: database, now: "2026-11-23T12:00:00.000Z")
            try await body(database)
        }
    }
}
