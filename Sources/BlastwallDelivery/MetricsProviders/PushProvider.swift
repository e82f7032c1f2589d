import BlastwallCore

/// Counts teams push to `POST /api/v1/rollouts/ID/observations`, added up by the control plane.
public struct PushProvider: MetricsProvider {
    public let rollout: String
    let store: any PushedObservations

    public init(rollout: String, store: any PushedObservations) {
        self.rollout = rollout
        self.store = store
    }

    public func measure() async throws(MetricsError) -> (canary: VersionCounts, baseline: VersionCounts) {
        do {
            return try await store.totals(rollout: rollout)
        } catch {
            throw MetricsError(provider: "push", message: "cannot read pushed observations: \(error)")
        }
    }
}
