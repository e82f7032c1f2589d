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
    /// A transaction that waits longer than `idleInTransactionTimeout` for this process between two statements
    /// is ended by PostgreSQL.
    public static func connect(
        url: DatabaseURL.Postgres, logger: Logger, idleInTransactionTimeout: Duration = .seconds(10)
    ) async throws(StorageError) -> PostgresDatabase {
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: .disable)
        configuration.options.maximumConnections = 8
        // A server frozen inside a transaction (a stopped process, a paused VM) would hold its row locks for as
        // long as it stays frozen, and the rollout leader's epoch row among them would keep any other server
        // from taking over. PostgreSQL ends such a session instead, and its transaction rolls back.
        configuration.options.additionalStartupParameters = [
            ("idle_in_transaction_session_timeout", "\(Int(idleInTransactionTimeout / .milliseconds(1)))")
        ]
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
            for try await row in sequence { rows.append(try Self.row(row)) }
        } catch let error as StorageError {
            throw error
        } catch {
            throw .query("\(String(reflecting: error)) (in: \(sql.prefix(120)))")
        }
        return rows
    }

    static func row(_ row: PostgresRow) throws -> SQLRow {
        var columns: [String] = []
        var cells: [SQLValue] = []
        for cell in row {
            columns.append(cell.columnName)
            cells.append(try Self.value(of: cell))
        }
        return SQLRow(columns: columns, cells: cells)
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

    /// Runs `body` between BEGIN and COMMIT on one connection of the pool, and rolls back if it throws. Every
    /// statement goes through `PostgresTransaction`, so that a session PostgreSQL ended (a transaction idle
    /// too long) fails the next statement instead of stalling it.
    public func transaction<Result: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> Result) async throws -> Result {
        let logger = logger
        return try await client.withConnection { connection in
            let transaction = PostgresTransaction(connection: connection, logger: logger)
            try await transaction.query("BEGIN")
            let result: Result
            do {
                result = try await body(transaction)
            } catch {
                // Reports the body's own error, as SQLite does. A rollback that fails has nothing left to undo:
                // PostgreSQL rolls back the transaction of a session that ends.
                _ = try? await transaction.query("ROLLBACK")
                throw error
            }
            try await transaction.query("COMMIT")
            return result
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

    /// Writes the statement from the connection's event loop, and only while the connection is open: PostgresNIO
    /// drops the error of a statement written to a closed connection and leaves its caller waiting forever. On
    /// the event loop nothing can close the connection between the check and the write.
    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue]) async throws(StorageError) -> [SQLRow] {
        let query = PostgresDatabase.postgresQuery(sql, binds)
        let (connection, logger) = (connection, logger)
        let result: PostgresQueryResult
        do {
            result = try await connection.eventLoop.flatSubmit {
                guard !connection.isClosed else {
                    return connection.eventLoop.makeFailedFuture(
                        StorageError.query("the database ended this session, and the transaction with it (in: \(sql.prefix(120)))"))
                }
                return connection.query(query, logger: logger)
            }.get()
        } catch let error as StorageError {
            throw error
        } catch {
            throw .query("\(String(reflecting: error)) (in: \(sql.prefix(120)))")
        }
        do {
            return try result.rows.map(PostgresDatabase.row)
        } catch {
            throw .query("\(String(reflecting: error)) (in: \(sql.prefix(120)))")
        }
    }
}
