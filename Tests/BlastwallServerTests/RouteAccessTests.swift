import BlastwallAudit
import BlastwallControlPlane
import BlastwallCore
import BlastwallServer
import BlastwallTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Every route × every role: 401 without a token, 403 without the permission, 2xx with it.
@Suite struct RouteAccessTests {
    /// A request that succeeds for an allowed caller: a concrete path and a valid body.
    static func request(for spec: RouteSpec, attempt: Int, rollout: Int64 = 1, change: Int64 = 1) -> (path: String, body: String?) {
        let unique = "r\(attempt)-\(UUID().uuidString.prefix(6))"
        switch (spec.method, spec.path) {
        case (.post, "/api/v1/rollouts"): return (spec.path, RolloutBodies.flags(service: "svc-\(unique)", change: change))
        case (.post, "/api/v1/drills"): return (spec.path, RolloutBodies.flags(service: "svc-\(unique)", change: nil))
        case (.get, "/api/v1/flags/:name/evaluate"): return ("/api/v1/flags/flag-existing/evaluate?key=user-1", nil)
        case (.post, "/api/v1/services/:service/undo"): return ("/api/v1/services/svc-rollout-\(rollout)/undo", nil)
        case (.post, "/api/v1/rollouts/:id/observations"):
            return (
                "/api/v1/rollouts/\(rollout)/observations",
                #"{"canary": {"requests": 10, "errors": 0}, "baseline": {"requests": 190, "errors": 1}}"#
            )
        case (_, let path) where path.hasPrefix("/api/v1/rollouts/:id"): return (path.replacing(":id", with: String(rollout)), nil)
        case (.post, "/api/v1/identities"): return (spec.path, #"{"name": "\#(unique)", "kind": "human", "role": "viewer"}"#)
        case (.delete, "/api/v1/identities/:name"): return ("/api/v1/identities/victim-\(attempt)", nil)
        case (.post, "/api/v1/switches"): return (spec.path, #"{"name": "\#(unique)"}"#)
        case (.get, "/api/v1/switches/:name"): return ("/api/v1/switches/existing", nil)
        case (.put, "/api/v1/switches/:name"): return ("/api/v1/switches/existing", #"{"enabled": true, "reason": "test"}"#)
        case (.post, "/api/v1/audit/events"): return (spec.path, #"{"action": "custom.test", "subject": "test/1"}"#)
        case (.post, "/api/v1/changes"): return (spec.path, Reports.submission(branch: "b-\(unique)", head: "h1"))
        case (.get, "/api/v1/changes/:id"), (.get, "/api/v1/changes/:id/gate"), (.post, "/api/v1/changes/:id/attestation"):
            return (spec.path.replacing(":id", with: "1"), nil)
        case (.post, "/api/v1/changes/:id/reviews"): return ("/api/v1/changes/1/reviews", #"{"verdict": "approve"}"#)
        case (.post, "/api/v1/freezes"):
            return (spec.path, #"{"name": "f\#(attempt)", "until": "2099-01-01T00:00:00Z", "reason": "test", "services": ["nothing"]}"#)
        case (.delete, "/api/v1/freezes/:id"): return ("/api/v1/freezes/\(attempt)", nil)
        case (.post, "/api/v1/operations/check"), (.post, "/api/v1/operations"):
            return (spec.path, #"{"command": "kubectl get pods --context prod-1", "directory": "/repo"}"#)
        case (.get, "/api/v1/operations/:id"): return ("/api/v1/operations/1", nil)
        case (.post, "/api/v1/incidents"): return (spec.path, #"{"title": "incident \#(unique)"}"#)
        case (.get, "/api/v1/incidents/:id"), (.post, "/api/v1/incidents/:id/suspects"), (.get, "/api/v1/incidents/:id/timeline"):
            return (spec.path.replacing(":id", with: "1"), nil)
        case (.post, "/api/v1/incidents/:id/resolve"), (.post, "/api/v1/incidents/:id/rollback"):
            return (spec.path.replacing(":id", with: "1"), nil)
        case (.post, "/api/v1/incidents/:id/confirm"): return ("/api/v1/incidents/1/confirm", #"{"cause": "rollout/1"}"#)
        case (.post, "/api/v1/operations/:id/reviews"): return ("/api/v1/operations/\(attempt)/reviews", #"{"verdict": "approve"}"#)
        default:
            precondition(!spec.path.contains(":"), "add a concrete request for \(spec.method) \(spec.path)")
            return (spec.path, nil)
        }
    }

    @Test(arguments: TestDatabases.kinds) func everyRouteChecksItsRole(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(
            database: database, options: ServerOptions(attestationKey: SigningKey()), configuration: Self.agentConfiguration)
        let root = try fixture.controlPlane.authenticate(token: fixture.tokens["admin"]!)
        _ = try await fixture.controlPlane.createSwitch(named: "existing", by: root)
        let agent = try fixture.controlPlane.authenticate(token: fixture.tokens["agent"]!)
        // An operation request of its own, pending, for a review.
        @Sendable func operationRequest(_ attempt: Int) async throws -> Int64 {
            let answer = try await fixture.controlPlane.checkOperation(
                .init(action: .command("kubectl delete ns n\(attempt) --context prod-1"), directory: "/repo"), by: agent)
            return try #require(answer.operation?.operation.id)
        }
        _ = try await operationRequest(0)
        _ = try await fixture.controlPlane.declareIncident(service: nil, title: "the first", severity: nil, startedAt: nil, by: root)
        // Submitted by CI, so that every reviewer role, admin included, may review it (a submitter may not).
        let ci = try fixture.controlPlane.authenticate(token: fixture.tokens["ci"]!)
        _ = try await fixture.controlPlane.submit(Reports.submissionValue(branch: "first", head: "h1"), by: ci)
        // A change that touches no service needs nothing: its gate is satisfied, so rollouts may name it.
        let allowed = try await fixture.controlPlane.submit(
            Reports.submissionValue(branch: "allowed", head: "h1", files: ["README.md"]), by: root)
        _ = try await fixture.controller.create(try RolloutBodies.spec(service: "flag-owner", flag: "flag-existing"), drill: true, by: root)
        let catalog = BlastwallRouter.catalog(controlPlane: fixture.controlPlane, controller: fixture.controller, options: fixture.options)
        #expect(catalog.count >= 15)
        try await fixture.testAndCleanUp { client in
            var attempt = 0
            // Webhooks are authenticated by the forge's signature, not a token: ForgeWebhookRouteTests.
            // So is Alertmanager's receiver, by its own token: IncidentRouteTests.
            for spec in catalog where !spec.path.hasPrefix("/api/v1/forges/") && spec.path != "/api/v1/incidents/alertmanager" {
                let permission: Permission?
                switch spec.access {
                case .open: permission = nil
                case .permission(let required): permission = required
                case .switchRead: permission = fixture.options.switchReadsNeedToken ? .read : nil
                }
                attempt += 1
                if permission != nil {
                    let anonymous = Self.request(for: spec, attempt: attempt)
                    let response = try await client.send(spec.method, anonymous.path, token: nil, json: anonymous.body)
                    #expect(response.status == .unauthorized, "\(spec.method) \(spec.path) without a token")
                    #expect(response.headers[.contentType] == "application/problem+json")
                    let forged = try await client.send(spec.method, anonymous.path, token: "bw_forged", json: anonymous.body)
                    #expect(forged.status == .unauthorized, "\(spec.method) \(spec.path) with an unknown token")
                }
                for role in Role.allCases {
                    attempt += 1
                    if spec.method == .delete {
                        _ = try await fixture.controlPlane.createIdentity(
                            Principal(name: "victim-\(attempt)", kind: .human, role: .viewer), by: root)
                    }
                    // Each command gets a rollout of its own, in a phase where the command applies.
                    var rollout: Int64 = 1
                    if spec.path.contains(":id") && spec.path.hasPrefix("/api/v1/rollouts") || spec.path.contains(":service") {
                        let created = try await fixture.controller.create(
                            try RolloutBodies.spec(service: "svc-rollout-\(attempt)", flag: "flag-\(attempt)"), drill: true, by: root)
                        rollout = created.id
                        if spec.path.hasSuffix("/resume") { _ = try await fixture.controller.command(.pause, rollout: rollout, by: root) }
                    }
                    var request = Self.request(for: spec, attempt: attempt, rollout: rollout, change: allowed.change.id)
                    if spec.path.contains(":service") { request.path = "/api/v1/services/svc-rollout-\(attempt)/undo" }
                    if spec.method == .delete && spec.path.hasPrefix("/api/v1/freezes") {
                        let freeze = try await fixture.controlPlane.createFreeze(
                            .init(
                                name: "lift-\(attempt)", from: nil, until: "2099-01-01T00:00:00Z", reason: "test", services: ["nothing"],
                                condition: nil, override: .init(approvals: 1)),
                            by: root)
                        request.path = "/api/v1/freezes/\(freeze.id)"
                    }
                    if spec.path == "/api/v1/incidents/:id/rollback" || spec.path == "/api/v1/incidents/:id/confirm" {
                        // An incident whose top suspect is a running rollout of a service of its own.
                        let service = "svc-incident-\(attempt)"
                        let rollout = try await IncidentRouteTests.progressing(
                            try RolloutBodies.spec(service: service, flag: "flag-incident-\(attempt)", change: allowed.change.id),
                            on: fixture.controlPlane, by: root)
                        let incident = try await fixture.controlPlane.declareIncident(
                            service: service, title: "broken \(attempt)", severity: nil, startedAt: nil, by: root)
                        request.path = spec.path.replacing(":id", with: String(incident.incident.id))
                        if spec.path.hasSuffix("/confirm") { request.body = #"{"cause": "rollout/\#(rollout.id)"}"# }
                    }
                    if spec.path == "/api/v1/incidents/:id/resolve" {
                        let incident = try await fixture.controlPlane.declareIncident(
                            service: nil, title: "to resolve \(attempt)", severity: nil, startedAt: nil, by: root)
                        request.path = "/api/v1/incidents/\(incident.incident.id)/resolve"
                    }
                    if spec.path == "/api/v1/operations/:id/reviews" {
                        request.path = "/api/v1/operations/\(try await operationRequest(attempt))/reviews"
                    }
                    let response = try await client.send(
                        spec.method, request.path, token: fixture.tokens[role.rawValue], json: request.body)
                    let allowed = permission.map { role.allows($0) } ?? true
                    if allowed, role != .agent, spec.method == .post, spec.path.hasPrefix("/api/v1/operations"),
                        !spec.path.hasSuffix("/reviews")
                    {
                        // Operation checks are an agent's: the token must be of an identity of kind ai named under 'agents:'.
                        #expect(response.status == .forbidden && response.text.contains("is not an agent"), "\(role) \(spec.path)")
                    } else if allowed, role == .agent, spec.method == .post, spec.path == "/api/v1/changes" {
                        // Agents may submit, but never a client-attested report: the server must analyse their changes.
                        #expect(response.status == .forbidden && response.text.contains("cannot submit client-attested reports"))
                    } else if allowed {
                        #expect(
                            (200..<300).contains(response.status.code),
                            "\(role) \(spec.method) \(spec.path): \(response.status) \(response.text)")
                    } else {
                        #expect(response.status == .forbidden, "\(role) \(spec.method) \(spec.path): \(response.status)")
                    }
                }
            }
        }
    }

    /// The agent role's identity as a configured agent: it may read in prod.
    static let agentConfiguration: Configuration = {
        let yaml = """
            environments:
              prod: { kube_contexts: ["prod-*"] }
            agents:
              user-agent: { environments: { prod: [read] } }
            """
        do { return try ConfigurationLoader.load(yaml: yaml, file: "blastwall.yml").configuration } catch {
            fatalError("the agent configuration does not load: \(error)")
        }
    }()

    @Test(arguments: TestDatabases.kinds) func switchReadsCanRequireAToken(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database, options: ServerOptions(switchReadsNeedToken: true))
        let root = try fixture.controlPlane.authenticate(token: fixture.tokens["admin"]!)
        _ = try await fixture.controlPlane.createSwitch(named: "checkout", by: root)
        try await fixture.testAndCleanUp { client in
            let anonymous = try await client.send(.get, "/api/v1/switches/checkout", token: nil)
            #expect(anonymous.status == .unauthorized)
            let viewer = try await client.send(.get, "/api/v1/switches/checkout", token: fixture.tokens["viewer"])
            #expect(viewer.status == .ok)
        }
    }
}
