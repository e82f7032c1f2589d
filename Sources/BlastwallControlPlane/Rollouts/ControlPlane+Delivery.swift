import BlastwallCore
import BlastwallDelivery
import BlastwallStorage

/// The control plane's storage behind the delivery adapters' protocols.
extension ControlPlane: FlagPercentages, PushedObservations {
    public func setPercentage(_ percentage: Int, of flag: String) async throws {
        let time = now()
        try await database.transaction { transaction in
            try await FlagStore.set(transaction, name: flag, percentage: percentage, actor: "rollout-controller", time: time)
        }
        flags.withLock { $0[flag] = percentage }
    }

    public func percentage(of flag: String) async throws -> Int? {
        flags.withLock { $0[flag] }
    }

    public func totals(rollout: String) async throws -> (canary: VersionCounts, baseline: VersionCounts) {
        guard let id = Int64(rollout) else { return (.zero, .zero) }
        return try await RolloutStore.observationTotals(database, rollout: id)
    }
}
