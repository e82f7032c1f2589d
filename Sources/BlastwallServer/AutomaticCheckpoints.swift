import BlastwallAudit
import BlastwallControlPlane
import BlastwallStorage
import Logging

/// Signs a checkpoint whenever `every` events have been appended since the last one, or a minute has
/// passed with any unsigned event, so a cut tail is caught without anyone remembering to run
/// `audit checkpoint`; each checkpoint also goes to the witness, when there is one. Polls the head once a
/// second; the audit log itself is never held up.
struct AutomaticCheckpoints: Sendable {
    let controlPlane: ControlPlane
    let key: SigningKey
    let every: Int64
    let witness: AuditWitness?
    let logger: Logger
    /// Unsigned events wait at most this long for a checkpoint, however few they are.
    static let longestWait = 60

    func run() async {
        var lastSigned = (try? await AuditLog.checkpoints(controlPlane.database).last?.sequence) ?? 0
        var secondsSinceSigning = 0
        await periodically(every: .seconds(1), logger: logger, failing: "audit checkpoint failed") {
            secondsSinceSigning += 1
            let head = try await controlPlane.auditHeadSequence()
            let due = head - lastSigned >= every || (head > lastSigned && secondsSinceSigning >= Self.longestWait)
            guard due, let checkpoint = try await AuditLog.checkpoint(controlPlane.database, key: key, time: ControlPlane.clock())
            else { return }
            lastSigned = checkpoint.sequence
            secondsSinceSigning = 0
            logger.info("audit checkpoint signed", metadata: ["sequence": "\(checkpoint.sequence)", "key_id": "\(checkpoint.keyID)"])
            if let witness {
                do {
                    try await witness.record(checkpoint)
                } catch {
                    logger.error(
                        "the audit witness did not take the checkpoint",
                        metadata: ["sequence": "\(checkpoint.sequence)", "error": "\(error)"])
                }
            }
        }
    }
}
