import Foundation
import Hummingbird
import Logging
import Prometheus

/// `blastwall demo-app`: a small HTTP service to roll out. It fails a share of requests and waits a while on
/// purpose, and exposes Prometheus metrics by version and status, so rollouts and drills have something real.
public struct DemoApp: Sendable {
    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        public var service: String
        public var version: String
        /// Share of requests answered 500, 0…1.
        public var errorRate: Double
        /// Added to every request: a fixed wait, with log-normal spread so the latency has a distribution.
        public var latencyMs: Double

        public init(
            host: String = "127.0.0.1", port: Int, service: String = "demo", version: String, errorRate: Double = 0, latencyMs: Double = 0
        ) {
            self.host = host
            self.port = port
            self.service = service
            self.version = version
            self.errorRate = errorRate
            self.latencyMs = latencyMs
        }
    }

    /// Latency buckets in seconds, the default Prometheus client buckets from 1 ms.
    static let buckets: [Duration] = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000].map { .microseconds(Int64($0 * 1000)) }

    public static func run(_ settings: Settings, logger: Logger) async throws {
        let registry = PrometheusCollectorRegistry()
        let labels = [("service", settings.service), ("version", settings.version)]
        let requestsName = MetricNameDescriptor(
            metricName: "http_requests", unitName: "total", helpText: "Requests served, by status code.")
        let ok = registry.makeCounter(descriptor: requestsName, labels: labels + [("code", "200")])
        let failed = registry.makeCounter(descriptor: requestsName, labels: labels + [("code", "500")])
        let duration = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: "http_request_duration", unitName: "seconds", helpText: "Time to answer."),
            labels: labels, buckets: buckets)

        let router = Router()
        router.get("/metrics") { _, _ in registry.emitToString() }
        router.get("/healthz") { _, _ in "ok\n" }
        let serve: @Sendable (Request, BasicRequestContext) async throws -> Response = { _, _ in
            let start = ContinuousClock.now
            if settings.latencyMs > 0 {
                // Log-normal around the configured latency (σ 0.25), so quantiles differ from the median.
                let spread = exp(0.25 * normalSample())
                try await Task.sleep(for: .microseconds(Int64(settings.latencyMs * spread * 1000)))
            }
            let fails = Double.random(in: 0..<1) < settings.errorRate
            (fails ? failed : ok).increment()
            duration.record(ContinuousClock.now - start)
            let body = "\(settings.service) \(settings.version)\(fails ? " failed on purpose" : "")\n"
            return Response(status: fails ? .internalServerError : .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        // Every other path is the application: "/" and anything below it.
        router.get("/", use: serve)
        router.get("/**", use: serve)
        let app = Application(
            router: router, configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "blastwall-demo-app"),
            logger: logger)
        logger.info(
            "demo app listening",
            metadata: [
                "address": "\(settings.host):\(settings.port)", "version": "\(settings.version)", "error_rate": "\(settings.errorRate)",
            ])
        try await app.runService()
    }

    private static func normalSample() -> Double {
        (-2 * log(Double.random(in: Double.leastNonzeroMagnitude..<1))).squareRoot() * cos(2 * .pi * Double.random(in: 0..<1))
    }
}
