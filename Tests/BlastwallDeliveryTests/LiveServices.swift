import BlastwallTestSupport
import Foundation
import Testing

/// `blastwall demo-app` instances: the service rolled out in tests.
final class DemoApps: @unchecked Sendable {
    let folder: TemporaryFolder
    let stablePort = freeLoopbackPort()
    let canaryPort = freeLoopbackPort()
    private var processes: [BackgroundProcess] = []

    init(service: String = "demo", stable: String = "v1", canary: String = "v2", canaryErrorRate: Double = 0, stableErrorRate: Double = 0)
        async throws
    {
        folder = try TemporaryFolder("demo-apps")
        for (port, version, rate) in [(stablePort, stable, stableErrorRate), (canaryPort, canary, canaryErrorRate)] {
            processes.append(
                try BackgroundProcess(
                    BlastwallBinary.path,
                    ["demo-app", "--port", String(port), "--version", version, "--service", service, "--error-rate", String(rate)],
                    directory: folder.path))
        }
        try #require(await waitForPort(stablePort), "demo apps started")
        try #require(await waitForPort(canaryPort), "demo apps started")
    }
}

/// A real Prometheus on loopback scraping the given targets every second.
final class LivePrometheus: @unchecked Sendable {
    let folder: TemporaryFolder
    let port = freeLoopbackPort()
    let process: BackgroundProcess
    var address: String { "http://127.0.0.1:\(port)" }

    init(targets: [Int]) async throws {
        folder = try TemporaryFolder("prometheus")
        let list = targets.map { "'127.0.0.1:\($0)'" }.joined(separator: ", ")
        try folder.write(
            "prometheus.yml",
            """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: demo
                static_configs:
                  - targets: [\(list)]

            """)
        process = try BackgroundProcess(
            "prometheus",
            [
                "--config.file=\(folder.path)/prometheus.yml", "--storage.tsdb.path=\(folder.path)/data",
                "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
            ], directory: folder.path)
        try #require(await waitForPort(port, timeout: 20), "prometheus started: \(process.log)")
        try #require(await waitUntilReady("http://127.0.0.1:\(port)/-/ready"), "prometheus ready: \(process.log)")
    }
}

/// Sends `count` requests to a local port, ignoring their status.
func sendRequests(port: Int, count: Int) async throws {
    for _ in 0..<count {
        _ = try await HTTP.get("http://127.0.0.1:\(port)/")
    }
}
