/// Cumulative request latencies of one version as a histogram, the shape Prometheus histograms have:
/// `cumulativeCounts[i]` requests took at most `boundariesMs[i]`; `total` requests were timed in all.
public struct LatencyHistogram: Sendable, Equatable, Codable {
    public var boundariesMs: [Double]
    public var cumulativeCounts: [Int]
    public var total: Int

    public init(boundariesMs: [Double], cumulativeCounts: [Int], total: Int) {
        precondition(boundariesMs.count == cumulativeCounts.count, "one count per boundary")
        self.boundariesMs = boundariesMs
        self.cumulativeCounts = cumulativeCounts
        self.total = total
    }

    /// An empty histogram over `boundariesMs`.
    public init(boundariesMs: [Double]) {
        self.init(boundariesMs: boundariesMs, cumulativeCounts: Array(repeating: 0, count: boundariesMs.count), total: 0)
    }

    /// Fine log-spaced boundaries (5% apart, 0.1 ms to about 10 minutes) for latencies given as samples, so
    /// quantiles read from them are within 5% of the samples' own.
    public static let sampleBoundariesMs: [Double] = {
        var boundaries: [Double] = []
        var value = 0.1
        while value < 600_000 {
            boundaries.append(value)
            value *= 1.05
        }
        return boundaries
    }()

    /// Adds individual request latencies.
    public mutating func record(samplesMs: some Sequence<Double>) {
        var bucketCounts = Array(repeating: 0, count: boundariesMs.count)
        var beyondLast = 0
        for sample in samplesMs where sample.isFinite && sample >= 0 {
            // The first boundary at or above the sample.
            var low = 0
            var high = boundariesMs.count
            while low < high {
                let middle = (low + high) / 2
                if boundariesMs[middle] < sample { low = middle + 1 } else { high = middle }
            }
            if low < bucketCounts.count { bucketCounts[low] += 1 } else { beyondLast += 1 }
        }
        var running = 0
        for index in bucketCounts.indices {
            running += bucketCounts[index]
            cumulativeCounts[index] += running
        }
        total += running + beyondLast
    }

    /// Requests per bucket: at most the first boundary, then between neighbours, and last beyond the last boundary.
    public var bucketCounts: [Int] {
        var previous = 0
        var counts = cumulativeCounts.map { cumulative in
            defer { previous = cumulative }
            return cumulative - previous
        }
        counts.append(total - previous)
        return counts
    }

    /// What was added since `earlier`; a counter that went down (a restarted process) starts again from zero.
    public func increase(since earlier: LatencyHistogram?) -> LatencyHistogram {
        guard let earlier, earlier.boundariesMs == boundariesMs, earlier.total <= total,
            zip(earlier.cumulativeCounts, cumulativeCounts).allSatisfy({ $0 <= $1 })
        else { return self }
        return LatencyHistogram(
            boundariesMs: boundariesMs,
            cumulativeCounts: zip(cumulativeCounts, earlier.cumulativeCounts).map { $0 - $1 },
            total: total - earlier.total
        )
    }

    /// Both histograms' counts together; `other` must have the same boundaries, else it is ignored.
    public func adding(_ other: LatencyHistogram) -> LatencyHistogram {
        guard other.boundariesMs == boundariesMs else { return self }
        return LatencyHistogram(
            boundariesMs: boundariesMs,
            cumulativeCounts: zip(cumulativeCounts, other.cumulativeCounts).map { $0 + $1 },
            total: total + other.total)
    }

    /// The `q` quantile, interpolated linearly inside its bucket as Prometheus' `histogram_quantile` does;
    /// nil without requests. Beyond the last boundary the last boundary is the best that can be said.
    public func quantile(_ q: Double) -> Double? {
        guard total > 0, !boundariesMs.isEmpty else { return nil }
        let rank = q * Double(total)
        for index in boundariesMs.indices where Double(cumulativeCounts[index]) >= rank {
            let lowerBound = index == 0 ? 0 : boundariesMs[index - 1]
            let lowerCount = index == 0 ? 0 : cumulativeCounts[index - 1]
            let inBucket = cumulativeCounts[index] - lowerCount
            guard inBucket > 0 else { return boundariesMs[index] }
            return lowerBound + (boundariesMs[index] - lowerBound) * (rank - Double(lowerCount)) / Double(inBucket)
        }
        return boundariesMs[boundariesMs.count - 1]
    }
}
