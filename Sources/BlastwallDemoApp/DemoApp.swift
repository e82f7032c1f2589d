import Foundation
import Hummingbird
import Logging
import Prometheus
import Synchronization

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

        // Faults can be changed while running, so drills can make a healthy canary fail on purpose.
        let fault = FaultSettings(errorRate: settings.errorRate, latencyMs: settings.latencyMs)
        let router = Router()
        router.get("/metrics") { _, _ in registry.emitToString() }
        router.put(RouterPath(FaultSettings.path)) { request, _ -> Response in
            let body = try await request.body.collect(upTo: 4096)
            guard let update = FaultSettings.parse(String(buffer: body)) else {
                return Response(
                    status: .badRequest,
                    body: ResponseBody(byteBuffer: ByteBuffer(string: "send {\"error_rate\": 0..1, \"latency_ms\": >= 0}\n")))
            }
            fault.set(update)
            logger.info("fault injected", metadata: ["error_rate": "\(update.errorRate)", "latency_ms": "\(update.latencyMs)"])
            return Response(status: .noContent)
        }
        router.get("/healthz") { _, _ in "ok\n" }
        let serve: @Sendable (Request, BasicRequestContext) async throws -> Response = { _, _ in
            let start = ContinuousClock.now
            let current = fault.current
            if current.latencyMs > 0 {
                // Log-normal around the configured latency (σ 0.25), so quantiles differ from the median.
                let spread = exp(0.25 * normalSample())
                try await Task.sleep(for: .microseconds(Int64(current.latencyMs * spread * 1000)))
            }
            let fails = Double.random(in: 0..<1) < current.errorRate
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

/// The demo app's faults: what share of requests fail and how long each waits; drills change them at run time
/// with `PUT /_blastwall/fault`.
final class FaultSettings: Sendable {
    static let path = "/_blastwall/fault"
    private let state: Mutex<(errorRate: Double, latencyMs: Double)>

    init(errorRate: Double, latencyMs: Double) {
        state = Mutex((errorRate, latencyMs))
    }

    var current: (errorRate: Double, latencyMs: Double) { state.withLock { $0 } }

    func set(_ update: (errorRate: Double, latencyMs: Double)) { state.withLock { $0 = update } }

    /// `{"error_rate": 0.05, "latency_ms": 0}`; both optional (default 0), nil when malformed.
    static func parse(_ text: String) -> (errorRate: Double, latencyMs: Double)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        guard Set(object.keys).isSubset(of: ["error_rate", "latency_ms"]) else { return nil }
        let errorRate = (object["error_rate"] as? NSNumber)?.doubleValue ?? 0
        let latency = (object["latency_ms"] as? NSNumber)?.doubleValue ?? 0
        guard (0...1).contains(errorRate), latency >= 0, latency <= 60_000 else { return nil }
        return (errorRate, latency)
    }
}
