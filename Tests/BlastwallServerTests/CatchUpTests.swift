import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import BlastwallTestSupport
import Testing

/// Servers sharing a database take in each other's writes by reading the audit events since their last look,
/// reloading only what those events touched.
@Suite struct CatchUpTests {
    @Test func eventsReloadOnlyWhatTheyTouch() {
        typealias State = ControlPlane.CachedState
        #expect(State.affected(by: []) == [])
        #expect(State.affected(by: ["rollout.step", "drill.created", "custom.deploy"]) == [], "flags are read every time anyway")
        #expect(State.affected(by: ["switch.flipped"]) == .switches)
        #expect(State.affected(by: ["identity.revoked"]) == [.identities, .gates])
        #expect(State.affected(by: ["freeze.created", "approval.added"]) == [.freezes, .gates])
        #expect(State.affected(by: ["change.submitted", "override.approved"]) == .gates)
        #expect(State.affected(by: ["something.new"]) == .all, "an unknown kind of event reloads everything")
    }

    @Test(arguments: TestDatabases.kinds) func aSecondControlPlaneCatchesUpWithTheFirst(database kind: TestDatabases.Kind) async throws {
        let (database, remove) = try await TestDatabases.make(kind)
        let first = ControlPlane(database: database, configuration: Configuration(), logger: TestDatabases.logger)
        try await first.start()
        let root = try first.authenticate(token: try await first.bootstrap(adminName: "root").token)
        let second = ControlPlane(database: database, configuration: Configuration(), logger: TestDatabases.logger)
        try await second.start()

        // A switch written behind the audit log's back, then only a custom event: nothing says switches changed.
        try await database.transaction { transaction in
            _ = try await SwitchStore.create(transaction, name: "unseen", actor: "test", time: "2026-11-23T12:00:00.000Z")
        }
        _ = try await first.appendAuditEvent(action: "custom.deploy", subject: "web", payload: .object([]), by: root)
        try await second.catchUp()
        #expect(second.killSwitch(named: "unseen") == nil, "a custom event reloads no switches")

        // A switch created through the first control plane: its event makes the second reload switches.
        _ = try await first.createSwitch(named: "checkout", by: root)
        let token = try await first.createIdentity(Principal(name: "deployer", kind: .bot, role: .ci), by: root).token
        #expect(throws: ControlPlaneError.self) { try second.authenticate(token: token) }
        try await second.catchUp()
        #expect(second.killSwitch(named: "checkout") != nil && second.killSwitch(named: "unseen") != nil)
        #expect(try second.authenticate(token: token).name == "deployer")
        await remove()
    }

    /// On PostgreSQL a write's commit notifies the other servers, which take it in at once rather than at
    /// their next look: here they look only every ten minutes, so only the notification can bring it.
    @Test func aNotifiedServerTakesInAWriteAtOnce() async throws {
        guard TestDatabases.hasPostgres() else { return }
        let (database, remove) = try await TestDatabases.make(.postgres)
        let first = ControlPlane(database: database, configuration: Configuration(), logger: TestDatabases.logger)
        try await first.start()
        let root = try first.authenticate(token: try await first.bootstrap(adminName: "root").token)
        let second = ControlPlane(database: database, configuration: Configuration(), logger: TestDatabases.logger)
        try await second.start()
        let following = Task { await second.followOtherServers(pollingEvery: .seconds(600)) }
        do {
            // A switch a round until the second has one: those made before it listens are only read at its
            // next look. New switches rather than flips of one, so that one that arrives late still counts
            // (a flip seen late looks like the next flip not seen). Thirty seconds leave room for a loaded
            // test run to open the listening connection; without notifications they would wait ten minutes.
            var probes: [String] = []
            try await eventually("the second server takes in a switch the first created", within: .seconds(30)) {
                probes.append("probe-\(probes.count)")
                _ = try await first.createSwitch(named: probes[probes.count - 1], by: root)
                try await Task.sleep(for: .milliseconds(200))
                return probes.contains { second.killSwitch(named: $0) != nil }
            }
            _ = try await first.createSwitch(named: "checkout", by: root)
            try await eventually("the switch created once it listens") { second.killSwitch(named: "checkout") != nil }
            let enabled = try #require(second.killSwitch(named: "checkout")?.enabled as Bool?)
            // Listening now: each later write arrives by itself.
            _ = try await first.flipSwitch(named: "checkout", enabled: !enabled, reason: "test", by: root)
            try await eventually("the next flip") { second.killSwitch(named: "checkout")?.enabled == !enabled }
            try await first.setPercentage(40, of: "checkout-v2")
            try await eventually("and the flag the leader moved") { try await second.percentage(of: "checkout-v2") == 40 }
        } catch {
            following.cancel()
            await following.value
            await remove()
            throw error
        }
        following.cancel()
        await following.value
        await remove()
    }
}
