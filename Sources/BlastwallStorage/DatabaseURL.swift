import Foundation
import Logging

/// Where the control plane keeps its state: a SQLite file (the default) or a PostgreSQL server.
public enum DatabaseURL: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(Postgres)

    public struct Postgres: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var user: String
        public var password: String?
        public var database: String

        /// The URL without its password, for messages and logs.
        public var redacted: String { "postgres://\(user)@\(host):\(port)/\(database)" }
    }

    /// Parses `postgres://user[:password]@host[:port]/database`, `sqlite:PATH`, or a plain file path.
    public init(parsing text: String) throws(StorageError) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            var rest = Substring(text.drop { $0 != ":" }.dropFirst(3))
            guard let at = rest.lastIndex(of: "@") else {
                throw .unreachable("'\(text)' needs a user: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
            }
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let user = credentials.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            let password = credentials.contains(":") ? String(credentials.split(separator: ":", maxSplits: 1)[1]) : nil
            guard let slash = rest.firstIndex(of: "/") else {
                throw .unreachable("'\(DatabaseURL.redact(text))' needs a database name: postgres://USER@HOST[:PORT]/DATABASE")
            }
            let hostPort = rest[..<slash]
            var database = String(rest[rest.index(after: slash)...])
            if let query = database.firstIndex(of: "?") { database = String(database[..<query]) }
            let parts = hostPort.split(separator: ":", maxSplits: 1)
            guard let host = parts.first, !host.isEmpty, !user.isEmpty, !database.isEmpty else {
                throw .unreachable(
                    "'\(DatabaseURL.redact(text))' is not a valid PostgreSQL URL: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
            }
            var port = 5432
            if parts.count == 2 {
                guard let parsed = Int(parts[1]), (1...65535).contains(parsed) else {
                    throw .unreachable("the port in '\(DatabaseURL.redact(text))' is not a number between 1 and 65535")
                }
                port = parsed
            }
            self = .postgres(Postgres(host: String(host), port: port, user: user, password: password, database: database))
        } else if text.hasPrefix("sqlite:") {
            self = .sqlite(path: String(text.dropFirst(7)).replacing("//", with: "", maxReplacements: 1))
        } else {
            self = .sqlite(path: text)
        }
    }

    static func redact(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.firstRange(of: "://") else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }

    /// Opens the database; the caller runs migrations next.
    public func open(logger: Logger) async throws(StorageError) -> any SQLDatabase {
        switch self {
        case .sqlite(let path): return try await SQLiteDatabase.open(path: path, logger: logger)
        case .postgres(let url): return try await PostgresDatabase.connect(url: url, logger: logger)
        }
    }

    /// Opens a database that must already exist: commands that only read (`audit verify`) never create
    /// an empty SQLite file where a mistyped path points.
    public func openExisting(logger: Logger) async throws(StorageError) -> any SQLDatabase {
        if case .sqlite(let path) = self, !FileManager.default.fileExists(atPath: path) {
            throw .unreachable("no database at '\(path)'; check the path (this command never creates one)")
        }
        return try await open(logger: logger)
    }
}
