import Logging
import NIOCore
import SQLiteNIO

/// SQLite through one connection in WAL mode with `synchronous=FULL`, so every commit is durable.
/// Statements and transactions run one at a time.
public final class SQLiteDatabase: SQLDatabase {
    public let dialect = SQLDialect.sqlite
    private let connection: SQLiteConnection
    private let access = SerialAccess()
    private let commits = GroupCommit()

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// Opens (creating if needed) the database file at `path`.
    public static func open(path: String, logger: Logger) async throws(StorageError) -> SQLiteDatabase {
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw .unreachable("\(path): \(error)")
        }
        let database = SQLiteDatabase(connection: connection)
        for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000"] {
            try await database.query(pragma)
        }
        // Marks the batch a commit is in (drainCommits): a row that vanishes when SQLite rolls that batch back.
        try await database.query("CREATE TEMP TABLE open_batches (batch INTEGER NOT NULL)")
        return database
    }

    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue]) async throws(StorageError) -> [SQLRow] {
        do {
            return try await access.run { try await self.run(sql, binds) }
        } catch let error as StorageError {
            throw error
        } catch {
            throw .query("\(error)")
        }
    }

    fileprivate func run(_ sql: String, _ binds: [SQLValue]) async throws(StorageError) -> [SQLRow] {
        let rows: [SQLiteRow]
        do {
            rows = try await connection.query(sql, binds.map(Self.sqliteData))
        } catch {
            throw .query("\(error) (in: \(sql.prefix(120)))")
        }
        return rows.map { row in
            let columns = row.columns
            return SQLRow(
                columns: columns.map(\.name),
                cells: columns.map { column in
                    switch column.data {
                    case .integer(let value): return .integer(Int64(value))
                    case .float(let value): return .real(value)
                    case .text(let value): return .text(value)
                    case .blob(let buffer): return .text(String(buffer: buffer))
                    case .null: return .null
                    }
                })
        }
    }

    private static func sqliteData(_ value: SQLValue) -> SQLiteData {
        switch value {
        case .null: return .null
        case .integer(let value): return .integer(SQLiteInt64(value))
        case .real(let value): return .float(value)
        case .text(let value): return .text(value)
        }
    }

    public func transaction<Result: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
            let job = GroupCommit.Job(
                execute: { transaction in
                    let outcome: Swift.Result<Result, any Error>
                    do {
                        _ = try await transaction.query("SAVEPOINT work", [])
                        outcome = .success(try await body(transaction))
                        _ = try await transaction.query("RELEASE work", [])
                    } catch {
                        _ = try? await transaction.query("ROLLBACK TO work", [])
                        _ = try? await transaction.query("RELEASE work", [])
                        return (failed: true, finish: { _ in continuation.resume(throwing: error) })
                    }
                    return (
                        failed: false,
                        finish: { commitError in
                            if let commitError { continuation.resume(throwing: commitError) } else { continuation.resume(with: outcome) }
                        }
                    )
                },
                fail: { continuation.resume(throwing: $0) })
            if commits.enqueue(job) {
                Task { await self.drainCommits() }
            }
        }
    }

    /// Transactions waiting for the batch being written to commit (tests order batches with it).
    var queuedTransactions: Int { commits.queued }

    /// Runs queued transactions in batches, one `BEGIN IMMEDIATE … COMMIT` (one fsync) per batch.
    private func drainCommits() async {
        typealias Finisher = @Sendable ((any Error)?) -> Void
        while let batch = commits.nextBatch() {
            let finishers: [Finisher]
            let commitError: (any Error)?
            do {
                (finishers, commitError) = try await access.run { () async throws -> ([Finisher], (any Error)?) in
                    // IMMEDIATE takes the write lock at once, so the batch cannot fail later on an upgrade.
                    _ = try await self.run("BEGIN IMMEDIATE", [])
                    let marker = Int64.random(in: 1...Int64.max)
                    _ = try await self.run("INSERT INTO temp.open_batches (batch) VALUES ($1)", [.integer(marker)])
                    let transaction = SQLiteTransaction(database: self)
                    var finishers: [Finisher] = []
                    var open = true
                    for job in batch {
                        // After some errors (a full disk, I/O) SQLite rolls the whole transaction back by itself. The
                        // batch's later jobs must not run then: outside a transaction each would commit on its own,
                        // while its caller is told the batch failed. Only a failed job can have caused that.
                        guard open else {
                            finishers.append { _ in job.fail(StorageError.query(Self.rolledBackBatch)) }
                            continue
                        }
                        let (failed, finish) = await job.execute(transaction)
                        finishers.append(finish)
                        if failed { open = await self.isOpen(batch: marker) }
                    }
                    guard open else { return (finishers, StorageError.query(Self.rolledBackBatch)) }
                    do {
                        _ = try await self.run("DELETE FROM temp.open_batches", [])
                        _ = try await self.run("COMMIT", [])
                        return (finishers, nil)
                    } catch {
                        _ = try? await self.run("ROLLBACK", [])
                        return (finishers, error)
                    }
                }
            } catch {
                // BEGIN failed, so no body ran: every caller learns why.
                for job in batch { job.fail(error) }
                continue
            }
            for finish in finishers { finish(commitError) }
        }
    }

    public func close() async throws {
        try await connection.close()
    }

    private func isOpen(batch marker: Int64) async -> Bool {
        let rows = try? await run("SELECT batch FROM temp.open_batches WHERE batch = $1", [.integer(marker)])
        return rows?.isEmpty == false
    }

    public static let rolledBackBatch =
        "SQLite rolled back the transaction this write shared with others after an error in one of them (such as a full disk); nothing of it was written: retry"
}

/// Statements inside a transaction that `SQLiteDatabase` already holds exclusively.
private struct SQLiteTransaction: SQLExecutor {
    let database: SQLiteDatabase
    var dialect: SQLDialect { .sqlite }

    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue]) async throws(StorageError) -> [SQLRow] {
        try await database.run(sql, binds)
    }
}
