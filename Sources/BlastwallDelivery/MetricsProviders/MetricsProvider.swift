import BlastwallCore

/// Where a rollout's counts come from. One implementation per provider, each in its own file.
public protocol MetricsProvider: Sendable {
    /// Cumulative counts of the canary and the stable (baseline) version now.
    func measure() async throws(MetricsError) -> (canary: VersionCounts, baseline: VersionCounts)
}

/// Counts could not be read; the tick is then inconclusive, never a pass.
public struct MetricsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var provider: String
    public var message: String

    public init(provider: String, message: String) {
        self.provider = provider
        self.message = message
    }

    public var description: String { "\(provider): \(message)" }
}

/// Where pushed observations are added up: the control plane's storage.
public protocol PushedObservations: Sendable {
    func totals(rollout: String) async throws -> (canary: VersionCounts, baseline: VersionCounts)
}
