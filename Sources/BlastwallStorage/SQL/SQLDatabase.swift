/// A value bound to or read from a SQL statement, in the types both SQLite and PostgreSQL share.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// A result row, by column name. Columns are kept in order and found by a linear scan: rows have a handful
/// of columns, and hashing names into a dictionary per row dominated reading long pages.
public struct SQLRow: Sendable {
    private let columns: [String]
    private let cells: [SQLValue]

    public init(columns: [String], cells: [SQLValue]) {
        self.columns = columns
        self.cells = cells
    }

    /// The value of `column`, or nil when the row has no such column.
    public subscript(column: String) -> SQLValue? {
        columns.firstIndex(of: column).map { cells[$0] }
    }

    public func integer(_ column: String) throws(StorageError) -> Int64 {
        guard case .integer(let value)? = self[column] else { throw .corrupt("column '\(column)' is not an integer") }
        return value
    }

    public func text(_ column: String) throws(StorageError) -> String {
        guard case .text(let value)? = self[column] else { throw .corrupt("column '\(column)' is not text") }
        return value
    }

    public func optionalText(_ column: String) throws(StorageError) -> String? {
        switch self[column] {
        case .null?, nil: return nil
        case .text(let value)?: return value
        default: throw .corrupt("column '\(column)' is not text")
        }
    }

    public func optionalInteger(_ column: String) throws(StorageError) -> Int64? {
        switch self[column] {
        case .null?, nil: return nil
        case .integer(let value)?: return value
        default: throw .corrupt("column '\(column)' is not an integer")
        }
    }

    /// A number stored as REAL; a whole number read back as an integer counts too.
    public func optionalDouble(_ column: String) throws(StorageError) -> Double? {
        switch self[column] {
        case .null?, nil: return nil
        case .real(let value)?: return value
        case .integer(let value)?: return Double(value)
        default: throw .corrupt("column '\(column)' is not a number")
        }
    }
}

/// The SQL dialects the control plane runs on. Statements use `$1, $2, …` placeholders in both.
public enum SQLDialect: String, Sendable {
    case sqlite, postgres
}

/// Something that runs statements: a database outside a transaction, or a transaction.
public protocol SQLExecutor: Sendable {
    var dialect: SQLDialect { get }
    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue]) async throws(StorageError) -> [SQLRow]
}

extension SQLExecutor {
    @discardableResult
    public func query(_ sql: String) async throws(StorageError) -> [SQLRow] {
        try await query(sql, [])
    }

    /// Tells the servers listening on `channel` (`SQLDatabase.listen`) once this transaction commits. Without other
    /// servers (SQLite) there is nobody to tell. `channel` is a fixed identifier, never user input.
    public func notify(_ channel: String) async throws(StorageError) {
        guard dialect == .postgres else { return }
        precondition(channel.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }, "a plain identifier")
        try await query("NOTIFY \(channel)")
    }
}

/// A database the stores run on. Both implementations pass the same storage tests.
public protocol SQLDatabase: SQLExecutor {
    /// Runs `body` in one transaction: committed (durably) when it returns, rolled back when it throws.
    func transaction<Result: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> Result) async throws -> Result
    func close() async throws
    /// Runs `body` while this process alone holds the lease `key` among all that share the database, then
    /// returns true; returns false at once when another holds it. `body` is cancelled as soon as the lease may
    /// be lost (its connection stops answering). `holder` is how the others see who holds it.
    func withLease(_ key: Int64, holder: String, _ body: @escaping @Sendable () async -> Void) async throws -> Bool
    /// How the holder of the lease `key` named itself; nil when nobody holds it.
    func leaseHolder(_ key: Int64) async throws -> String?
    /// Runs `onNotification` whenever a transaction that notified `channel` commits, until cancelled; after a
    /// lost connection it connects again, so callers should still poll for what a gap may have hidden.
    func listen(to channel: String, onNotification: @escaping @Sendable () -> Void) async
}

extension SQLDatabase {
    /// A database only this process uses (SQLite): the lease is always free.
    public func withLease(_ key: Int64, holder: String, _ body: @escaping @Sendable () async -> Void) async throws -> Bool {
        await body()
        return true
    }

    public func leaseHolder(_ key: Int64) async throws -> String? { nil }

    /// Nobody else writes to a database only this process uses: waits until cancelled.
    public func listen(to channel: String, onNotification: @escaping @Sendable () -> Void) async {
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
    }
}

/// A storage failure, with what to do about it.
public enum StorageError: Error, Sendable, CustomStringConvertible, Equatable {
    case unreachable(String)
    case query(String)
    case corrupt(String)
    case newerSchema(found: Int, supported: Int)
    case conflict(String)

    public var description: String {
        switch self {
        case .unreachable(let message): return "cannot open the database: \(message)"
        case .query(let message): return "database error: \(message)"
        case .corrupt(let message): return "unexpected data in the database: \(message)"
        case .newerSchema(let found, let supported):
            return
                "the database has schema version \(found), but this blastwall supports up to \(supported); upgrade blastwall (or point --database at another database)"
        case .conflict(let message): return message
        }
    }
}
