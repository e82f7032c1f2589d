import BlastwallStorage
import Foundation
import Logging
import Testing

/// Runs storage tests against every database kind: a new SQLite file and, when `BLASTWALL_TEST_POSTGRES_URL`
/// is set (.ci/postgres.sh sets it; CI requires it), a new PostgreSQL database dropped afterwards.
public enum TestDatabases {
    public static let logger = Logger(label: "blastwall.tests")

    public static var postgresURL: DatabaseURL.Postgres? {
        guard let text = ProcessInfo.processInfo.environment["BLASTWALL_TEST_POSTGRES_URL"],
            case .postgres(let url)? = try? DatabaseURL(parsing: text)
        else { return nil }
        return url
    }

    /// Whether this run has a PostgreSQL server. CI must: there a missing one is recorded as an issue.
    public static func hasPostgres() -> Bool {
        if postgresURL == nil, ProcessInfo.processInfo.environment["CI"] != nil {
            Issue.record("BLASTWALL_TEST_POSTGRES_URL is not set: CI runs every storage test on PostgreSQL too (.ci/postgres.sh)")
        }
        return postgresURL != nil
    }

    public static func each(_ body: (any SQLDatabase) async throws -> Void) async throws {
        _ = hasPostgres()
        for kind in kinds {
            let (database, remove) = try await make(kind)
            do {
                try await body(database)
            } catch {
                await remove()
                throw error
            }
            await remove()
        }
    }

    /// A database with the latest schema.
    public static func eachMigrated(_ body: (any SQLDatabase) async throws -> Void) async throws {
        try await each { database in
            try await Migrations.apply(to: database, now: "2026-11-23T12:00:00.000Z")
            try await body(database)
        }
    }

    /// The database kinds this run covers: SQLite always, PostgreSQL when `BLASTWALL_TEST_POSTGRES_URL` is set.
    public static var kinds: [Kind] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    public enum Kind: String, Sendable, CustomStringConvertible {
        case sqlite, postgres
        public var description: String { rawValue }
    }

    /// A new, empty database of `kind`, and how to remove it afterwards.
    public static func make(_ kind: Kind) async throws -> (database: any SQLDatabase, remove: @Sendable () async -> Void) {
        switch kind {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("blastwall-\(UUID().uuidString).sqlite").path
            let database = try await DatabaseURL.sqlite(path: path).open(logger: logger)
            return (
                database,
                {
                    try? await database.close()
                    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                }
            )
        case .postgres:
            let (url, remove) = try await makePostgres()
            let database = try await PostgresDatabase.connect(url: url, logger: logger)
            return (
                database,
                {
                    try? await database.close()
                    await remove()
                }
            )
        }
    }

    /// A new, empty PostgreSQL database on the test server, its URL as `blastwall serve --database` takes it,
    /// and how to drop it afterwards (connections still open are ended).
    public static func makePostgres() async throws -> (url: DatabaseURL.Postgres, remove: @Sendable () async -> Void) {
        guard let server = postgresURL else { throw StorageError.unreachable("BLASTWALL_TEST_POSTGRES_URL is not set") }
        let admin = try await PostgresDatabase.connect(url: server, logger: logger)
        let name = "blastwall_test_\(UUID().uuidString.prefix(8).lowercased())"
        try await admin.query("CREATE DATABASE \(name)")
        var url = server
        url.database = name
        return (
            url,
            {
                _ = try? await admin.query("DROP DATABASE \(name) WITH (FORCE)")
                try? await admin.close()
            }
        )
    }
}

extension DatabaseURL.Postgres {
    /// The URL with its password, as the command line takes it.
    public var text: String {
        "postgres://\(user)\(password.map { ":" + $0 } ?? "")@\(host):\(port)/\(database)"
    }
}
