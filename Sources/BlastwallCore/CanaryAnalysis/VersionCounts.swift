/// Cumulative counts for one version (canary or baseline) since it started serving.
public struct VersionCounts: Sendable, Equatable, Codable {
    public var requests: Int
    public var errors: Int
    public var latency: LatencyHistogram?

    public init(requests: Int, errors: Int, latency: LatencyHistogram? = nil) {
        self.requests = requests
        self.errors = errors
        self.latency = latency
    }

    public static let zero = VersionCounts(requests: 0, errors: 0)

    /// What was added since `earlier`. Counters that went down mean the process restarted and counts
    /// began again from zero, as Prometheus' `increase()` assumes.
    public func increase(since earlier: VersionCounts?) -> VersionCounts {
        guard let earlier else { return self }
        let reset = requests < earlier.requests || errors < earlier.errors
        return VersionCounts(
            requests: reset ? requests : requests - earlier.requests,
            errors: reset ? errors : errors - earlier.errors,
            latency: latency.map { reset ? $0 : $0.increase(since: earlier.latency) }
        )
    }

    public var errorRatio: Double? { requests > 0 ? Double(errors) / Double(requests) : nil }

    /// Both counts together; latencies are added when both have them on the same boundaries.
    public func adding(_ other: VersionCounts) -> VersionCounts {
        var sum = VersionCounts(requests: requests + other.requests, errors: errors + other.errors)
        switch (latency, other.latency) {
        case (let mine?, let theirs?): sum.latency = mine.adding(theirs)
        case (nil, let theirs?): sum.latency = theirs
        case (let mine, nil): sum.latency = mine
        }
        return sum
    }
}

/// What the metrics provider reported at one tick: cumulative counts of both versions, or nothing when
/// the provider could not be read.
public struct Observation: Sendable, Equatable {
    /// Seconds since the analysis began.
    public var time: Double
    public var canary: VersionCounts?
    public var baseline: VersionCounts?

    public init(time: Double, canary: VersionCounts?, baseline: VersionCounts?) {
        self.time = time
        self.canary = canary
        self.baseline = baseline
    }
}
