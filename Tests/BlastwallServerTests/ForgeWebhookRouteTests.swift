import BlastwallControlPlane
import BlastwallCore
import BlastwallForges
import BlastwallServer
import BlastwallStorage
import BlastwallTestSupport
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /api/v1/forges/{forge}/webhook`: authenticated by signature before anything is read, stored once,
/// answered at once; replays change nothing.
@Suite struct ForgeWebhookRouteTests {
    static let secret = "s3cret"

    static func signature(_ body: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }

    static let opened =
        #"{"action":"opened","number":2,"pull_request":{"number":2,"head":{"sha":"aaa"},"base":{"ref":"main"},"user":{"login":"sam","type":"User"}},"repository":{"full_name":"acme/shop"}}"#

    func post(_ client: any TestClientProtocol, forge: String = "github", event: String, id: String, body: String, signature: String?)
        async throws -> TestResponse
    {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("X-GitHub-Event")!] = event
        headers[HTTPField.Name("X-GitHub-Delivery")!] = id
        if let signature { headers[HTTPField.Name("X-Hub-Signature-256")!] = signature }
        return try await client.execute(
            uri: "/api/v1/forges/\(forge)/webhook", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test(arguments: TestDatabases.kinds) func deliveriesAreAuthenticatedStoredOnceAndAnswered(database: TestDatabases.Kind) async throws {
        var options = ServerOptions()
        options.forges[.github] = try GitHub(webhookSecret: Array(Self.secret.utf8), credentials: .none)
        let fixture = try await ServerFixture.make(database: database, options: options)
        try await fixture.testAndCleanUp { client in
            let forged = try await post(client, event: "pull_request", id: "d-0", body: Self.opened, signature: "sha256=00")
            #expect(forged.status == .unauthorized && forged.text.contains("does not match"), "\(forged.text)")
            let unsigned = try await post(client, event: "pull_request", id: "d-0", body: Self.opened, signature: nil)
            #expect(unsigned.status == .unauthorized)
            #expect(try await fixture.controlPlane.pendingDeliveries().isEmpty, "nothing is stored from an unauthenticated delivery")

            let broken = "{not json"
            let malformed = try await post(client, event: "pull_request", id: "d-1", body: broken, signature: Self.signature(broken))
            #expect(malformed.status == .badRequest, "\(malformed.text)")
            let push = #"{"ref":"refs/heads/main"}"#
            let ignored = try await post(client, event: "push", id: "d-2", body: push, signature: Self.signature(push))
            #expect(ignored.status == .accepted && ignored.text.contains("ignored"))

            let queued = try await post(client, event: "pull_request", id: "d-3", body: Self.opened, signature: Self.signature(Self.opened))
            #expect(queued.status == .accepted && queued.text.contains("queued"), "\(queued.text)")
            let replayed = try await post(
                client, event: "pull_request", id: "d-3", body: Self.opened, signature: Self.signature(Self.opened))
            #expect(replayed.status == .ok && replayed.text.contains("duplicate"))
            let pending = try await fixture.controlPlane.pendingDeliveries()
            #expect(pending.map(\.deliveryID) == ["d-3"] && pending.first?.event == "pull_request")

            let unknown = try await post(client, forge: "bitbucket", event: "x", id: "d-4", body: "{}", signature: nil)
            #expect(unknown.status == .notFound && unknown.text.contains("github, gitlab, gitea"))
            let notConfigured = try await post(client, forge: "gitlab", event: "x", id: "d-5", body: "{}", signature: nil)
            #expect(notConfigured.status == .notFound && notConfigured.text.contains("--gitlab-webhook-secret-file"))
        }
    }
}
