import BlastwallCore
import BlastwallDelivery
import BlastwallTestSupport
import Foundation
import Testing

/// The Prometheus provider against a real Prometheus scraping two `blastwall demo-app` versions.
@Suite(
    .enabled(if: BackgroundProcess.shouldTest("prometheus"), "needs Prometheus, which is not installed (.ci/run installs it)"), .serialized)
struct PrometheusProviderTests {
    @Test func countsAndLatencyOfBothVersionsAreRead() async throws {
        let apps = try await DemoApps(canaryErrorRate: 1)
        let prometheus = try await LivePrometheus(targets: [apps.stablePort, apps.canaryPort])
        try await sendRequests(port: apps.stablePort, count: 30)
        try await sendRequests(port: apps.canaryPort, count: 7)
        let provider = PrometheusProvider(
            queries: PrometheusQueries(address: prometheus.address), service: "demo", canaryVersion: "v2", stableVersion: "v1")

        var measured: (canary: VersionCounts, baseline: VersionCounts)?
        for _ in 0..<100 {
            measured = try? await provider.measure()
            if measured?.canary.requests == 7 && measured?.baseline.requests == 30 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let counts = try #require(measured)
        #expect(counts.baseline.requests == 30 && counts.baseline.errors == 0)
        #expect(counts.canary.requests == 7 && counts.canary.errors == 7)  // an error rate of 1 fails them all
        let latency = try #require(counts.baseline.latency)
        #expect(latency.total == 30)
        #expect(latency.boundariesMs.first == 1 && latency.boundariesMs.last == 10_000)  // seconds became ms
        #expect(latency.cumulativeCounts.last == 30)
    }

    @Test func instantAndRangeQueriesAndSpecialValues() async throws {
        let apps = try await DemoApps()
        let prometheus = try await LivePrometheus(targets: [apps.stablePort])
        let client = PrometheusClient(address: prometheus.address)
        // NaN and infinities arrive as strings.
        let nan = try await client.instant("0/0")
        #expect(nan.first?.samples.first?.value.isNaN == true)
        #expect(try await client.instant("1/0").first?.samples.first?.value == .infinity)
        #expect(try await client.instant("-1/0").first?.samples.first?.value == -.infinity)

        var series: [PrometheusClient.Series] = []
        for _ in 0..<100 {
            series = try await client.instant(#"up{job="demo"}"#)
            if series.first?.samples.first?.value == 1 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(series.first?.labels["job"] == "demo")
        var samples = 0
        for _ in 0..<50 where samples < 3 {
            let now = Date().timeIntervalSince1970
            samples = try await client.range(#"up{job="demo"}"#, start: now - 10, end: now, step: 1).first?.samples.count ?? 0
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(samples >= 3, "a range query returns one sample per step once scrapes have happened")

        let bad = try await #require(throws: MetricsError.self) { try await client.instant("sum(") }
        #expect(bad.description.contains("refused the query"))
        let provider = PrometheusProvider(
            queries: PrometheusQueries(address: prometheus.address, requests: "0/0"), service: "demo", canaryVersion: "v2",
            stableVersion: "v1")
        let notANumber = try await #require(throws: MetricsError.self) { try await provider.measure() }
        #expect(notANumber.description.contains("the requests query for v2 returned nan"))
        let unreachable = try await #require(throws: MetricsError.self) {
            try await PrometheusClient(address: "http://127.0.0.1:\(freeLoopbackPort())").instant("up")
        }
        #expect(unreachable.description.contains("cannot query"))
    }
}
