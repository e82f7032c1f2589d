import Logging
import PostgresNIO
import Synchronization

/// Leadership among servers that share one PostgreSQL database: a session-level advisory lock held on a
/// connection of its own, outside the pool, so that neither the pool's traffic nor its shutdown can stall it.
/// A process that dies drops its connection and PostgreSQL frees the lock with it. The holder's name travels as
/// the connection's `application_name`, which every server can read from `pg_stat_activity`.
extension PostgresDatabase {
    /// How often the holder checks that its connection still answers, and how long an answer may take. A
    /// holder that stops hearing from PostgreSQL gives up within about three seconds.
    static let leaseHeartbeat = (interval: Duration.seconds(1), timeout: Duration.seconds(2))

    public func withLease(_ key: Int64, holder: String, _ body: @escaping @Sendable () async -> Void) async throws -> Bool {
        let connection = try await dedicatedConnection(named: holder)
        let taken: Bool
        do {
            taken = try await Self.tryLock(key, on: connection, logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        guard taken else {
            try? await connection.close()
            return false
        }
        let logger = logger
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await body() }
            group.addTask { await Self.heartbeat(connection, logger: logger) }
            // Whichever ends first ends the other: the body when its work is cancelled, the heartbeat when the
            // connection fails (and with it, perhaps, the lock).
            await group.next()
            group.cancelAll()
        }
        // Ending the session frees the lock; an unlock statement could hang on a connection that is failing.
        try? await connection.close()
        return true
    }

    /// A connection of its own, outside the pool, named `name` in `pg_stat_activity`.
    func dedicatedConnection(named name: String) async throws(StorageError) -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: .disable)
        // PostgreSQL keeps the first 63 bytes of a name; longer names are cut, never refused.
        configuration.options.additionalStartupParameters = [("application_name", String(name.utf8.prefix(63)) ?? "blastwall")]
        configuration.options.connectTimeout = .seconds(5)
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        } catch {
            throw .unreachable("\(url.redacted): \(String(reflecting: error))")
        }
    }

    public func leaseHolder(_ key: Int64) async throws -> String? {
        // A bigint advisory key shows in pg_locks as its high half (classid) and low half (objid), objsubid 1.
        let rows = try await query(
            """
            SELECT a.application_name AS holder FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid::bigint = $1 AND l.objid::bigint = $2
            """, [.integer(key >> 32), .integer(key & 0xffff_ffff)])
        return try rows.first?.optionalText("holder")
    }

    private static func tryLock(_ key: Int64, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        do {
            var taken = false
            for try await row in try await connection.query("SELECT pg_try_advisory_lock(\(key)) AS taken", logger: logger) {
                taken = try row.decode(Bool.self)
            }
            return taken
        } catch {
            throw StorageError.query("cannot take the lease \(key): \(String(reflecting: error))")
        }
    }

    /// Returns when the connection stops answering in time, or when cancelled.
    private static func heartbeat(_ connection: PostgresConnection, logger: Logger) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: leaseHeartbeat.interval)
            } catch {
                return
            }
            guard await answers(connection, within: leaseHeartbeat.timeout, logger: logger) else {
                logger.warning("the database stopped answering on the lease connection; giving up the lease")
                return
            }
        }
    }

    /// Whether `SELECT 1` comes back within `timeout`. A connection PostgreSQL has closed (a terminated backend)
    /// fails at once. A query that hangs is left behind rather than awaited: PostgresNIO can leave a query on
    /// a connection that closed under it waiting forever, so it runs in a task of its own and the first of it
    /// and the timeout answers.
    private static func answers(_ connection: PostgresConnection, within timeout: Duration, logger: Logger) async -> Bool {
        guard !connection.isClosed else { return false }
        let answered = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let first = FirstAnswer(continuation)
            Task {
                do {
                    for try await _ in try await connection.query("SELECT 1", logger: logger) {}
                    first.resume(with: true)
                } catch {
                    first.resume(with: false)
                }
            }
            Task {
                try? await Task.sleep(for: timeout)
                first.resume(with: false)
            }
        }
        if !answered { try? await connection.close() }
        return answered
    }
}

/// Resumes a continuation with the first of several answers; later ones are dropped.
private final class FirstAnswer: Sendable {
    private let continuation: Mutex<CheckedContinuation<Bool, Never>?>

    init(_ continuation: CheckedContinuation<Bool, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(with answer: Bool) {
        continuation.withLock { pending in
            pending?.resume(returning: answer)
            pending = nil
        }
    }
}
