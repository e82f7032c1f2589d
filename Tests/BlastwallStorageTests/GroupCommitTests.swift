import BlastwallTestSupport
import Synchronization
import Testing

@testable import BlastwallStorage

/// SQLite shares one transaction among concurrent writers. After some errors (a full disk, an I/O error) it
/// rolls that whole transaction back by itself; then no writer of the batch may be left half-written.
@Suite struct GroupCommitTests {
    @Test func whenSQLiteRollsABatchBackNoneOfItsWritesLand() async throws {
        let (database, remove) = try await TestDatabases.make(.sqlite)
        let sqlite = try #require(database as? SQLiteDatabase)
        try await database.query("CREATE TABLE t (name TEXT)")
        // The first write holds its batch open until the next three have queued, in order, behind it: they
        // then share the following batch, however slowly the test's tasks are scheduled.
        let holding = Mutex(false)
        let released = Mutex(false)
        let first = Task {
            try await database.transaction { transaction in
                holding.withLock { $0 = true }
                while !released.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
                try await transaction.query("INSERT INTO t VALUES ('first')")
            }
        }
        try await eventually("the first batch is open") { holding.withLock { $0 } }
        var writers: [Task<Void, any Error>] = []
        // The middle one, ROLLBACK, is what SQLite does by itself after a full disk, done here on purpose.
        for statement in ["INSERT INTO t VALUES ('before')", "ROLLBACK", "INSERT INTO t VALUES ('after')"] {
            writers.append(
                Task {
                    try await database.transaction { transaction in
                        _ = try await transaction.query(statement)
                    }
                })
            let count = writers.count
            try await eventually("\(statement) has queued") { sqlite.queuedTransactions == count }
        }
        released.withLock { $0 = true }
        let (before, rollingBack, after) = (writers[0], writers[1], writers[2])
        try await first.value

        for (name, writer) in [("before", before), ("rolling back", rollingBack), ("after", after)] {
            let outcome = await writer.result
            #expect(throws: (any Error).self, "\(name) is told it failed") { try outcome.get() }
        }
        let afterOutcome = await after.result
        #expect(throws: StorageError.query(SQLiteDatabase.rolledBackBatch)) { try afterOutcome.get() }
        let rows = try await database.query("SELECT name FROM t ORDER BY name").map { try $0.text("name") }
        #expect(rows == ["first"], "nothing of the rolled-back batch is written, least of all what ran after the rollback")
        // The database goes on working.
        try await database.transaction { transaction in
            _ = try await transaction.query("INSERT INTO t VALUES ('later')")
        }
        #expect(try await database.query("SELECT count(*) AS n FROM t").first?.integer("n") == 2)
        await remove()
    }
}
