import BlastwallCore

/// Counts from Prometheus: the rollout's queries, filled in for each version, read as cumulative counters.
public struct PrometheusProvider: MetricsProvider {
    public let queries: PrometheusQueries
    public let service: String
    public let canaryVersion: String
    public let stableVersion: String
    let client: PrometheusClient

    public init(queries: PrometheusQueries, service: String, canaryVersion: String, stableVersion: String) {
        self.queries = queries
        self.service = service
        self.canaryVersion = canaryVersion
        self.stableVersion = stableVersion
        client = PrometheusClient(address: queries.address)
    }

    public func measure() async throws(MetricsError) -> (canary: VersionCounts, baseline: VersionCounts) {
        (try await counts(canaryVersion), try await counts(stableVersion))
    }

    /// `{{service}}` and `{{version}}` in a query, filled in.
    public func render(_ query: String, version: String) -> String {
        query.replacingOccurrences(of: "{{service}}", with: service).replacingOccurrences(of: "{{version}}", with: version)
    }

    private func counts(_ version: String) async throws(MetricsError) -> VersionCounts {
        let requests = try await scalar(render(queries.requests, version: version), "requests", version)
        let errors = try await scalar(render(queries.errors, version: version), "errors", version)
        var counts = VersionCounts(requests: requests, errors: min(errors, requests))
        if let latency = queries.latency {
            counts.latency = try await histogram(render(latency, version: version), version)
        }
        return counts
    }

    /// A counter's value; no series yet means the version has served nothing yet.
    private func scalar(_ query: String, _ name: String, _ version: String) async throws(MetricsError) -> Int {
        let series = try await client.instant(query)
        guard series.count <= 1 else {
            throw failure("the \(name) query for \(version) returned \(series.count) series; wrap it in sum(...)")
        }
        guard let value = series.first?.samples.first?.value else { return 0 }
        guard value.isFinite, value >= 0 else { throw failure("the \(name) query for \(version) returned \(value)") }
        return Int(value.rounded())
    }

    /// Cumulative buckets by `le`; `+Inf` holds every timed request.
    private func histogram(_ query: String, _ version: String) async throws(MetricsError) -> LatencyHistogram? {
        let series = try await client.instant(query)
        guard !series.isEmpty else { return nil }
        var buckets: [(bound: Double, count: Int)] = []
        var total: Int?
        for item in series {
            guard let bound = item.labels["le"].flatMap(PrometheusClient.number), let value = item.samples.first?.value, value.isFinite
            else {
                throw failure("the latency query for \(version) must return one series per 'le' label, such as sum by (le) (..._bucket)")
            }
            if bound == .infinity {
                total = Int(value.rounded())
            } else {
                buckets.append((bound * queries.latencyUnitMs, Int(value.rounded())))
            }
        }
        buckets.sort { $0.bound < $1.bound }
        guard let total else { throw failure("the latency query for \(version) has no le=\"+Inf\" bucket") }
        return LatencyHistogram(boundariesMs: buckets.map(\.bound), cumulativeCounts: buckets.map(\.count), total: total)
    }

    private func failure(_ message: String) -> MetricsError { MetricsError(provider: "prometheus", message: message) }
}
