import BlastwallControlPlane
import BlastwallCore
import Foundation
import Logging
import Synchronization

/// Failed sign-ins: each logged (never the token), counted on `/metrics`, throttled per client address
/// (`SignInThrottle`), and written to the audit log in aggregate by `reportToAudit`.
public final class SignInGuard: Sendable {
    private let throttle: Mutex<SignInThrottle>
    private let clock: @Sendable () -> Double

    public init(
        throttle: SignInThrottle = SignInThrottle(), clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.throttle = Mutex(throttle)
        self.clock = clock
    }

    /// Seconds until `client` may sign in again, or nil.
    func retryAfter(client: String) -> Double? {
        let now = clock()
        return throttle.withLock { $0.retryAfter(client: client, now: now) }
    }

    func recordFailure(client: String, route: String, reason: String, logger: Logger, metrics: ServerMetrics) {
        let now = clock()
        throttle.withLock { $0.recordFailure(client: client, now: now) }
        metrics.count("blastwall_sign_in_failures_total")
        logger.warning("sign-in failed", metadata: ["client": "\(client)", "route": "\(route)", "reason": "\(reason)"])
    }

    /// Appends one `auth.sign_in_failed` event per client that failed since the last report.
    func reportToAudit(_ controlPlane: ControlPlane) async throws {
        let now = clock()
        let report = throttle.withLock { $0.drainReport(now: now) }
        for entry in report {
            try await controlPlane.recordSignInFailures(
                client: entry.client, count: entry.count, firstTime: entry.first, lastTime: entry.last)
        }
    }
}
