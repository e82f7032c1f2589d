import BlastwallControlPlane
import BlastwallCore
import BlastwallServer
import BlastwallStorage
import BlastwallTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Incidents over the API: Alertmanager's receiver (its token, unreadable payloads, one incident per group,
/// duplicates, resolution with the time to restore), declared incidents, and the suspects of each ranked from
/// what the control plane recorded — on SQLite and PostgreSQL.
@Suite struct IncidentRouteTests {
    static let token = "alertmanager-\(UUID().uuidString)"
    static let configuration: Configuration = {
        var configuration = Configuration(services: [
            Service(name: "checkout", paths: [try! PathPattern("/checkout/")], dependsOn: ["payments"]),
            Service(name: "payments", paths: [try! PathPattern("/payments/")]),
            Service(name: "search", paths: [try! PathPattern("/search/")]),
        ])
        configuration.incidents.serviceLabels = ["app", "service"]
        return configuration
    }()

    static func notification(status: String, startsAt: String, endsAt: String = "0001-01-01T00:00:00Z", group: String = "g1") -> String {
        """
        {"version": "4", "groupKey": "\(group)", "status": "\(status)", "receiver": "blastwall", "truncatedAlerts": 0,
         "commonLabels": {"alertname": "HighErrorRate", "service": "checkout", "severity": "page"},
         "commonAnnotations": {"summary": "checkout errors above 5%"}, "externalURL": "http://alertmanager",
         "alerts": [{"status": "\(status)", "fingerprint": "f1", "startsAt": "\(startsAt)", "endsAt": "\(endsAt)",
                     "labels": {"alertname": "HighErrorRate", "service": "checkout"}, "annotations": {}, "generatorURL": ""}]}
        """
    }

    /// A stored rollout at 25% for a minute, as a running one would be (no runner: the history is constructed).
    static func progressing(_ spec: RolloutSpec, on controlPlane: ControlPlane, by root: Principal) async throws -> RolloutRecord {
        let record = try await controlPlane.createRollout(spec, drill: false, by: root)
        var state = record.state
        let now = Date().timeIntervalSince1970
        (state.phase, state.startedAt, state.stepStartedAt, state.canaryWeight) = (.progressing, now - 120, now - 60, 25)
        try await RolloutStore.save(
            controlPlane.database, id: record.id, state: state, analyzer: record.analyzer, lastResult: nil, time: ControlPlane.clock())
        return record
    }

    func alert(_ client: any TestClientProtocol, _ body: String, token: String? = Self.token) async throws -> TestResponse {
        try await client.send(.post, "/api/v1/incidents/alertmanager", token: token, json: body)
    }

    @Test(arguments: TestDatabases.kinds) func alertsOpenOneIncidentWithItsSuspectsAndResolveIt(database: TestDatabases.Kind) async throws {
        var options = ServerOptions()
        options.alertmanagerToken = Self.token
        let fixture = try await ServerFixture.make(database: database, options: options, configuration: Self.configuration)
        let root = try fixture.controlPlane.authenticate(token: fixture.tokens["admin"]!)
        // A change the gate allows (it touches no service), which the rollouts ship.
        let allowed = try await fixture.controlPlane.submit(
            Reports.submissionValue(branch: "allowed", head: "h1", files: ["README.md"]), by: root)
        let checkoutSpec = try RolloutBodies.spec(service: "checkout", flag: "new-cart", change: allowed.change.id)
        let searchSpec = try RolloutBodies.spec(service: "search", flag: "ranking", change: allowed.change.id)
        try await fixture.testAndCleanUp { client in
            // What changed before: a flag rollout on checkout at 25% for a minute, one on search (unrelated), a switch flipped.
            let database = fixture.controlPlane.database
            let checkout = try await Self.progressing(checkoutSpec, on: fixture.controlPlane, by: root)
            let search = try await Self.progressing(searchSpec, on: fixture.controlPlane, by: root)
            _ = try await fixture.controlPlane.createSwitch(named: "promotions", by: root)
            _ = try await fixture.controlPlane.flipSwitch(named: "promotions", enabled: true, reason: "campaign", by: root)
            let started = ControlPlane.clock()
            #expect(try await alert(client, Self.notification(status: "firing", startsAt: started), token: "wrong").status == .unauthorized)
            #expect(try await alert(client, Self.notification(status: "firing", startsAt: started), token: nil).status == .unauthorized)
            let unreadable = try await alert(client, #"{"version": "4", "alerts": []}"#)
            #expect(unreadable.status == .badRequest && unreadable.text.contains("groupKey"), "\(unreadable.text)")
            #expect(try await IncidentStore.page(database, state: nil, after: 0, limit: 10).isEmpty, "nothing stored from either")

            let opened = try await alert(client, Self.notification(status: "firing", startsAt: started))
            #expect(opened.status == .ok && opened.json?["opened"] as? Bool == true, "\(opened.text)")
            let id = try #require(opened.json?["incident"] as? Int)
            let repeated = try await alert(client, Self.notification(status: "firing", startsAt: started))
            #expect(repeated.json?["incident"] as? Int == id && repeated.json?["opened"] as? Bool == false, "one incident per group")

            let shown = try await client.send(.get, "/api/v1/incidents/\(id)", token: fixture.tokens["viewer"])
            let incident = try #require(shown.json)
            #expect(incident["service"] as? String == "checkout" && incident["severity"] as? String == "page")
            #expect(incident["title"] as? String == "checkout errors above 5%" && incident["state"] as? String == "open")
            let top = try #require(incident["top_suspect"] as? [String: Any])
            #expect(top["reference"] as? String == "rollout/\(checkout.id)" && top["kind"] as? String == "flag", "\(top)")
            #expect((top["explanation"] as? String)?.contains("still in progress when the incident began; on checkout itself") == true)
            #expect((top["rollback"] as? [String: Any])?["action"] as? String == "abort")
            let suspects = try #require(incident["suspects"] as? [String: Any])
            let ranked = try #require(suspects["ranked"] as? [[String: Any]])
            #expect(ranked.map { $0["reference"] as? String } == ["rollout/\(checkout.id)", "switch/promotions"])
            let unrelated = try #require(suspects["unrelated"] as? [[String: Any]])
            #expect(unrelated.map { $0["reference"] as? String } == ["rollout/\(search.id)"])

            // Roll back the top suspect (the running flag rollout: aborted) and the second (the switch: flipped back).
            let viewerRollback = try await client.send(.post, "/api/v1/incidents/\(id)/rollback", token: fixture.tokens["viewer"])
            #expect(viewerRollback.status == .forbidden)
            let rolledBack = try await client.send(.post, "/api/v1/incidents/\(id)/rollback", token: fixture.tokens["engineer"])
            #expect(
                rolledBack.status == .ok && (rolledBack.json?["action"] as? String)?.hasPrefix("aborted rollout \(checkout.id)") == true,
                "\(rolledBack.text)")
            try await eventually("the rollout is rolled back") {
                try await RolloutStore.find(database, id: checkout.id)?.state.phase == .rolledBack
            }
            let flipped = try await client.send(.post, "/api/v1/incidents/\(id)/rollback?suspect=2", token: fixture.tokens["engineer"])
            #expect((flipped.json?["action"] as? String) == "turned switch promotions off again", "\(flipped.text)")
            #expect(fixture.controlPlane.killSwitch(named: "promotions")?.enabled == false)
            let beyond = try await client.send(.post, "/api/v1/incidents/\(id)/rollback?suspect=9", token: fixture.tokens["engineer"])
            #expect(beyond.status == .unprocessableContent && beyond.text.contains("give 1 to 2"), "\(beyond.text)")
            let wrongCause = try await client.send(
                .post, "/api/v1/incidents/\(id)/confirm", token: fixture.tokens["engineer"], json: #"{"cause": "rollout/999"}"#)
            #expect(wrongCause.status == .unprocessableContent && wrongCause.text.contains("its suspects are"), "\(wrongCause.text)")
            let confirmed = try await client.send(
                .post, "/api/v1/incidents/\(id)/confirm", token: fixture.tokens["engineer"], json: #"{"cause": "rollout/\#(checkout.id)"}"#)
            #expect(confirmed.json?["confirmed_cause"] as? String == "rollout/\(checkout.id)", "\(confirmed.text)")

            let resolvedAt = ControlPlane.clock()
            let resolved = try await alert(client, Self.notification(status: "resolved", startsAt: started, endsAt: resolvedAt))
            #expect(resolved.json?["state"] as? String == "resolved")
            let after = try #require(try await client.send(.get, "/api/v1/incidents/\(id)", token: fixture.tokens["viewer"]).json)
            #expect(after["resolved_at"] as? String != nil && (after["time_to_restore_seconds"] as? Double ?? -1) >= 0)
            let late = try await alert(client, Self.notification(status: "firing", startsAt: started))
            #expect(late.json?["incident"] as? Int == id && late.json?["state"] as? String == "resolved", "a late firing does not reopen")

            // DORA: the aborted rollout is the one deployment, failed (rolled back and confirmed), recovered as the incident was.
            let dora = try #require(
                try await client.send(.get, "/api/v1/dora?since=1d&by=provenance", token: fixture.tokens["viewer"]).json)
            let groups = try #require(dora["groups"] as? [[String: Any]])
            #expect(groups.map { $0["group"] as? String } == ["all", "human"], "\(dora)")
            #expect(groups[0]["deployments"] as? Int == 1)
            let failure = try #require(groups[0]["change_failure_rate"] as? [String: Any])
            #expect(failure["rate"] as? Double == 1 && failure["failed"] as? Int == 1 && failure["band"] as? String == "low")
            let recovery = try #require(groups[0]["failed_deployment_recovery_time"] as? [String: Any])
            #expect(recovery["count"] as? Int == 1 && recovery["band"] as? String == "elite")
            let ranking = try #require(dora["ranking"] as? [String: Any])
            #expect(ranking["confirmed_incidents"] as? Int == 1 && ranking["cause_ranked_first"] as? Int == 1)
            let badSplit = try await client.send(.get, "/api/v1/dora?by=team", token: fixture.tokens["viewer"])
            #expect(badSplit.status == .badRequest && badSplit.text.contains("provenance, tier or service"))

            let events = try await AuditLog.search(database, AuditLog.Filter(subject: "incident/\(id)"), before: nil, limit: 10)
            #expect(Set(events.map(\.action)) == ["incident.opened", "incident.rollback", "incident.cause_confirmed", "incident.resolved"])
            let openedEvent = try #require(events.first { $0.action == "incident.opened" })
            #expect(openedEvent.payload["suspects"]?.arrayValue?.first?["terms"]?.arrayValue?.isEmpty == false, "the terms are audited")
        }
    }

    /// `incidents.auto_rollback`: the top suspect, a running rollout scoring above the minimum, goes back at once.
    @Test func automaticRollbackUndoesARunningTopSuspect() async throws {
        var options = ServerOptions()
        options.alertmanagerToken = Self.token
        var configuration = Self.configuration
        configuration.incidents.autoRollback = IncidentSettings.AutoRollback(minimumScore: 0.3, kinds: [.flag, .rollout])
        let fixture = try await ServerFixture.make(database: .sqlite, options: options, configuration: configuration)
        let root = try fixture.controlPlane.authenticate(token: fixture.tokens["admin"]!)
        let allowed = try await fixture.controlPlane.submit(
            Reports.submissionValue(branch: "allowed", head: "h1", files: ["README.md"]), by: root)
        let spec = try RolloutBodies.spec(service: "checkout", flag: "new-cart", change: allowed.change.id)
        try await fixture.testAndCleanUp { client in
            let rollout = try await Self.progressing(spec, on: fixture.controlPlane, by: root)
            let opened = try await alert(client, Self.notification(status: "firing", startsAt: ControlPlane.clock(), group: "auto"))
            #expect((opened.json?["rolled_back"] as? String)?.hasPrefix("aborted rollout \(rollout.id)") == true, "\(opened.text)")
            try await eventually("the rollout is rolled back") {
                try await RolloutStore.find(fixture.controlPlane.database, id: rollout.id)?.state.phase == .rolledBack
            }
            let id = try #require(opened.json?["incident"] as? Int)
            let events = try await AuditLog.search(
                fixture.controlPlane.database, AuditLog.Filter(action: "incident.auto_rollback"), before: nil, limit: 5)
            #expect(events.map(\.subject) == ["incident/\(id)"] && events.first?.actor == "auto-rollback")
        }
    }

    @Test(arguments: TestDatabases.kinds) func peopleDeclareListAndResolveIncidents(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database, configuration: Self.configuration)
        try await fixture.testAndCleanUp { client in
            let notConfigured = try await alert(client, Self.notification(status: "firing", startsAt: ControlPlane.clock()))
            #expect(notConfigured.status == .notFound && notConfigured.text.contains("--alertmanager-token-file"))
            let viewer = try await client.send(.post, "/api/v1/incidents", token: fixture.tokens["viewer"], json: #"{"title": "x"}"#)
            #expect(viewer.status == .forbidden)
            let unknown = try await client.send(
                .post, "/api/v1/incidents", token: fixture.tokens["engineer"], json: #"{"title": "slow", "service": "chekout"}"#)
            #expect(unknown.status == .unprocessableContent && unknown.text.contains("did you mean 'checkout'"), "\(unknown.text)")
            let declared = try await client.send(
                .post, "/api/v1/incidents", token: fixture.tokens["engineer"],
                json: #"{"title": "checkout is slow", "service": "checkout"}"#)
            #expect(declared.status == .created, "\(declared.text)")
            let id = try #require(declared.json?["id"] as? Int)
            #expect(declared.json?["top_suspect"] is NSNull, "nothing changed before it")
            let listed = try await client.send(.get, "/api/v1/incidents?state=open", token: fixture.tokens["viewer"])
            #expect((listed.json?["items"] as? [[String: Any]])?.map { $0["id"] as? Int } == [id])
            let resolved = try await client.send(.post, "/api/v1/incidents/\(id)/resolve", token: fixture.tokens["engineer"])
            #expect(resolved.json?["state"] as? String == "resolved")
            let again = try await client.send(.post, "/api/v1/incidents/\(id)/resolve", token: fixture.tokens["engineer"])
            #expect(again.status == .conflict)
            let badState = try await client.send(.get, "/api/v1/incidents?state=closed", token: fixture.tokens["viewer"])
            #expect(badState.status == .unprocessableContent)
        }
    }

    /// A change cleared to ship without a rollout is a suspect: configuration when its classes say so, reaching the
    /// incident through the closest of its services. One a rollout carries is that rollout; a pending one is none.
    @Test(arguments: TestDatabases.kinds) func changesClearedWithoutARolloutAreSuspects(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database, configuration: Self.configuration)
        let root = try fixture.controlPlane.authenticate(token: fixture.tokens["admin"]!)
        let store = fixture.controlPlane.database
        @Sendable func change(_ branch: String, services: [String], classes: [String], state: String, minutesAgo: Int) async throws -> Int64
        {
            let time = ControlPlane.timestamp(seconds: Date().timeIntervalSince1970 - Double(minutesAgo * 60)).rfc3339
            let report = JSONValue.object([
                ("classes", .array(classes.map(JSONValue.string))), ("risk", .object([("score", .int(40)), ("level", .string("medium"))])),
            ])
            return try await store.transaction { transaction in
                try await ChangeStore.upsert(
                    transaction,
                    ChangeRecord(
                        id: 0, repository: "acme/shop", branch: branch, head: "h", base: nil, submittedBy: "ci", decision: "allow",
                        state: state, services: services, provenance: branch == "tune" ? "ai-assisted" : "human", gate: .object([]),
                        report: report, analysis: .server, createdAt: time, updatedAt: time), time: time)
            }.id
        }
        try await fixture.testAndCleanUp { _ in
            let tune = try await change("tune", services: ["search", "payments"], classes: ["config"], state: "satisfied", minutesAgo: 5)
            let fix = try await change("fix", services: ["checkout"], classes: ["auth"], state: "satisfied", minutesAgo: 20)
            let shipped = try await fixture.controlPlane.submit(
                Reports.submissionValue(branch: "shipped", head: "h1", files: ["README.md"]), by: root
            ).change.id
            _ = try await change("waiting", services: ["checkout"], classes: [], state: "pending", minutesAgo: 10)
            let rollout = try await Self.progressing(
                try RolloutBodies.spec(service: "checkout", flag: "new-cart", change: shipped), on: fixture.controlPlane, by: root)
            let incident = try await fixture.controlPlane.declareIncident(
                service: "checkout", title: "errors", severity: nil, startedAt: nil, by: root)
            let ranked = try #require(incident.incident.suspects["ranked"]?.arrayValue)
            #expect(
                Set(ranked.compactMap { $0["reference"]?.stringValue }) == ["rollout/\(rollout.id)", "change/\(tune)", "change/\(fix)"],
                "\(ranked)")
            let configuration = try #require(ranked.first { $0["reference"]?.stringValue == "change/\(tune)" })
            #expect(configuration["kind"]?.stringValue == "configuration" && configuration["rollback"] == .null)
            let explanation = configuration["explanation"]?.stringValue ?? ""
            #expect(explanation.contains("configuration change \(tune) (acme/shop tune) was cleared to ship, without a rollout"))
            #expect(explanation.contains("on payments, which checkout depends on"), "the closest of its services: \(explanation)")
            #expect(explanation.contains("AI-assisted change \(tune) (risk 40, medium)"), "\(explanation)")
            let code = try #require(ranked.first { $0["reference"]?.stringValue == "change/\(fix)" })
            #expect(code["kind"]?.stringValue == "change" && code["explanation"]?.stringValue?.contains("on checkout itself") == true)
        }
    }
}
