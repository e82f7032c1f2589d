import BlastwallCore
import PropertyBased
import Testing

@Suite struct OutboundAllowlistTests {
    static let artifact = "sha256:" + String(repeating: "ab", count: 32)

    static func spec(metrics: MetricsSettings = .push, router: RouterSettings = .flags(flag: "f"), notify: String? = nil) -> RolloutSpec {
        RolloutSpec(
            service: "web", version: "v2", stableVersion: "v1", artifact: artifact, change: "1", router: router, metrics: metrics,
            steps: [RolloutStep(weight: 10, durationSeconds: 60)], notify: notify.map { NotificationSettings(url: $0) })
    }

    @Test func entriesAreHostsWithOrWithoutAPort() throws {
        let list = try OutboundAllowlist(parsing: ["Prometheus.Internal:9090", "hooks.example.com", "[fd00::5]:443", "10.0.0.7"])
        #expect(list.entries.map(\.host) == ["prometheus.internal", "hooks.example.com", "fd00::5", "10.0.0.7"])
        #expect(list.entries.map(\.port) == [9090, nil, 443, nil])
        for bad in ["", "a:b", "a:0", "a:70000", "a:1:2", "[fd00::5", "[fd00::5]x"] {
            #expect(throws: OutboundAllowlistError(entry: bad)) { try OutboundAllowlist(parsing: [bad]) }
        }
    }

    @Test func aRolloutReachesItsPrometheusWebhookAndHAProxyOverTCP() {
        let spec = Self.spec(
            metrics: .prometheus(PrometheusQueries(address: "http://PROM.internal:9090")),
            router: .haproxy(address: "10.0.0.9:9999", backend: "b", stableServer: "s", canaryServer: "c"),
            notify: "https://hooks.example.com/rollbacks")
        #expect(
            OutboundAllowlist.destinations(of: spec) == [
                .init(field: "metrics.address", host: "prom.internal", port: 9090),
                .init(field: "notify.url", host: "hooks.example.com", port: 443),
                .init(field: "router.address", host: "10.0.0.9", port: 9999),
            ])
        let local = Self.spec(
            metrics: .prometheus(PrometheusQueries(address: "http://[::1]/")),
            router: .haproxy(address: "/run/haproxy/admin.sock", backend: "b", stableServer: "s", canaryServer: "c"))
        #expect(OutboundAllowlist.destinations(of: local) == [.init(field: "metrics.address", host: "::1", port: 80)], "sockets are local")
        #expect(OutboundAllowlist.destinations(of: Self.spec()).isEmpty, "pushed metrics and flags reach nothing")
    }

    @Test func theFirstDestinationOutsideTheListIsRefused() throws {
        let list = try OutboundAllowlist(parsing: ["prom.internal:9090", "hooks.example.com"])
        let allowed = Self.spec(
            metrics: .prometheus(PrometheusQueries(address: "http://prom.internal:9090")), notify: "http://hooks.example.com:8443/x")
        #expect(list.firstRefused(in: allowed) == nil)
        let metadata = Self.spec(metrics: .prometheus(PrometheusQueries(address: "http://169.254.169.254/latest")))
        #expect(list.firstRefused(in: metadata) == .init(field: "metrics.address", host: "169.254.169.254", port: 80))
        let otherPort = Self.spec(metrics: .prometheus(PrometheusQueries(address: "http://prom.internal:22")))
        #expect(list.firstRefused(in: otherPort)?.port == 22)
        let noHost = Self.spec(notify: "not a url")
        #expect(list.firstRefused(in: noHost)?.field == "notify.url", "an address without a host is refused, not skipped")
    }

    /// A `HOST:PORT` entry permits that host on that port only; a `HOST` entry, on every port.
    @Test func entriesPermitExactlyTheirHostAndPort() async {
        let hosts = Gen<String?>.element(of: ["a.example", "B.example", "10.0.0.1", "[fd00::1]"]).map { $0! }
        await propertyCheck(count: 500, input: hosts, hosts, Gen.int(in: 1...65535), Gen.int(in: 1...65535), Gen.bool) {
            entryHost, urlHost, entryPort, urlPort, withPort in
            guard let list = try? OutboundAllowlist(parsing: [withPort ? "\(entryHost):\(entryPort)" : entryHost]) else {
                Issue.record("\(entryHost) should parse")
                return
            }
            let spec = Self.spec(metrics: .prometheus(PrometheusQueries(address: "http://\(urlHost):\(urlPort)/")))
            let sameHost = entryHost.lowercased() == urlHost.lowercased()
            #expect((list.firstRefused(in: spec) == nil) == (sameHost && (!withPort || entryPort == urlPort)))
        }
    }
}
