import BlastwallAudit
import BlastwallControlPlane
import BlastwallStorage
import Logging

/// Signs a checkpoint whenever `every` events have been appended since the last one, so a cut tail is
/// caught without anyone remembering to run `audit checkpoint`. Polls the head once a second; the audit
/// log itself is never held up.
struct AutomaticCheckpoints: Sendable {
    let controlPlane: ControlPlane
    let key: SigningKey
    let every: Int64
    let logger: Logger

    func run() async {
        var lastSigned = (try? await AuditLog.checkpoints(controlPlane.database).last?.sequence) ?? 0
        await periodically(every: .seconds(1), logger: logger, failing: "audit checkpoint failed") {
            let head = try await controlPlane.auditHeadSequence()
            if head - lastSigned >= every,
                let checkpoint = try await AuditLog.checkpoint(controlPlane.database, key: key, time: ControlPlane.clock())
            {
                lastSigned = checkpoint.sequence
                logger.info("audit checkpoint signed", metadata: ["sequence": "\(checkpoint.sequence)", "key_id": "\(checkpoint.keyID)"])
            }
        }
    }
}
