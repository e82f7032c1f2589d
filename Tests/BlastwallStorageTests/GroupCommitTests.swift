import BlastwallStorage
import BlastwallTestSupport
import Synchronization
import Testing

/// SQLite shares one transaction among concurrent writers. After some errors (a full disk, an I/O error) it
/// rolls that whole transaction back by itself; then no writer of the batch may be left half-written.
@Suite struct GroupCommitTests {
    @Test func whenSQLiteRollsABatchBackNoneOfItsWritesLand() async throws {
        let (database, remove) = try await TestDatabases.make(.sqlite)
        try await database.query("CREATE TABLE t (name TEXT)")
        // The first write holds a batch open, so the next three queue behind it and share the following one.
        let holding = Mutex(false)
        let first = Task {
            try await database.transaction { transaction in
                holding.withLock { $0 = true }
                try await Task.sleep(for: .milliseconds(300))
                try await transaction.query("INSERT INTO t VALUES ('first')")
            }
        }
        try await eventually("the first batch is open") { holding.withLock { $0 } }
        func write(_ statement: String) -> Task<Void, any Error> {
            Task {
                try await database.transaction { transaction in
                    _ = try await transaction.query(statement)
                }
            }
        }
        let before = write("INSERT INTO t VALUES ('before')")
        try await Task.sleep(for: .milliseconds(30))
        // What SQLite does by itself after a full disk, done here on purpose.
        let rollingBack = write("ROLLBACK")
        try await Task.sleep(for: .milliseconds(30))
        let after = write("INSERT INTO t VALUES ('after')")
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
