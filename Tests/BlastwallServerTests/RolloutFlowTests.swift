import BlastwallControlPlane
import BlastwallCore
import BlastwallDelivery
import BlastwallServer
import BlastwallStorage
import BlastwallTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// Rollouts through the API with the flags router and pushed metrics: real controller, real storage, real time.
@Suite struct RolloutFlowTests {
    /// Ticks every 0.2 s. The inconclusive limit is long: on a loaded machine the test's pushes can lag by
    /// seconds, which must not read as a canary without traffic.
    static let fast = analysis(inconclusiveLimit: "30s")

    static func analysis(inconclusiveLimit: String) -> String {
        #""analysis": {"interval": "0.2s", "minimum_requests": 20, "inconclusive": {"limit": "\#(inconclusiveLimit)"}}"#
    }

    static func body(service: String, steps: String, extra: String = "", change: Int64? = nil, analysis: String = fast) -> String {
        RolloutBodies.flags(service: service, change: change, flag: "\(service)-v2", steps: steps, extra: ", \(analysis)" + extra)
    }

    /// Pushes a second's worth of traffic: 10 canary and 190 baseline requests with the given errors.
    static func push(_ client: any TestClientProtocol, rollout: Int, token: String?, canaryErrors: Int, baselineErrors: Int = 0)
        async throws
        -> TestResponse
    {
        try await client.send(
            .post, "/api/v1/rollouts/\(rollout)/observations", token: token,
            json: #"{"canary": {"requests": 10, "errors": \#(canaryErrors)}, "baseline": {"requests": 190, "errors": \#(baselineErrors)}}"#)
    }

    /// Starts a drill of `service` through the API and returns its id.
    static func startDrill(
        _ client: any TestClientProtocol, token: String?, service: String, steps: String, analysis: String = fast
    ) async throws -> Int {
        let created = try await client.send(
            .post, "/api/v1/drills", token: token, json: body(service: service, steps: steps, analysis: analysis))
        return try #require(created.json?["id"] as? Int, "\(created.text)")
    }

    static func waitFor(
        _ client: any TestClientProtocol, rollout: Int, token: String?, seconds: Double = 45,
        while pushing: ((Int) async throws -> Void)? = nil,
        until done: ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        var round = 0
        while Date() < deadline {
            try await pushing?(round)
            round += 1
            let current = try #require(try await client.send(.get, "/api/v1/rollouts/\(rollout)", token: token).json)
            if done(current) { return current }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("rollout \(rollout) did not get there in \(seconds) s")
        return try #require(try await client.send(.get, "/api/v1/rollouts/\(rollout)", token: token).json)
    }

    @Test(arguments: TestDatabases.kinds) func aHealthyCanaryWalksThroughItsStepsAndIsPromoted(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database)
        let token = fixture.tokens["engineer"]
        try await fixture.testAndCleanUp { client in
            let created = try await client.send(
                .post, "/api/v1/drills", token: token,
                json: Self.body(service: "checkout", steps: #"[{"weight": 10, "duration": "0.5s"}, {"weight": 50, "duration": "0.5s"}]"#))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json?["id"] as? Int)
            let flag = try await client.send(.get, "/api/v1/flags/checkout-v2/evaluate?key=user-7", token: token)
            #expect(flag.json?["percentage"] as? Int == 10)
            let done = try await Self.waitFor(
                client, rollout: id, token: token,
                while: { round in
                    _ = try await Self.push(client, rollout: id, token: token, canaryErrors: 0, baselineErrors: round % 3 == 0 ? 1 : 0)
                },
                until: { $0["phase"] as? String == "promoted" && $0["applied_weight"] as? Int == 100 })
            #expect(done["canary_weight"] as? Int == 100)
            let after = try await client.send(.get, "/api/v1/flags/checkout-v2/evaluate?key=user-7", token: token)
            #expect(after.json?["percentage"] as? Int == 100 && after.json?["on"] as? Bool == true)
            let ticks = try #require(
                try await client.send(.get, "/api/v1/rollouts/\(id)/ticks", token: token).json?["items"] as? [[String: Any]])
            #expect(ticks.contains { $0["verdict"] as? String == "pass" })
            #expect(!ticks.contains { $0["verdict"] as? String == "fail" })
            let audit = try await client.send(.get, "/api/v1/audit/events?subject=rollout/\(id)", token: fixture.tokens["admin"])
            for action in ["drill.created", "drill.started", "drill.step", "drill.promoted"] {
                #expect(audit.text.contains(action), "\(action) in the audit log")
            }
        }
    }

    @Test(arguments: TestDatabases.kinds) func aFaultyCanaryIsRolledBackWithinTicksAndTheWebhookIsSigned(database: TestDatabases.Kind)
        async throws
    {
        let receiver = try await WebhookReceiver.start()
        let fixture = try await ServerFixture.make(database: database)
        let controller = RolloutController(
            controlPlane: fixture.controlPlane, logger: TestDatabases.logger, environment: ["HOOK_SECRET": "s3cret"])
        let token = fixture.tokens["engineer"]
        let notify = #", "notify": {"url": "http://127.0.0.1:\#(receiver.port)/hook", "secret_env": "HOOK_SECRET"}"#
        let app = Application(
            router: BlastwallRouter.make(controlPlane: fixture.controlPlane, controller: controller, options: fixture.options))
        try await app.test(.router) { client in
            let created = try await client.send(
                .post, "/api/v1/drills", token: token,
                json: Self.body(service: "checkout", steps: #"[{"weight": 10, "duration": "1h"}]"#, extra: notify))
            let id = try #require(created.json?["id"] as? Int, "\(created.text)")
            let done = try await Self.waitFor(
                client, rollout: id, token: token,
                while: { _ in _ = try await Self.push(client, rollout: id, token: token, canaryErrors: 2) },
                until: { $0["phase"] as? String == "rolled_back" && $0["applied_weight"] as? Int == 0 })
            #expect(done["rollback_cause"] as? String == "analysis_failed")
            #expect((done["reason"] as? String)?.contains("error rate") == true)
            // Within a few rounds of the test's traffic (10 canary requests a round, 4 of 20 are errors by the
            // second): counted in requests, as a loaded machine stretches wall-clock time.
            let canaryRequests = try #require(
                ((done["evidence"] as? [String: Any])?["errors"] as? [String: Any])?["canary_requests"] as? Int)
            #expect(canaryRequests <= 100, "detected after \(canaryRequests) canary requests")
            #expect(done["time_to_detect_s"] as? Double != nil)
            #expect(done["time_to_recover_s"] as? Double != nil)
            let flag = try await client.send(.get, "/api/v1/flags/checkout-v2/evaluate?key=anyone", token: token)
            #expect(flag.json?["percentage"] as? Int == 0 && flag.json?["on"] as? Bool == false)
            let evidence = try #require(done["evidence"] as? [String: Any])
            let errors = try #require(evidence["errors"] as? [String: Any])
            #expect((errors["log_evidence"] as? Double ?? 0) >= (errors["log_threshold"] as? Double ?? 1))
            // Ended: pushes are refused.
            #expect(try await Self.push(client, rollout: id, token: token, canaryErrors: 0).status == .conflict)
        }
        await controller.stop()
        let delivery = try await receiver.waitForDelivery()
        #expect(delivery.signature == RollbackWebhook.signature(of: Array(delivery.body.utf8), secret: Array("s3cret".utf8)))
        #expect(delivery.body.contains(#""cause":"analysis_failed""#))
        await receiver.stop()
        await fixture.cleanUp()
    }

    @Test(arguments: TestDatabases.kinds) func withoutEvidenceTheRolloutRollsBackAfterTheLimit(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database)
        let token = fixture.tokens["engineer"]
        try await fixture.testAndCleanUp { client in
            let id = try await Self.startDrill(
                client, token: token, service: "quiet", steps: #"[{"weight": 5, "duration": "0s"}]"#,
                analysis: Self.analysis(inconclusiveLimit: "3s"))
            let done = try await Self.waitFor(client, rollout: id, token: token, until: { $0["phase"] as? String == "rolled_back" })
            #expect(done["rollback_cause"] as? String == "no_evidence")
            #expect((done["rollback_reason"] as? String)?.contains("no evidence for") == true)
        }
    }

    @Test(arguments: TestDatabases.kinds) func commandsPauseResumePromoteAbortAndUndo(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database)
        let token = fixture.tokens["engineer"]
        try await fixture.testAndCleanUp { client in
            let steps = #"[{"weight": 5, "duration": "1h"}]"#
            let first = try #require(
                try await client.send(.post, "/api/v1/drills", token: token, json: Self.body(service: "cart", steps: steps)).json?["id"]
                    as? Int)
            #expect(try await client.send(.post, "/api/v1/rollouts/\(first)/pause", token: token).json?["phase"] as? String == "paused")
            let again = try await client.send(.post, "/api/v1/rollouts/\(first)/pause", token: token)
            #expect(again.status == .conflict && again.text.contains("cannot pause a rollout that is paused"))
            #expect(
                try await client.send(.post, "/api/v1/rollouts/\(first)/resume", token: token).json?["phase"] as? String == "progressing")
            let second = try await client.send(.post, "/api/v1/drills", token: token, json: Self.body(service: "cart", steps: steps))
            #expect(second.status == .conflict && second.text.contains("is still progressing"))
            let promoted = try #require(try await client.send(.post, "/api/v1/rollouts/\(first)/promote", token: token).json)
            #expect(promoted["phase"] as? String == "promoted" && promoted["canary_weight"] as? Int == 100)
            let undone = try #require(try await client.send(.post, "/api/v1/services/cart/undo", token: token).json)
            #expect(undone["phase"] as? String == "rolled_back" && undone["rollback_cause"] as? String == "undone")
            let flag = try await client.send(.get, "/api/v1/flags/cart-v2/evaluate?key=k", token: token)
            #expect(flag.json?["percentage"] as? Int == 0)
            // A person's undo detected nothing: no time to detect is reported, only what was measured.
            #expect(undone["time_to_detect_s"] == nil || undone["time_to_detect_s"] is NSNull, "\(undone)")
            // Undo acts on the service's latest rollout, which is rolled back now: nothing left to undo.
            let twice = try await client.send(.post, "/api/v1/services/cart/undo", token: token)
            #expect(twice.status == .conflict && twice.text.contains("is already rolled back: v1 serves all traffic"), "\(twice.text)")
            let viewer = try await client.send(.post, "/api/v1/services/cart/undo", token: fixture.tokens["viewer"])
            #expect(viewer.status == .forbidden)
            #expect(try await client.send(.post, "/api/v1/services/nothing/undo", token: token).status == .notFound)
        }
    }

    /// A drill ends by sending all traffic to its stable version: after v2 was promoted, a drill whose stable is
    /// v1 is refused with the reason, and one whose stable is the live v2 may run.
    @Test func aDrillNeverMovesTrafficOffTheLiveVersion() async throws {
        let fixture = try await ServerFixture.make(database: .sqlite)
        let token = fixture.tokens["engineer"]
        try await fixture.testAndCleanUp { client in
            let steps = #"[{"weight": 5, "duration": "1h"}]"#
            let id = try await Self.startDrill(client, token: token, service: "cart", steps: steps)
            #expect(try await client.send(.post, "/api/v1/rollouts/\(id)/promote", token: token).json?["phase"] as? String == "promoted")
            let unsafe = try await client.send(.post, "/api/v1/drills", token: token, json: Self.body(service: "cart", steps: steps))
            #expect(unsafe.status == .conflict, "\(unsafe.text)")
            #expect(unsafe.text.contains("cart serves v2 (rollout #\(id) promoted it), but this drill's stable is v1"), "\(unsafe.text)")
            let safe = Self.body(service: "cart", steps: steps).replacingOccurrences(
                of: #""version": "v2", "stable": "v1""#, with: #""version": "v3", "stable": "v2""#)
            #expect(try await client.send(.post, "/api/v1/drills", token: token, json: safe).status == .created)
        }
    }

    /// A router whose weight changed behind the rollout's back (an HAProxy reload, a person at the load
    /// balancer, a late call from a former leader) is read back within ten ticks and set again, on the record:
    /// while the rollout runs, and for a while after it was rolled back.
    @Test(arguments: TestDatabases.kinds) func aRouterThatDriftedIsSetBack(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database)
        let token = fixture.tokens["engineer"]
        try await fixture.testAndCleanUp { client in
            let id = try await Self.startDrill(client, token: token, service: "cart", steps: #"[{"weight": 5, "duration": "1h"}]"#)
            let healthy: (Int) async throws -> Void = { _ in _ = try await Self.push(client, rollout: id, token: token, canaryErrors: 0) }
            _ = try await Self.waitFor(client, rollout: id, token: token, while: healthy) { $0["applied_weight"] as? Int == 5 }
            try await fixture.controlPlane.setPercentage(60, of: "cart-v2")
            #expect(
                try await Self.flag("cart-v2", of: client, token: token, becomes: 5, while: healthy), "set back to the rollout's weight")

            _ = try await client.send(.post, "/api/v1/rollouts/\(id)/abort", token: token)
            #expect(try await Self.flag("cart-v2", of: client, token: token, becomes: 0))
            try await fixture.controlPlane.setPercentage(60, of: "cart-v2")
            #expect(try await Self.flag("cart-v2", of: client, token: token, becomes: 0), "watched after the rollback too")

            let audit = try await client.send(.get, "/api/v1/audit/events?subject=rollout/\(id)", token: fixture.tokens["admin"])
            #expect(audit.text.contains("the router carried 60% for the canary instead of 5%; set back to 5%"), "\(audit.text)")
            #expect(audit.text.contains("the router carried 60% for the canary instead of 0%; set back to 0%"), "\(audit.text)")
            #expect(audit.text.contains("drill.router_drift"))
        }
    }

    /// The next rollout of a service takes its router over from the watch of the last one, which must not
    /// mistake the new weight for drift.
    @Test func aNewRolloutEndsTheWatchOfTheLastOne() async throws {
        let fixture = try await ServerFixture.make(database: .sqlite)
        let token = fixture.tokens["engineer"]
        try await fixture.testAndCleanUp { client in
            let steps = #"[{"weight": 5, "duration": "1h"}]"#
            let first = try await Self.startDrill(client, token: token, service: "cart", steps: steps)
            _ = try await client.send(.post, "/api/v1/rollouts/\(first)/abort", token: token)
            #expect(try await Self.flag("cart-v2", of: client, token: token, becomes: 0))
            let second = try await Self.startDrill(client, token: token, service: "cart", steps: steps)
            let healthy: (Int) async throws -> Void = { _ in _ = try await Self.push(client, rollout: second, token: token, canaryErrors: 0)
            }
            // Three of the old watch's checks (every ten ticks of 0.2 s) would have come and gone by now.
            let deadline = ContinuousClock.now + .seconds(7)
            while ContinuousClock.now < deadline {
                try await healthy(0)
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(try await Self.flag("cart-v2", of: client, token: token, becomes: 5))
            let audit = try await client.send(.get, "/api/v1/audit/events?subject=rollout/\(first)", token: fixture.tokens["admin"])
            #expect(!audit.text.contains("router_drift"), "\(audit.text)")
            _ = try await client.send(.post, "/api/v1/rollouts/\(second)/abort", token: token)
        }
    }

    /// Whether the flag's percentage reaches `percentage` within 15 s, doing `pushing` meanwhile.
    static func flag(
        _ name: String, of client: any TestClientProtocol, token: String?, becomes percentage: Int,
        while pushing: ((Int) async throws -> Void)? = nil
    ) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(45)
        while ContinuousClock.now < deadline {
            try await pushing?(0)
            let flag = try await client.send(.get, "/api/v1/flags/\(name)/evaluate?key=k", token: token)
            if flag.json?["percentage"] as? Int == percentage { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// On PostgreSQL a leader whose session ended unnoticed may still run; once another server has claimed a
    /// newer epoch, its rollout writes are refused, its commands answer 503, and it steps down (here, with no
    /// one else competing, it wins again with a newer epoch and carries on from storage).
    @Test func aLeaderFencedByANewerEpochWritesNothingAndStepsDown() async throws {
        guard TestDatabases.hasPostgres() else { return }
        let fixture = try await ServerFixture.make(database: .postgres)
        let token = fixture.tokens["engineer"]
        let database = fixture.controlPlane.database
        try await fixture.controller.start(electingAs: "http://first.example")
        try await eventually("the controller leads") { fixture.controller.isLeading }
        try await fixture.testAndCleanUp { client in
            let id = try await Self.startDrill(client, token: token, service: "cart", steps: #"[{"weight": 5, "duration": "1h"}]"#)
            func storedPhase() async throws -> String? {
                try await database.query("SELECT phase FROM rollouts WHERE id = $1", [.integer(Int64(id))]).first?.text("phase")
            }
            try await eventually("the rollout runs") { try await storedPhase() == "progressing" }
            let firstEpoch = try #require(try await LeadershipStore.current(database))

            // Another server wins an election behind this one's back.
            _ = try await LeadershipStore.claim(database, holder: "http://second.example", time: ControlPlane.clock())
            let paused = try await client.send(.post, "/api/v1/rollouts/\(id)/pause", token: token)
            #expect(paused.status == .serviceUnavailable, "\(paused.text)")
            #expect(paused.text.contains("an election is under way"), "never names itself as the leader to forward to")
            #expect(try await storedPhase() == "progressing", "the fenced pause was not stored")

            try await eventually("it steps down") { !fixture.controller.isLeading }
            try await eventually("and, alone, leads again in a newer epoch") {
                let latest = try await LeadershipStore.current(database) ?? 0
                return fixture.controller.isLeading && latest > firstEpoch + 1
            }
            #expect(try await client.send(.post, "/api/v1/rollouts/\(id)/pause", token: token).status == .ok)
            #expect(try await storedPhase() == "paused")
            _ = try await client.send(.post, "/api/v1/rollouts/\(id)/abort", token: token)
        }
    }

    /// A command that reaches the leader before it picked up a rollout another server stored (its notification
    /// missed, its next look not yet due) starts the rollout first, rather than leaving it pending for good.
    @Test func aCommandBeforeTheLeaderPicksUpAStoredRolloutStartsItFirst() async throws {
        try await withRolloutStoredByAFollower(leaderListens: false) { stored, leader, fixture, engineer in
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await fixture.controlPlane.rollout(id: stored.id, by: engineer).state.phase == .pending, "not picked up yet")
            let paused = try await leader.command(.pause, rollout: stored.id, by: engineer)
            #expect(paused.state.phase == .paused)
        }
    }

    /// A rollout another server stored notifies the leader, which starts it at once rather than at its next
    /// poll: here the leader polls every ten minutes, so only the notification can start it.
    @Test func theLeaderIsNotifiedOfARolloutAnotherServerStored() async throws {
        try await withRolloutStoredByAFollower(leaderListens: true) { stored, _, fixture, engineer in
            try await eventually("the leader starts it") {
                try await fixture.controlPlane.rollout(id: stored.id, by: engineer).state.phase != .pending
            }
        }
    }

    /// Two controllers on one PostgreSQL database: a leader that looks for stored rollouts only every ten
    /// minutes, and a follower that has just stored one; the rollout is aborted afterwards.
    private func withRolloutStoredByAFollower(
        leaderListens: Bool,
        _ body: (RolloutRecord, RolloutController, ServerFixture, Principal) async throws -> Void
    ) async throws {
        guard TestDatabases.hasPostgres() else { return }
        let fixture = try await ServerFixture.make(database: .postgres)
        let leader = RolloutController(
            controlPlane: fixture.controlPlane, logger: TestDatabases.logger, pollInterval: .seconds(600),
            listensForNewRollouts: leaderListens)
        let follower = RolloutController(controlPlane: fixture.controlPlane, logger: TestDatabases.logger)
        func stopAll() async {
            await follower.stop()
            await leader.stop()
            await fixture.cleanUp()
        }
        do {
            try await leader.start(electingAs: "http://leader.example")
            try await eventually("the first controller leads") { leader.isLeading }
            try await follower.start(electingAs: "http://follower.example")
            #expect(!follower.isLeading)
            let engineer = try fixture.controlPlane.authenticate(token: try #require(fixture.tokens["engineer"]))
            let spec = try RolloutSpecParser.parse(Self.body(service: "cart", steps: #"[{"weight": 5, "duration": "1h"}]"#), file: "test")
            let stored = try await follower.create(spec, drill: true, by: engineer)
            #expect(stored.state.phase == .pending)
            try await body(stored, leader, fixture, engineer)
            _ = try await leader.command(.abort, rollout: stored.id, by: engineer)
        } catch {
            await stopAll()
            throw error
        }
        await stopAll()
    }

    /// `serve --allow-outbound`: a rollout whose Prometheus, webhook or HAProxy lies outside the list is refused
    /// before the server connects anywhere.
    @Test func rolloutsReachOnlyTheHostsTheServerAllows() async throws {
        let allowlist = try OutboundAllowlist(parsing: ["hooks.internal"])
        let fixture = try await ServerFixture.make(database: .sqlite, options: ServerOptions(outboundAllowlist: allowlist))
        let token = fixture.tokens["engineer"]
        try await fixture.testAndCleanUp { client in
            let steps = #"[{"weight": 5, "duration": "1h"}]"#
            let metadata = try await client.send(
                .post, "/api/v1/drills", token: token,
                json: Self.body(service: "cart", steps: steps, extra: #", "notify": {"url": "http://169.254.169.254/latest/meta-data"}"#))
            #expect(metadata.status == .unprocessableContent)
            #expect(metadata.json?["field"] as? String == "notify")
            #expect(
                metadata.text.contains("notify.url reaches 169.254.169.254:80, which is not among the hosts this server may connect to"),
                "\(metadata.text)")
            let prometheus = try await client.send(
                .post, "/api/v1/drills", token: token,
                json:
                    #"{"service": "cart", "version": "v2", "stable": "v1", "artifact": "\#(RolloutBodies.artifact)", "router": {"type": "flags", "flag": "cart-v2"}, "metrics": {"provider": "prometheus", "address": "http://10.1.2.3:9090"}, "steps": \#(steps)}"#
            )
            #expect(prometheus.status == .unprocessableContent && prometheus.json?["field"] as? String == "metrics", "\(prometheus.text)")
            #expect(prometheus.text.contains("metrics.address reaches 10.1.2.3:9090"), "\(prometheus.text)")
            let allowed = try await client.send(
                .post, "/api/v1/drills", token: token,
                json: Self.body(service: "cart", steps: steps, extra: #", "notify": {"url": "https://hooks.internal/rollbacks"}"#))
            #expect(allowed.status == .created, "\(allowed.text)")
            _ = try await client.send(.post, "/api/v1/rollouts/\(try #require(allowed.json?["id"] as? Int))/abort", token: token)
        }
    }

    /// `serve --tick-retention`: ended rollouts lose their per-tick evidence once old enough; running ones never.
    @Test(arguments: TestDatabases.kinds) func retentionPrunesTheTicksOfEndedRolloutsOnly(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database)
        let token = fixture.tokens["engineer"]
        try await fixture.testAndCleanUp { client in
            let steps = #"[{"weight": 5, "duration": "1h"}]"#
            var ids: [Int] = []
            // Nothing is pushed, so a short inconclusive limit would end the running one before the prune on a loaded machine.
            let patient = ", " + Self.analysis(inconclusiveLimit: "10m")
            for service in ["cart", "checkout"] {
                let body = RolloutBodies.flags(service: service, change: nil, flag: "\(service)-v2", steps: steps, extra: patient)
                let created = try await client.send(.post, "/api/v1/drills", token: token, json: body)
                ids.append(try #require(created.json?["id"] as? Int, "\(created.text)"))
            }
            func ticks(_ id: Int) async throws -> Int {
                try await client.send(.get, "/api/v1/rollouts/\(id)/ticks", token: token).json?["items"].map { ($0 as? [Any])?.count ?? 0 }
                    ?? 0
            }
            // Both runners record ticks (inconclusive ones, with nothing pushed) every 0.2 s.
            try await eventually("both rollouts record ticks") {
                let counts = [try await ticks(ids[0]), try await ticks(ids[1])]
                return counts.allSatisfy { $0 > 0 }
            }
            _ = try await client.send(.post, "/api/v1/rollouts/\(ids[0])/abort", token: token)
            let before = try await ticks(ids[0])
            #expect(before > 0)
            #expect(try await fixture.controlPlane.pruneRolloutTicks(olderThan: 3600) == 0, "ended moments ago: kept")
            try await Task.sleep(for: .milliseconds(20))
            let deleted = try await fixture.controlPlane.pruneRolloutTicks(olderThan: 0.01)
            #expect(deleted >= before)
            #expect(try await ticks(ids[0]) == 0)
            #expect(try await ticks(ids[1]) > 0, "a running rollout keeps its ticks")
            let rollout = try #require(try await client.send(.get, "/api/v1/rollouts/\(ids[0])", token: token).json)
            #expect(rollout["phase"] as? String == "rolled_back" && rollout["evidence"] != nil, "the rollout and its last verdict stay")
            let audit = try await client.send(.get, "/api/v1/audit/events?subject=rollout_ticks", token: fixture.tokens["admin"])
            #expect(audit.text.contains("rollout.ticks_pruned") && audit.text.contains(#""deleted":\#(deleted)"#), "\(audit.text)")
            _ = try await client.send(.post, "/api/v1/rollouts/\(ids[1])/abort", token: token)
        }
    }

    @Test(arguments: TestDatabases.kinds) func policyRefusesRolloutsItDoesNotAllow(database: TestDatabases.Kind) async throws {
        var configuration = Reports.configuration
        configuration.maxInitialWeightByTier = [1: 5]
        let fixture = try await ServerFixture.make(database: database, configuration: configuration)
        let root = try fixture.controlPlane.authenticate(token: fixture.tokens["admin"]!)
        // Touches payments and ledger: needs 2 approvals, owners and a senior; nothing given yet.
        let pending = try await fixture.controlPlane.submit(Reports.submissionValue(branch: "pending", head: "h1"), by: root)
        let token = fixture.tokens["engineer"]
        try await fixture.testAndCleanUp { client in
            let steps = #"[{"weight": 5, "duration": "1h"}]"#
            let noChange = try await client.send(
                .post, "/api/v1/rollouts", token: token, json: Self.body(service: "payments", steps: steps))
            #expect(noChange.status == .unprocessableContent && noChange.text.contains("name the change"))
            let gated = try await client.send(
                .post, "/api/v1/rollouts", token: token, json: Self.body(service: "payments", steps: steps, change: pending.change.id))
            #expect(gated.status == .conflict, "\(gated.text)")
            #expect(gated.text.contains("the gate of change \(pending.change.id) is pending"))
            let unknown = try await client.send(.post, "/api/v1/drills", token: token, json: Self.body(service: "nosuch", steps: steps))
            #expect(unknown.status == .unprocessableContent && unknown.text.contains("'nosuch' is not a service"))
            let capped = try await client.send(
                .post, "/api/v1/drills", token: token, json: Self.body(service: "payments", steps: #"[{"weight": 20, "duration": "1h"}]"#))
            #expect(
                capped.status == .unprocessableContent && capped.text.contains("payments is tier 1, whose rollouts start at most at 5%"))
            let badBody = try await client.send(.post, "/api/v1/drills", token: token, json: #"{"service": "payments"}"#)
            #expect(badBody.status == .unprocessableContent && badBody.text.contains("the rollout has no 'version'"))
            let nginx = Self.body(service: "payments", steps: steps).replacingOccurrences(
                of: #"{"type": "flags", "flag": "payments-v2"}"#,
                with:
                    #"{"type": "nginx", "include_file": "/etc/passwd", "upstream": "u", "stable_address": "a:1", "canary_address": "b:1"}"#)
            let hostRouter = try await client.send(.post, "/api/v1/drills", token: token, json: nginx)
            #expect(
                hostRouter.status == .unprocessableContent && hostRouter.text.contains("does not run nginx routers"), "\(hostRouter.text)")
            // A change that needs nothing may roll out, until a freeze covers the service.
            let allowed = try await fixture.controlPlane.submit(
                Reports.submissionValue(branch: "docs", head: "h1", files: ["README.md"]), by: root)
            let fine = try await client.send(
                .post, "/api/v1/rollouts", token: token, json: Self.body(service: "ledger", steps: steps, change: allowed.change.id))
            #expect(fine.status == .created, "\(fine.text)")
            _ = try await client.send(.post, "/api/v1/rollouts/\(fine.json?["id"] as? Int ?? 0)/abort", token: token)
            _ = try await fixture.controlPlane.createFreeze(
                .init(
                    name: "incident", from: nil, until: "2099-01-01T00:00:00Z", reason: "incident 7", services: ["ledger"], condition: nil,
                    override: .init(approvals: 1)), by: root)
            let frozen = try await client.send(
                .post, "/api/v1/rollouts", token: token, json: Self.body(service: "ledger", steps: steps, change: allowed.change.id))
            #expect(frozen.status == .conflict && frozen.text.contains("denied"), "\(frozen.text)")
            let agent = try await client.send(
                .post, "/api/v1/drills", token: fixture.tokens["agent"], json: Self.body(service: "payments", steps: steps))
            #expect(agent.status == .forbidden)
        }
    }
}

/// A webhook receiver on loopback that keeps what it was sent.
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        var body: String
        var signature: String?
    }

    let port: Int
    private let received = Mutex<[Delivery]>([])
    private let task = Mutex<Task<Void, any Error>?>(nil)

    private init(port: Int) { self.port = port }

    static func start() async throws -> WebhookReceiver {
        let receiver = WebhookReceiver(port: freeLoopbackPort())
        let router = Router()
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let delivery = Delivery(body: body, signature: request.headers[HTTPField.Name("X-Blastwall-Signature")!])
            receiver.received.withLock { $0.append(delivery) }
            return .noContent
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: receiver.port)), logger: Logger(label: "webhook"))
        receiver.task.withLock { $0 = Task { try await app.runService() } }
        _ = await waitForPort(receiver.port)
        return receiver
    }

    func waitForDelivery() async throws -> Delivery {
        for _ in 0..<100 {
            if let first = received.withLock({ $0.first }) { return first }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CancellationError()
    }

    func stop() async { task.withLock { $0?.cancel() } }
}
