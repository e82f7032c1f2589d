import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import BlastwallTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Only human admins create identities, and no AI agent or bot can hold the admin role, so an agent can
/// never mint a human approver whose approvals would count.
@Suite struct IdentityTrustTests {
    @Test(arguments: TestDatabases.kinds) func nonHumanAdminsAreRefusedAtCreation(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database)
        let admin = fixture.tokens["admin"]
        try await fixture.testAndCleanUp { client in
            for kind in ["ai", "bot"] {
                let body = #"{"name": "\#(kind)-admin", "kind": "\#(kind)", "role": "admin"}"#
                let response = try await client.send(.post, "/api/v1/identities", token: admin, json: body)
                #expect(response.status == .unprocessableContent, "\(response.text)")
                #expect(response.json?["field"] as? String == "role")
                #expect(response.text.contains("only humans administer"), "\(response.text)")
            }
            // The AI approver of the fixture cannot create identities either.
            let minted = try await client.send(
                .post, "/api/v1/identities", token: fixture.tokens["ai-approver"],
                json: #"{"name": "h", "kind": "human", "role": "approver"}"#)
            #expect(minted.status == .forbidden)
            let list = try await client.send(.get, "/api/v1/identities?limit=100", token: admin)
            #expect(!list.text.contains("ai-admin") && !list.text.contains("\"h\""), "nothing was stored")
        }
    }

    /// An AI identity that holds the admin role from before this rule (stored directly) still cannot create
    /// a human approver: the rule is checked on every request, not only when identities are created.
    @Test(arguments: TestDatabases.kinds) func aStoredAIAdminCannotCreateAHumanApprover(database: TestDatabases.Kind) async throws {
        let (store, remove) = try await TestDatabases.make(database)
        let token = "legacy-ai-admin-token"
        let controlPlane = ControlPlane(database: store, configuration: Configuration(), logger: TestDatabases.logger)
        try await controlPlane.start()
        let aiAdmin = Principal(name: "legacy-agent", kind: .ai, role: .admin)
        try await store.transaction { transaction in
            _ = try await IdentityStore.insert(transaction, aiAdmin, tokenHash: Tokens.hash(token), time: "2026-01-01T00:00:00Z")
        }
        await #expect(throws: ControlPlaneError.self) {
            try await controlPlane.createIdentity(Principal(name: "puppet", kind: .human, role: .approver), by: aiAdmin)
        }
        do {
            _ = try await controlPlane.createIdentity(Principal(name: "puppet", kind: .human, role: .approver), by: aiAdmin)
        } catch {
            #expect("\(error)".contains("only human admins") || "\(error)".contains("kind ai"), "\(error)")
        }
        await #expect(throws: ControlPlaneError.self) { try await controlPlane.revokeIdentity(named: "legacy-agent", by: aiAdmin) }
        await remove()
    }

    @Test func thePureRuleCoversEveryKindAndRole() {
        for kind in IdentityKind.allCases {
            for role in Role.allCases {
                let principal = Principal(name: "p", kind: kind, role: role)
                #expect(principal.allows(.manageIdentities) == (kind == .human && role == .admin), "\(kind) \(role)")
                let refusal = Principal.refusal(creating: principal, by: Principal(name: "root", kind: .human, role: .admin))
                #expect((refusal != nil) == (kind != .human && role == .admin), "\(kind) \(role)")
            }
        }
    }
}
