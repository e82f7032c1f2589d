import BlastwallCore
import BlastwallDelivery
import BlastwallTestSupport
import Foundation
import Testing

/// The nginx router against a real nginx: include file, `nginx -t`, reload, and traffic that follows.
@Suite(.enabled(if: BackgroundProcess.shouldTest("nginx"), "needs nginx, which is not installed (.ci/run installs it)"), .serialized)
struct NginxRouterTests {
    final class Server: @unchecked Sendable {
        let backends: VersionBackends
        let folder: TemporaryFolder
        let port = freeLoopbackPort()
        let process: BackgroundProcess
        let settings: NginxRouterSettings

        init() async throws {
            backends = try await VersionBackends()
            folder = try TemporaryFolder("nginx")
            let path = folder.path
            settings = NginxRouterSettings(
                includeFile: path + "/checkout-upstream.conf", upstream: "checkout", stableAddress: "127.0.0.1:\(backends.stablePort)",
                canaryAddress: "127.0.0.1:\(backends.canaryPort)", binary: BackgroundProcess.resolve("nginx"),
                configFile: path + "/nginx.conf")
            try folder.write(
                "nginx.conf",
                """
                pid \(path)/nginx.pid;
                error_log \(path)/error.log;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path \(path)/body;
                    proxy_temp_path \(path)/proxy;
                    fastcgi_temp_path \(path)/fastcgi;
                    uwsgi_temp_path \(path)/uwsgi;
                    scgi_temp_path \(path)/scgi;
                    include \(path)/checkout-upstream.conf;
                    server {
                        listen 127.0.0.1:\(port);
                        location / { proxy_pass http://checkout; }
                    }
                }

                """)
            // Before the first rollout the upstream sends everything to stable.
            try folder.write("checkout-upstream.conf", NginxRouter(settings: settings).render(canaryWeight: 0))
            process = try BackgroundProcess(
                settings.binary, ["-c", path + "/nginx.conf", "-g", "daemon off;"], directory: path)
            try #require(await waitForPort(port), "nginx started: \(process.log)")
        }

        var url: String { "http://127.0.0.1:\(port)/" }
    }

    @Test func weightsAreRenderedCheckedReloadedAndFollowedByTraffic() async throws {
        let server = try await Server()
        let router = NginxRouter(settings: server.settings)
        #expect(try await router.canaryWeight() == 0)
        #expect(try await answers(from: server.url, count: 6) == ["stable": 6])

        try await router.setCanaryWeight(100)
        #expect(try await router.canaryWeight() == 100)
        // Old workers finish their requests after a reload, so traffic follows within moments, not at once.
        try await eventually("traffic follows 100%", within: .seconds(5)) { try await answers(from: server.url, count: 6) == ["canary": 6] }

        try await router.setCanaryWeight(50)
        try await router.setCanaryWeight(50)  // idempotent
        try await eventually("traffic follows 50%", within: .seconds(5)) {
            let split = try await answers(from: server.url, count: 20)
            return split["stable"] == 10 && split["canary"] == 10
        }
        #expect(try String(contentsOfFile: server.settings.includeFile, encoding: .utf8).contains("weight=50;"))
    }

    @Test func aConfigurationNginxRefusesIsPutBack() async throws {
        let server = try await Server()
        var broken = server.settings
        broken.upstream = "checkout { }"  // renders an upstream nginx -t rejects
        let before = try String(contentsOfFile: server.settings.includeFile, encoding: .utf8)
        let error = try await #require(throws: RouterError.self) { try await NginxRouter(settings: broken).setCanaryWeight(10) }
        #expect(error.description.contains("nginx -t refused the new upstream"))
        #expect(error.description.contains("the previous include file was put back"))
        #expect(try String(contentsOfFile: server.settings.includeFile, encoding: .utf8) == before)
        #expect(try await answers(from: server.url, count: 4) == ["stable": 4])
    }
}
