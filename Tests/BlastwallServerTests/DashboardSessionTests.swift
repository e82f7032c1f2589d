import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import BlastwallTestSupport
import CEL
import Synchronization
import Testing

/// Dashboard sessions on a clock the test moves: idle and absolute ends, sign-out, revocation, and pruning.
@Suite struct DashboardSessionTests {
    final class Clock: Sendable {
        let seconds = Mutex(1_796_000_000.0)
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
        var text: String { Timestamp(nanoseconds: Int128(seconds.withLock { $0 } * 1e9))!.rfc3339 }
    }

    @Test(arguments: TestDatabases.kinds) func sessionsEndWhenIdleAtTheirLimitAtSignOutAndAreThenPruned(database kind: TestDatabases.Kind)
        async throws
    {
        let (database, remove) = try await TestDatabases.make(kind)
        let clock = Clock()
        let controlPlane = ControlPlane(
            database: database, configuration: Configuration(), logger: TestDatabases.logger, now: { clock.text })
        try await controlPlane.start()
        let token = try await controlPlane.bootstrap(adminName: "root").token
        let lifetime = ControlPlane.SessionLifetime(idle: 3_600, absolute: 3 * 3_600)

        let (kept, _) = try await controlPlane.signIn(token: token, lifetime: lifetime)
        let (idle, _) = try await controlPlane.signIn(token: token, lifetime: lifetime)
        // Used every 50 minutes, one stays; the other, idle for longer than an hour, ends.
        for _ in 0..<2 {
            clock.advance(50 * 60)
            #expect(try await controlPlane.session(cookie: kept, lifetime: lifetime) != nil)
        }
        #expect(try await controlPlane.session(cookie: idle, lifetime: lifetime) == nil)
        // However busy, a session ends three hours after sign-in.
        for _ in 0..<2 {
            clock.advance(50 * 60)
            _ = try await controlPlane.session(cookie: kept, lifetime: lifetime)
        }
        clock.advance(30 * 60)
        #expect(try await controlPlane.session(cookie: kept, lifetime: lifetime) == nil)

        let (signedOut, _) = try await controlPlane.signIn(token: token, lifetime: lifetime)
        try await controlPlane.signOut(cookie: signedOut)
        #expect(try await controlPlane.session(cookie: signedOut, lifetime: lifetime) == nil)
        #expect(try await controlPlane.session(cookie: "bw_forged", lifetime: lifetime) == nil)

        // A day after they ended, the three are forgotten; the audit log keeps their start and end.
        #expect(try await controlPlane.pruneSessions() == 0)
        clock.advance(25 * 3_600)
        #expect(try await controlPlane.pruneSessions() == 3)
        let events = try await AuditLog.search(database, AuditLog.Filter(subject: "identity/root"), before: nil, limit: 20)
        #expect(events.filter { $0.action == "session.started" }.count == 3 && events.contains { $0.action == "session.ended" })
        try await database.close()
        await remove()
    }
}
