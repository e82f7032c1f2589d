import CEL
import Foundation

/// The time decisions are made at: now, or a fixed time for reproducible runs and tests.
public enum Clock {
    /// `override` (RFC 3339) wins, then the `BLASTWALL_NOW` environment variable, then the system clock.
    public static func now(override: String? = nil) throws(BlastwallError) -> Timestamp {
        if let text = override ?? ProcessInfo.processInfo.environment["BLASTWALL_NOW"] {
            guard let timestamp = Timestamp(rfc3339: text) else {
                throw .input("'\(text)' is not an RFC 3339 time such as 2026-11-23T10:00:00Z")
            }
            return timestamp
        }
        let seconds = Date().timeIntervalSince1970
        return Timestamp(nanoseconds: Int128(seconds * 1_000_000) * 1000)!
    }
}
