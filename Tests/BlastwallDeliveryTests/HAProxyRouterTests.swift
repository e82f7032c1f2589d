import BlastwallCore
import BlastwallDelivery
import BlastwallTestSupport
import Foundation
import Testing

/// The HAProxy router against a real HAProxy, its runtime API on a Unix socket and on TCP.
@Suite(.enabled(if: BackgroundProcess.shouldTest("haproxy"), "needs HAProxy, which is not installed (.ci/run installs it)"), .serialized)
struct HAProxyRouterTests {
    final class Proxy: @unchecked Sendable {
        let backends: VersionBackends
        let folder: TemporaryFolder
        let frontendPort = freeLoopbackPort()
        let apiPort = freeLoopbackPort()
        let process: BackgroundProcess
        var socket: String { folder.path + "/admin.sock" }

        init() async throws {
            backends = try await VersionBackends()
            folder = try TemporaryFolder("haproxy")
            try folder.write(
                "haproxy.cfg",
                """
                global
                    stats socket \(folder.path)/admin.sock level admin
                    stats socket ipv4@127.0.0.1:\(apiPort) level admin
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                frontend web
                    bind 127.0.0.1:\(frontendPort)
                    default_backend checkout
                backend checkout
                    balance roundrobin
                    server stable 127.0.0.1:\(backends.stablePort) weight 100
                    server canary 127.0.0.1:\(backends.canaryPort) weight 0

                """)
            process = try BackgroundProcess("haproxy", ["-f", folder.path + "/haproxy.cfg", "-db"], directory: folder.path)
            try #require(await waitForPort(frontendPort), "haproxy started: \(process.log)")
        }

        func router(address: String? = nil, backend: String = "checkout") -> HAProxyRouter {
            HAProxyRouter(address: address ?? socket, backend: backend, stableServer: "stable", canaryServer: "canary")
        }
    }

    @Test func weightsAreSetReadBackAndMoveRealTraffic() async throws {
        let proxy = try await Proxy()
        let router = proxy.router()
        #expect(try await router.canaryWeight() == 0)
        #expect(try await answers(from: "http://127.0.0.1:\(proxy.frontendPort)/", count: 10) == ["stable": 10])

        try await router.setCanaryWeight(100)
        #expect(try await router.canaryWeight() == 100)
        #expect(try await answers(from: "http://127.0.0.1:\(proxy.frontendPort)/", count: 10) == ["canary": 10])

        try await router.setCanaryWeight(50)
        try await router.setCanaryWeight(50)  // idempotent
        let split = try await answers(from: "http://127.0.0.1:\(proxy.frontendPort)/", count: 20)
        #expect(split["stable"] == 10 && split["canary"] == 10)

        try await router.setCanaryWeight(5)
        #expect(try await router.canaryWeight() == 5)
    }

    @Test func theTCPRuntimeAPIWorksToo() async throws {
        let proxy = try await Proxy()
        let router = proxy.router(address: "127.0.0.1:\(proxy.apiPort)")
        try await router.setCanaryWeight(25)
        #expect(try await router.canaryWeight() == 25)
        #expect(try await proxy.router().canaryWeight() == 25)
    }

    @Test func aWrongBackendOrSocketIsAClearError() async throws {
        let proxy = try await Proxy()
        let wrongBackend = try await #require(throws: RouterError.self) { try await proxy.router(backend: "checkuot").setCanaryWeight(5) }
        #expect(wrongBackend.description.contains("HAProxy refused 'set server checkuot/canary weight 5'"))
        #expect(wrongBackend.description.contains("check that backend 'checkuot' has servers"))
        let noSocket = try await #require(throws: RouterError.self) {
            try await proxy.router(address: "/nonexistent/admin.sock").canaryWeight()
        }
        #expect(noSocket.description.contains("cannot reach the runtime API at /nonexistent/admin.sock"))
        #expect(noSocket.description.contains("stats socket"))
    }
}
