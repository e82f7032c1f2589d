import BlastwallStorage
import BlastwallTestSupport
import Foundation
import Synchronization
import Testing

/// The lease servers compete for when they share a database: one holder at a time, named to the others, and
/// gone with the holder's connection.
@Suite struct LeaseTests {
    static let key: Int64 = 0x7465_7374_6c65_6173

    @Test func eachClaimRaisesTheEpochAndOnlyTheLatestMayWrite() async throws {
        try await TestDatabases.eachMigrated { database in
            #expect(try await LeadershipStore.current(database) == nil)
            #expect(try await LeadershipStore.claim(database, holder: "a", time: "t1") == 1)
            #expect(try await LeadershipStore.claim(database, holder: "b", time: "t2") == 2)
            #expect(try await LeadershipStore.current(database) == 2)
            try await database.transaction { try await LeadershipStore.require($0, epoch: 2) }
            let refused = await #expect(throws: LeadershipLost.self) {
                try await database.transaction { try await LeadershipStore.require($0, epoch: 1) }
            }
            #expect(refused?.description == "this server led rollouts in epoch 1, but b has led them since")
        }
    }

    /// A write that checked the epoch holds it until it commits: a new leader's claim waits, then sees it.
    @Test func onPostgreSQLAClaimWaitsForWritesOfTheEpochBefore() async throws {
        guard TestDatabases.hasPostgres() else { return }
        let (database, remove) = try await TestDatabases.make(.postgres)
        do {
            let writer = try await Self.startWriterOfEpochOne(on: database, claimingOn: database, pausingFor: .milliseconds(500))
            #expect(try await LeadershipStore.claim(database, holder: "b", time: "t") == 2)
            #expect(try await database.query("SELECT at FROM writes").count == 1, "the claim returned after the write committed")
            try await writer.value
        } catch {
            await remove()
            throw error
        }
        await remove()
    }

    /// A writer that stops between two statements of its transaction (a frozen process) would hold the epoch
    /// forever; PostgreSQL ends its session instead, so a new leader's claim goes through and the write is lost.
    @Test func onPostgreSQLAWriterFrozenInItsTransactionCannotHoldUpAClaim() async throws {
        try await Self.onTwoConnections(firstIdleInTransactionTimeout: .seconds(1)) { frozen, other in
            let writer = try await Self.startWriterOfEpochOne(on: frozen, claimingOn: other, pausingFor: .seconds(4))
            #expect(try await LeadershipStore.claim(other, holder: "b", time: "t") == 2)
            #expect(try await other.query("SELECT at FROM writes").isEmpty)
            // Thawed, its next statement fails at once rather than waiting on the closed connection.
            let ended = await #expect(throws: StorageError.self) { try await writer.value }
            #expect("\(ended.map { "\($0)" } ?? "")".contains("the database ended this session"), "\(String(describing: ended))")
            #expect(try await other.query("SELECT at FROM writes").isEmpty, "and nothing it wrote afterwards landed")
        }
    }

    /// Migrates, lets holder `a` claim epoch 1 on `claimer`, then starts a write of epoch 1 on `writer` that
    /// checks its epoch and pauses for `pause` before it inserts; returns once the check is done.
    static func startWriterOfEpochOne(on writer: any SQLDatabase, claimingOn claimer: any SQLDatabase, pausingFor pause: Duration)
        async throws -> Task<Void, any Error>
    {
        try await Migrations.apply(to: claimer, now: "t")
        try await claimer.query("CREATE TABLE writes (at TEXT)")
        _ = try await LeadershipStore.claim(claimer, holder: "a", time: "t")
        let checked = Mutex(false)
        let task = Task {
            try await writer.transaction { transaction in
                try await LeadershipStore.require(transaction, epoch: 1)
                checked.withLock { $0 = true }
                try await Task.sleep(for: pause)
                try await transaction.query("INSERT INTO writes VALUES ('by epoch 1')")
            }
        }
        try await eventually("the writer checked its epoch") { checked.withLock { $0 } }
        return task
    }

    /// Two connection pools on one new PostgreSQL database, as two servers share it; closed and dropped after.
    static func onTwoConnections(
        firstIdleInTransactionTimeout: Duration = .seconds(10), _ body: (PostgresDatabase, PostgresDatabase) async throws -> Void
    ) async throws {
        guard TestDatabases.hasPostgres() else { return }
        let (url, remove) = try await TestDatabases.makePostgres()
        let first = try await PostgresDatabase.connect(
            url: url, logger: TestDatabases.logger, idleInTransactionTimeout: firstIdleInTransactionTimeout)
        let second = try await PostgresDatabase.connect(url: url, logger: TestDatabases.logger)
        do {
            try await body(first, second)
        } catch {
            try? await first.close()
            try? await second.close()
            await remove()
            throw error
        }
        try await first.close()
        try await second.close()
        await remove()
    }

    @Test func aSQLiteDatabaseHasNoOneToShareTheLeaseWith() async throws {
        let (database, remove) = try await TestDatabases.make(.sqlite)
        let ran = Mutex(false)
        #expect(try await database.withLease(Self.key, holder: "a") { ran.withLock { $0 = true } })
        #expect(ran.withLock { $0 })
        #expect(try await database.leaseHolder(Self.key) == nil)
        await remove()
    }

    @Test func onPostgreSQLOneHoldsTheLeaseUntilItsConnectionIsGone() async throws {
        try await Self.onTwoConnections { first, second in try await Self.exercise(first, second) }
    }

    static func exercise(_ first: PostgresDatabase, _ second: PostgresDatabase) async throws {
        // The first holds the lease until its work is cancelled.
        let holding = Task {
            try await first.withLease(key, holder: "http://first.example:8080") {
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(50)) }
            }
        }
        try await eventually("the first holds the lease") { try await second.leaseHolder(key) == "http://first.example:8080" }
        #expect(try await first.leaseHolder(key) == "http://first.example:8080", "every server sees the same holder")
        let ran = Mutex(false)
        #expect(try await !second.withLease(key, holder: "second") { ran.withLock { $0 = true } }, "one holder at a time")
        #expect(!ran.withLock { $0 })

        // Its connection is ended from outside (as when the network or the database drops it): the holder's
        // work is cancelled by the heartbeat, and the lease is free for the next.
        let ended = ContinuousClock.now
        try await second.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'http://first.example:8080'")
        #expect(try await holding.value, "the holder's work ran")
        let noticed = ContinuousClock.now - ended
        // Bounds that tell "noticed" from "never noticed", not a speed: on a loaded CI machine the tasks that
        // time the heartbeat wait for a thread. Benchmarks/chaos measures how fast it is.
        #expect(noticed < .seconds(20), "the holder noticed in \(noticed)")
        try await eventually("the lease is free") { try await second.leaseHolder(key) == nil }

        let heldBySecond = Mutex<String?>(nil)
        #expect(
            try await second.withLease(key, holder: "second") {
                let holder = try? await first.leaseHolder(key)
                heldBySecond.withLock { $0 = holder }
            })
        #expect(heldBySecond.withLock { $0 } == "second")

        // Work that ends by itself gives the lease back too.
        #expect(try await first.withLease(key, holder: "first again") {})
        #expect(try await second.leaseHolder(key) == nil)

        // A database that stops answering without closing the connection (its backend stopped, as behind a
        // broken network): the heartbeat times out, the holder gives the lease up and its work is cancelled.
        let stalled = Task {
            try await first.withLease(key, holder: "stalled") {
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(50)) }
            }
        }
        try await eventually("the stalled one holds the lease") { try await second.leaseHolder(key) == "stalled" }
        let backend = try #require(
            try await second.query("SELECT pid FROM pg_stat_activity WHERE application_name = 'stalled'").first?.integer("pid"))
        try #require(kill(pid_t(backend), SIGSTOP) == 0, "the test stops the PostgreSQL backend, on this host")
        let stopped = ContinuousClock.now
        let gaveUp = await stalled.result
        let waited = ContinuousClock.now - stopped
        kill(pid_t(backend), SIGCONT)
        #expect(try gaveUp.get())
        #expect(waited < .seconds(20), "gave up after \(waited): a heartbeat interval and its timeout, and a loaded machine")
        #expect(waited > .seconds(1), "not before the heartbeat timed out")
        // The backend finds its client gone once it runs again, and PostgreSQL frees the lock.
        try await eventually("the lease is free again") { try await second.leaseHolder(key) == nil }
    }
}
