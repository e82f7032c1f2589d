import BlastwallControlPlane
import Logging

/// Deletes the per-tick evidence of rollouts that ended longer ago than the retention, at start and then
/// every ten minutes, as Prometheus drops samples past its retention. A rollout keeps its last verdict and
/// its audit events; each deletion is itself an audit event.
struct TickRetention: Sendable {
    let controlPlane: ControlPlane
    let seconds: Double
    let logger: Logger

    func run() async {
        while !Task.isCancelled {
            do {
                let deleted = try await controlPlane.pruneRolloutTicks(olderThan: seconds)
                if deleted > 0 { logger.info("rollout ticks pruned", metadata: ["deleted": "\(deleted)"]) }
            } catch {
                logger.warning("pruning rollout ticks failed; retrying", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(600))
        }
    }
}
