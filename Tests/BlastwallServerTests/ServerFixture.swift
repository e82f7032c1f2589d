import BlastwallAnalysis
import BlastwallControlPlane
import BlastwallCore
import BlastwallServer
import BlastwallStorage
import BlastwallTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

/// A control plane on a fresh database (SQLite, or PostgreSQL when the run has one) with one identity per
/// role, and its router.
struct ServerFixture: Sendable {
    let controlPlane: ControlPlane
    let controller: RolloutController
    let options: ServerOptions
    /// Role → token (the agent role's identity is of kind ai); plus "ai-approver" (an AI identity with role approver).
    var tokens: [String: String] = [:]
    let remove: @Sendable () async -> Void

    static func make(
        database kind: TestDatabases.Kind, options: ServerOptions = ServerOptions(), configuration: Configuration = Configuration(),
        mirrors: RepositoryMirrors? = nil
    ) async throws -> ServerFixture {
        let (database, remove) = try await TestDatabases.make(kind)
        let controlPlane = ControlPlane(
            database: database, configuration: configuration, mirrors: mirrors, forges: options.forges, logger: TestDatabases.logger)
        try await controlPlane.start()
        let controller = RolloutController(controlPlane: controlPlane, logger: TestDatabases.logger)
        var fixture = ServerFixture(controlPlane: controlPlane, controller: controller, options: options, remove: remove)
        let admin = try await controlPlane.bootstrap(adminName: "root")
        fixture.tokens["admin"] = admin.token
        let root = try controlPlane.authenticate(token: admin.token)
        for role in Role.allCases where role != .admin {
            // The ci identity is a bot whose key signs the reports tests submit (Reports.ciKey).
            fixture.tokens[role.rawValue] = try await controlPlane.createIdentity(
                Principal(name: "user-\(role.rawValue)", kind: role == .ci ? .bot : (role == .agent ? .ai : .human), role: role),
                attestationKey: role == .ci ? Reports.ciKey.publicKeyPEM : nil, by: root
            ).token
        }
        fixture.tokens["ai-approver"] = try await controlPlane.createIdentity(
            Principal(name: "agent-approver", kind: .ai, role: .approver), by: root
        ).token
        return fixture
    }

    func cleanUp() async {
        await controller.stop()
        await remove()
    }

    /// Runs `body` against the router in-process, then closes the database whether or not `body` threw.
    func testAndCleanUp(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        do {
            try await test(body)
        } catch {
            await cleanUp()
            throw error
        }
        await cleanUp()
    }

    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        // In process every request comes from one unknown address, and the routes × roles test sends a forged
        // token to every route: the throttle is tested against the real server (HostileClientTests) instead.
        let signIns = SignInGuard(throttle: SignInThrottle(limit: 1_000_000))
        let app = Application(
            router: BlastwallRouter.make(controlPlane: controlPlane, controller: controller, options: options, signIns: signIns))
        try await app.test(.router) { client in try await body(client) }
    }
}

extension TestClientProtocol {
    /// Sends a request with an optional bearer token and JSON body.
    func send(_ method: HTTPRequest.Method, _ path: String, token: String?, json: String? = nil) async throws -> TestResponse {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] }
}
