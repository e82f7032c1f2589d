import BlastwallTestSupport
import Foundation
import Testing

/// The issue's end-to-end world: HAProxy in front of two `blastwall demo-app` versions, Prometheus scraping
/// both every second, wrk sending a fixed rate through HAProxy, and `blastwall serve` driving the rollout.
final class RolloutWorld: @unchecked Sendable {
    let repo: TemporaryRepository
    let server: LiveServer
    let folder: TemporaryFolder
    let stablePort = freeLoopbackPort()
    let canaryPort = freeLoopbackPort()
    let frontendPort = freeLoopbackPort()
    let prometheusPort = freeLoopbackPort()
    let alertmanagerPort = freeLoopbackPort()
    let change: Int
    private var processes: [BackgroundProcess] = []
    private var haproxyIndex: Int?
    var socket: String { folder.path + "/haproxy.sock" }

    /// With `alerting`, Prometheus evaluates `alerting.rules` and sends to a real Alertmanager, which posts to
    /// the server's Alertmanager receiver with `alerting.token`; `configuration` is the server's blastwall.yml.
    init(
        canaryErrorRate: Double, stableErrorRate: Double = 0.001, alerting: (rules: String, token: String)? = nil,
        configuration: String = "services:\n  web: { paths: [\"/web/\"], tier: 2 }\n"
    ) async throws {
        folder = try TemporaryFolder("e2e")
        for (port, version, rate) in [(stablePort, "v1", stableErrorRate), (canaryPort, "v2", canaryErrorRate)] {
            processes.append(
                try BackgroundProcess(
                    BlastwallBinary.path,
                    ["demo-app", "--port", String(port), "--service", "web", "--version", version, "--error-rate", String(rate)],
                    directory: folder.path))
        }
        try folder.write(
            "haproxy.cfg",
            """
            global
                stats socket \(folder.path)/haproxy.sock level admin
            defaults
                mode http
                timeout connect 1s
                timeout client 10s
                timeout server 10s
            frontend web
                bind 127.0.0.1:\(frontendPort)
                default_backend web
            backend web
                balance roundrobin
                server stable 127.0.0.1:\(stablePort) weight 100
                server canary 127.0.0.1:\(canaryPort) weight 0

            """)
        haproxyIndex = processes.count
        processes.append(try Self.startHAProxy(in: folder))
        var alertingConfiguration = ""
        if let alerting {
            try folder.write("rules.yml", alerting.rules)
            alertingConfiguration = """
                rule_files: ['\(folder.path)/rules.yml']
                alerting:
                  alertmanagers: [{static_configs: [{targets: ['127.0.0.1:\(alertmanagerPort)']}]}]

                """
        }
        try folder.write(
            "prometheus.yml",
            """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            scrape_configs:
              - job_name: web
                static_configs: [{targets: ['127.0.0.1:\(stablePort)', '127.0.0.1:\(canaryPort)']}]
            \(alertingConfiguration)
            """)
        processes.append(
            try BackgroundProcess(
                "prometheus",
                [
                    "--config.file=\(folder.path)/prometheus.yml", "--storage.tsdb.path=\(folder.path)/tsdb",
                    "--web.listen-address=127.0.0.1:\(prometheusPort)", "--log.level=warn",
                ], directory: folder.path))
        for port in [stablePort, canaryPort, frontendPort] { try #require(await waitForPort(port), "port \(port) is served") }
        try #require(await waitForPort(prometheusPort, timeout: 30), "prometheus started")
        try #require(await waitUntilReady("http://127.0.0.1:\(prometheusPort)/-/ready"), "prometheus ready")

        repo = try await TemporaryRepository()
        try repo.write(["blastwall.yml": configuration, "web/a.html": "a\n"])
        try await repo.commit("Initial")
        try await repo.git.execute(["checkout", "--quiet", "-b", "feature"])
        try repo.write(["web/a.html": "b\n"])
        try await repo.commit("Change")
        var serverArguments = ["--config", repo.path + "/blastwall.yml", "--repository", "test/repo=" + repo.path]
        if let alerting {
            try folder.write("alertmanager-token", alerting.token)
            serverArguments += ["--alertmanager-token-file", folder.path + "/alertmanager-token"]
        }
        server = try await LiveServer(extraArguments: serverArguments)
        if let alerting {
            // Alertmanager posts each group at once (group_wait 0s) and each change within a second, resolved ones too.
            try folder.write(
                "alertmanager.yml",
                """
                route: {receiver: blastwall, group_by: [alertname, service], group_wait: 0s, group_interval: 1s, repeat_interval: 1h}
                receivers:
                  - name: blastwall
                    webhook_configs:
                      - url: \(server.url)/api/v1/incidents/alertmanager
                        send_resolved: true
                        http_config: {authorization: {type: Bearer, credentials: \(alerting.token)}}

                """)
            processes.append(
                try BackgroundProcess(
                    "prometheus-alertmanager",
                    [
                        "--config.file=\(folder.path)/alertmanager.yml", "--storage.path=\(folder.path)/alertmanager",
                        "--web.listen-address=127.0.0.1:\(alertmanagerPort)", "--cluster.listen-address=", "--log.level=warn",
                    ], directory: folder.path))
            try #require(await waitForPort(alertmanagerPort, timeout: 30), "alertmanager started")
        }
        let submitted = try await BlastwallBinary.run(
            ["check", "--submit", "--repository-name", "test/repo", "--base", "main", "--format", "json"], in: repo.path,
            environment: ["BLASTWALL_SERVER": server.url, "BLASTWALL_TOKEN": server.adminToken])
        change = try #require(try json(submitted.stdout)["change_id"] as? Int, "\(submitted.stderr)")
    }

    private static func startHAProxy(in folder: TemporaryFolder) throws -> BackgroundProcess {
        try BackgroundProcess("haproxy", ["-f", folder.path + "/haproxy.cfg", "-db"], directory: folder.path)
    }

    /// Stops HAProxy and starts it again from its configuration, as a reload does: the weights set through
    /// the runtime API are gone (canary 0, stable 100).
    func restartHAProxy() async throws {
        let index = try #require(haproxyIndex)
        processes[index].stop()
        processes[index] = try Self.startHAProxy(in: folder)
        try #require(await waitForPort(frontendPort), "HAProxy is back")
    }

    /// A rollout through HAProxy, analysed from Prometheus twice a second (Prometheus scrapes every second).
    func rolloutFile(steps: String, change: Int? = nil) -> String {
        """
        service: web
        version: v2
        stable: v1
        artifact: sha256:\(String(repeating: "d", count: 64))
        \(change.map { "change: \"\($0)\"" } ?? "")
        router: {type: haproxy, address: \(socket), backend: web, stable_server: stable, canary_server: canary}
        metrics: {provider: prometheus, address: "http://127.0.0.1:\(prometheusPort)"}
        analysis: {interval: 0.5s}
        steps: \(steps)

        """
    }

    /// wrk at a fixed rate: each of 8 connections waits 20 ms between requests, about 400 requests a second.
    func startLoad(seconds: Int) throws -> BackgroundProcess {
        try folder.write("rate.lua", "function delay()\n  return 20\nend\n")
        return try BackgroundProcess(
            "wrk", ["-t1", "-c8", "-d\(seconds)s", "-s", folder.path + "/rate.lua", "http://127.0.0.1:\(frontendPort)/"],
            directory: folder.path)
    }

    /// `blastwall drill -f drill.yml` injecting a 5% error rate into the canary, with load through HAProxy.
    func drillUnderLoad(warmUp: Duration) async throws -> ProcessOutput {
        let load = try startLoad(seconds: 40)
        defer { load.stop(signal: SIGINT) }
        try await Task.sleep(for: warmUp)
        return try await server.cli(
            [
                "drill", "-f", repo.path + "/drill.yml", "--inject", "error-rate=0.05", "--target",
                "http://127.0.0.1:\(canaryPort)", "--format", "json",
            ],
            token: server.adminToken)
    }

    /// The canary's lifetime request count, as Prometheus has scraped it.
    func canaryRequestsInPrometheus() async throws -> Int {
        let query = #"sum(http_requests_total{service="web",version="v2"})"#
        var components = URLComponents(string: "http://127.0.0.1:\(prometheusPort)/api/v1/query")!
        components.queryItems = [URLQueryItem(name: "query", value: query)]
        let reply = try await HTTP.get(components.url!.absoluteString)
        let body = try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]
        let result = (body?["data"] as? [String: Any])?["result"] as? [[String: Any]]
        let value = (result?.first?["value"] as? [Any])?.last as? String
        return Int(Double(value ?? "0") ?? 0)
    }

    /// Requests and non-2xx answers from wrk's report.
    static func loadSummary(_ log: String) -> (requests: Int, failed: Int)? {
        func number(after marker: String, before end: String? = nil) -> Int? {
            guard let range = log.range(of: marker) else { return nil }
            let rest = log[range.upperBound...].drop { $0 == " " }
            return Int(rest.prefix { $0.isNumber })
        }
        guard let line = log.split(separator: "\n").first(where: { $0.contains(" requests in ") }),
            let requests = Int(line.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber })
        else { return nil }
        return (requests, number(after: "Non-2xx or 3xx responses:") ?? 0)
    }

    func waitUntilSettled(_ id: Int, seconds: Double) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        var last: [String: Any] = [:]
        while Date() < deadline {
            last = try json(try await server.cli(["rollout", "status", "\(id)", "--format", "json"], token: server.adminToken).stdout)
            let phase = last["phase"] as? String
            if phase == "promoted" || phase == "rolled_back", last["applied_weight"] as? Int == last["canary_weight"] as? Int {
                return last
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        // The last ticks say why: no canary traffic in Prometheus, failed queries, or evidence short of a verdict.
        let ticks = try? await HTTP.send(
            "GET", "\(server.url)/api/v1/rollouts/\(id)/ticks?limit=5", headers: ["Authorization": "Bearer \(server.adminToken)"])
        Issue.record("rollout \(id) did not settle in \(seconds) s: \(last); last ticks: \(ticks?.body ?? "none")")
        return last
    }

    static var available: Bool {
        ["haproxy", "prometheus", "wrk"].allSatisfy(BackgroundProcess.shouldTest)
    }
}
