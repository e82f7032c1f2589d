import BlastwallAudit
import BlastwallCore
import BlastwallStorage
import BlastwallTestSupport
import Testing

@Suite struct AuditLogTests {
    func fill(_ database: any SQLDatabase, count: Int) async throws {
        for index in 1...count {
            _ = try await database.transaction { transaction in
                try await AuditLog.append(
                    transaction, time: "2026-11-23T12:00:00.\(String(format: "%03d", index % 1000))Z",
                    actor: index % 2 == 0 ? "dana" : "ci",
                    action: index % 3 == 0 ? "approval.added" : "change.submitted", subject: "change/\(index % 4)",
                    payload: .object([
                        ("services", .array([.string(index % 2 == 0 ? "payments" : "web")])), ("provenance", .string("human")),
                    ]))
            }
        }
    }

    @Test func appendsChainAndVerify() async throws {
        try await TestDatabases.eachMigrated { database in
            try await fill(database, count: 30)
            let result = try await AuditLog.verify(database, key: nil, pageSize: 7)
            #expect(result.isIntact, "\(result.problem ?? "")")
            #expect(result.events == 30)
        }
    }

    /// Many writers at once (SQLite commits them in groups): every transaction that returned is there, every
    /// one that threw left nothing behind, and the chain has no fork or gap.
    @Test func concurrentTransactionsCommitOrRollBackOneByOne() async throws {
        struct Refused: Error {}
        try await TestDatabases.eachMigrated { database in
            let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for index in 0..<200 {
                    group.addTask {
                        do {
                            try await database.transaction { transaction in
                                try await AuditLog.append(
                                    transaction, time: "2026-11-23T12:00:00.000Z", actor: "writer-\(index)", action: "custom.load",
                                    subject: "load/\(index)", payload: .null)
                                if index % 7 == 0 { throw Refused() }
                            }
                            return (index, true)
                        } catch is Refused {
                            return (index, false)
                        }
                    }
                }
                var outcomes: [Int: Bool] = [:]
                for try await (index, committed) in group { outcomes[index] = committed }
                return outcomes
            }
            let rows = try await database.query("SELECT actor FROM audit_events")
            let actors = Set(try rows.map { try $0.text("actor") })
            #expect(actors == Set(outcomes.filter(\.value).map { "writer-\($0.key)" }))
            #expect(actors.count == 200 - (0..<200).filter { $0 % 7 == 0 }.count)
            let verification = try await AuditLog.verify(database, key: nil)
            #expect(verification.isIntact, "\(verification.problem ?? "")")
        }
    }

    @Test func theDatabaseRefusesEditsAndDeletesOfEvents() async throws {
        try await TestDatabases.eachMigrated { database in
            try await fill(database, count: 3)
            await #expect(throws: StorageError.self) {
                try await database.query("UPDATE audit_events SET actor = 'mallory' WHERE sequence = 2")
            }
            await #expect(throws: StorageError.self) { try await database.query("DELETE FROM audit_events WHERE sequence = 2") }
        }
    }

    @Test func theDatabaseRefusesEditsAndDeletesOfCheckpoints() async throws {
        try await TestDatabases.eachMigrated { database in
            try await fill(database, count: 3)
            _ = try await AuditLog.checkpoint(database, key: SigningKey(), time: "2026-11-23T13:00:00.000Z")
            await #expect(throws: StorageError.self) {
                try await database.query("UPDATE audit_checkpoints SET hash = 'forged' WHERE sequence = 3")
            }
            await #expect(throws: StorageError.self) { try await database.query("DELETE FROM audit_checkpoints") }
            #expect(try await AuditLog.checkpoints(database).count == 1)
        }
    }

    @Test func directEditsAndDeletionsAreCaught() async throws {
        try await TestDatabases.eachMigrated { database in
            try await fill(database, count: 10)
            // Someone with access to the database file removes the guard and rewrites history.
            try await Self.dropAppendOnlyGuard(database)
            try await database.query("UPDATE audit_events SET actor = 'mallory' WHERE sequence = 4")
            #expect(
                try await AuditLog.verify(database, key: nil).problem
                    == "event 4: its content does not match its hash (the event was edited)")
        }
        try await TestDatabases.eachMigrated { database in
            try await fill(database, count: 10)
            try await Self.dropAppendOnlyGuard(database)
            try await database.query("DELETE FROM audit_events WHERE sequence = 6")
            #expect(try await AuditLog.verify(database, key: nil).problem?.hasPrefix("event 6: missing") == true)
        }
    }

    @Test func signedCheckpointsCatchATruncatedTail() async throws {
        try await TestDatabases.eachMigrated { database in
            let key = SigningKey()
            try await fill(database, count: 12)
            let checkpoint = try #require(try await AuditLog.checkpoint(database, key: key, time: "2026-11-23T13:00:00.000Z"))
            #expect(checkpoint.sequence == 12)
            let verifier = VerificationKey(key.privateKey.publicKey)
            #expect(try await AuditLog.verify(database, key: verifier).isIntact)
            try await Self.dropAppendOnlyGuard(database)
            try await database.query("DELETE FROM audit_events WHERE sequence > 9")
            #expect(
                try await AuditLog.verify(database, key: verifier).problem
                    == "checkpoint at event 12: the log ends at event 9 (events were removed from the end)")
        }
    }

    @Test func searchFiltersAndPages() async throws {
        try await TestDatabases.eachMigrated { database in
            try await fill(database, count: 24)
            let byActor = try await AuditLog.search(database, .init(actor: "dana"), before: nil, limit: 100)
            #expect(byActor.count == 12 && byActor.allSatisfy { $0.actor == "dana" })
            #expect(byActor.map(\.sequence) == byActor.map(\.sequence).sorted(by: >), "newest first")
            let page = try await AuditLog.search(database, .init(action: "approval.added"), before: nil, limit: 3)
            let next = try await AuditLog.search(database, .init(action: "approval.added"), before: page.last?.sequence, limit: 3)
            #expect(page.map(\.sequence) == [24, 21, 18] && next.map(\.sequence) == [15, 12, 9])
            let byService = try await AuditLog.search(database, .init(subject: "change/0", service: "payments"), before: nil, limit: 100)
            #expect(byService.count == 6)
        }
    }

    static func dropAppendOnlyGuard(_ database: any SQLDatabase) async throws {
        switch database.dialect {
        case .sqlite:
            try await database.query("DROP TRIGGER audit_events_no_update")
            try await database.query("DROP TRIGGER audit_events_no_delete")
        case .postgres:
            try await database.query("DROP TRIGGER audit_events_append_only ON audit_events")
        }
    }
}
