import CoreMetrics
import Hummingbird
import Prometheus

/// Request counts and latencies by route, and domain counters, exposed at `/metrics` in Prometheus format.
/// Metrics use an explicit factory, so several servers (as in tests) never share one process-wide registry.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory

    init() {
        factory = PrometheusMetricsFactory(registry: registry)
    }

    func requestFinished(method: String, route: String, status: Int, nanoseconds: Int64) {
        let dimensions = [("method", method), ("route", route), ("status", String(status))]
        Counter(label: "blastwall_http_requests_total", dimensions: dimensions, factory: factory).increment()
        CoreMetrics.Timer(
            label: "blastwall_http_request_duration_seconds", dimensions: [("method", method), ("route", route)], factory: factory
        )
        .recordNanoseconds(nanoseconds)
    }

    func count(_ name: String, _ dimensions: [(String, String)] = []) {
        Counter(label: name, dimensions: dimensions, factory: factory).increment()
    }

    func set(_ name: String, to value: Int64) {
        Gauge(label: name, factory: factory).record(value)
    }

    func exposition() -> String { registry.emitToString() }
}

/// Records each request's route (the pattern, not the concrete path), status and duration.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        metrics.requestFinished(
            method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: response.status.code,
            nanoseconds: nanoseconds)
        return response
    }
}
