import Logging
import PostgresNIO

/// PostgreSQL through a `PostgresClient` connection pool. The client's run loop lives in a task owned here.
public final class PostgresDatabase: SQLDatabase {
    public let dialect = SQLDialect.postgres
    private let client: PostgresClient
    private let runTask: Task<Void, Never>
    let logger: Logger
    /// Where the pool connects; a lease opens a connection of its own there (PostgresLease.swift).
    let url: DatabaseURL.Postgres

    private init(client: PostgresClient, url: DatabaseURL.Postgres, logger: Logger) {
        self.client = client
        self.url = url
        self.logger = logger
        runTask = Task { await client.run() }
    }

    /// Connects to `postgres://user:password@host:port/database`; TLS is not used (loopback and private networks).
    public static func connect(url: DatabaseURL.Postgres, logger: Logger) async throws(StorageError) -> PostgresDatabase {
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: .disable)
        configuration.options.maximumConnections = 8
        let database = PostgresDatabase(client: PostgresClient(configuration: configuration), url: url, logger: logger)
        do {
            _ = try await database.query("SELECT 1 AS ok")
        } catch {
            await database.shutdown()
            throw .unreachable("\(url.redacted): \(error)")
        }
        return database
    }

    static func postgresQuery(_ sql: String, _ binds: [SQLValue]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let value): bindings.append(value)
            case .real(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    static func rows(_ sequence: PostgresRowSequence, sql: String) async throws(StorageError) -> [SQLRow] {
        var rows: [SQLRow] = []
        do {
            for try await row in sequence {
                var columns: [String] = []
                var cells: [SQLValue] = []
                for cell in row {
                    columns.append(cell.columnName)
                    cells.append(try Self.value(of: cell))
                }
                rows.append(SQLRow(columns: columns, cells: cells))
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw .query("\(String(reflecting: error)) (in: \(sql.prefix(120)))")
        }
        return rows
    }

    private static func value(of cell: PostgresCell) throws -> SQLValue {
        if cell.bytes == nil { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .float4, .float8, .numeric: return .real(try cell.decode(Double.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        default: return .text(try cell.decode(String.self))
        }
    }

    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue]) async throws(StorageError) -> [SQLRow] {
        let query = Self.postgresQuery(sql, binds)
        let sequence: PostgresRowSequence
        do {
            sequence = try await client.query(query, logger: logger)
        } catch {
            throw .query("\(String(reflecting: error)) (in: \(sql.prefix(120)))")
        }
        return try await Self.rows(sequence, sql: sql)
    }

    public func transaction<Result: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> Result) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(PostgresTransaction(connection: connection, logger: logger))
            }
        } catch let error as PostgresTransactionError {
            // Report the body's own error, as SQLite does; otherwise what failed around it.
            if let closureError = error.closureError { throw closureError }
            let cause = error.commitError ?? error.beginError ?? error.rollbackError
            throw StorageError.query("the transaction failed: \(cause.map { String(reflecting: $0) } ?? "unknown error")")
        }
    }

    public func close() async throws {
        await shutdown()
    }

    private func shutdown() async {
        runTask.cancel()
        _ = await runTask.value
    }
}

/// Statements on the connection a transaction holds.
private struct PostgresTransaction: SQLExecutor {
    let connection: PostgresConnection
    let logger: Logger
    var dialect: SQLDialect { .postgres }

    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue]) async throws(StorageError) -> [SQLRow] {
        let query = PostgresDatabase.postgresQuery(sql, binds)
        let sequence: PostgresRowSequence
        do {
            sequence = try await connection.query(query, logger: logger)
        } catch {
            throw .query("\(String(reflecting: error)) (in: \(sql.prefix(120)))")
        }
        return try await PostgresDatabase.rows(sequence, sql: sql)
    }
}
