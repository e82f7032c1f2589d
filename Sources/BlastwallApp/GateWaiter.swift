import BlastwallClient
import BlastwallCore

/// `blastwall gate`: reads the gate of a change, optionally waiting until it is no longer pending.
///
/// A wait can last hours (a review across time zones), so a control plane that restarts or is briefly out of
/// reach must not fail it: unanswered requests and 5xx answers are retried with backoff until the timeout,
/// each retry said on `progress`. Answers that cannot change by asking again (401, 403, 404, 422) end the wait.
public enum GateWaiter {
    /// The longest pause between two tries after failures.
    static let longestBackoff = Duration.seconds(60)

    public static func wait(
        changeID: Int64, client: APIClient, timeout: Duration?, interval: Duration, progress: @Sendable (String) -> Void = { _ in }
    ) async throws(BlastwallError) -> JSONValue {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        var backoff = interval
        var lastWaitingFor: String?
        while true {
            let gate: JSONValue
            do {
                gate = try await client.get("/api/v1/changes/\(changeID)/gate")
                backoff = interval
            } catch {
                guard let deadline, isTransient(error) else { throw .from(error) }
                let remaining = deadline - ContinuousClock.now
                guard remaining > .zero else { throw .from(error) }
                let pause = min(backoff, remaining)
                progress("the control plane did not answer (\(error)); trying again in \(decimalText(pause / .seconds(1), places: 1)) s")
                backoff = min(backoff * 2, longestBackoff)
                guard (try? await Task.sleep(for: pause)) != nil else { throw .from(error) }
                continue
            }
            guard gate["state"]?.stringValue == "pending", let deadline else { return gate }
            let waitingFor = waitingFor(gate)
            if waitingFor != lastWaitingFor {
                progress("waiting for \(waitingFor)")
                lastWaitingFor = waitingFor
            }
            // The last question is asked at the deadline itself, not an interval before it.
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return gate }
            guard (try? await Task.sleep(for: min(interval, remaining))) != nil else { return gate }
        }
    }

    /// What a pending gate still needs, as the server words it.
    static func waitingFor(_ gate: JSONValue) -> String {
        let missing = gate["missing"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return missing.isEmpty ? (gate["summary"]?.stringValue ?? "the gate") : missing.joined(separator: "; ")
    }

    /// Failures that may pass: the server unreachable, or answering 5xx (restarting, its database away).
    static func isTransient(_ error: APIClient.Failure) -> Bool {
        switch error {
        case .unreachable: return true
        case .problem(let status, _, _): return status >= 500 || status == 429
        case .unexpected: return false
        }
    }
}
