import BlastwallTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct SwitchAndAuditRouteTests {
    @Test(arguments: TestDatabases.kinds) func flipsAreReadFromMemoryAndAudited(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database)
        let engineer = fixture.tokens["engineer"]
        try await fixture.testAndCleanUp { client in
            #expect(try await client.send(.post, "/api/v1/switches", token: engineer, json: #"{"name": "checkout-v2"}"#).status == .created)
            let initial = try await client.send(.get, "/api/v1/switches/checkout-v2", token: nil)
            #expect(initial.json?["enabled"] as? Bool == false)
            let missingReason = try await client.send(
                .put, "/api/v1/switches/checkout-v2", token: engineer, json: #"{"enabled": true, "reason": "  "}"#)
            #expect(missingReason.status == .unprocessableContent && missingReason.json?["field"] as? String == "reason")
            let flipped = try await client.send(
                .put, "/api/v1/switches/checkout-v2", token: engineer, json: #"{"enabled": true, "reason": "incident 42"}"#)
            #expect(flipped.status == .ok)
            let read = try await client.send(.get, "/api/v1/switches/checkout-v2", token: nil)
            #expect(read.json?["enabled"] as? Bool == true && read.json?["reason"] as? String == "incident 42")

            let search = try await client.send(.get, "/api/v1/audit/search?action=switch.flipped", token: fixture.tokens["viewer"])
            let items = search.json?["items"] as? [[String: Any]]
            #expect(items?.count == 1 && items?.first?["actor"] as? String == "user-engineer")
            let verify = try await client.send(.get, "/api/v1/audit/verify", token: fixture.tokens["viewer"])
            #expect(verify.json?["intact"] as? Bool == true)
            #expect((verify.json?["events"] as? Int ?? 0) >= 9, "bootstrap, identities, switch created and flipped")

            let metrics = try await client.send(.get, "/metrics", token: nil)
            #expect(metrics.text.contains("blastwall_http_requests_total"))
            let auditEvents = metrics.text.split(separator: "\n").first { $0.hasPrefix("blastwall_audit_events ") }
            let events = try await client.send(.get, "/api/v1/audit/events?limit=500", token: engineer)
            let count = (events.json?["items"] as? [Any])?.count ?? -1
            let gauge = auditEvents.flatMap { Double($0.split(separator: " ").last ?? "") }
            #expect(gauge == Double(count), "\(auditEvents ?? "no audit gauge"), \(count) events")
            #expect(metrics.text.contains("route=\"/api/v1/switches/{name}\"") || metrics.text.contains("route=\"/api/v1/switches/:name\""))
            let openapi = try await client.send(.get, "/api/v1/openapi.json", token: nil)
            #expect(openapi.json?["openapi"] as? String == "3.1.0")
            #expect(try await client.send(.get, "/readyz", token: nil).status == .ok)
        }
    }
}
