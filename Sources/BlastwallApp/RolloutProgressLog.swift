import BlastwallCore
import Foundation

/// What `rollout watch` and `drill` print when the output is not a terminal (a CI log): a line when something
/// changes — the phase, the step, a weight, the verdict, or an analysis test's evidence crossing a quarter of
/// the way to failing the canary — and otherwise a heartbeat at most every `heartbeat` seconds.
public struct RolloutProgressLog: Sendable {
    public var heartbeat: Double
    private var lastState: [String]?
    private var lastPrinted: Double?

    public init(heartbeat: Double = 30) {
        self.heartbeat = heartbeat
    }

    /// The line to print for `rollout` seen at `now` (seconds on any steady clock), or nil for nothing.
    public mutating func line(for rollout: JSONValue, at now: Double) -> String? {
        let state = Self.state(rollout)
        let changed = state != lastState
        let due = lastPrinted.map { now - $0 >= heartbeat } ?? true
        guard changed || due else { return nil }
        lastState = state
        lastPrinted = now
        var line = RolloutView.headline(rollout)
        if let verdict = rollout["verdict"]?.stringValue { line += ", analysis \(verdict)" }
        if let evidence = rollout["evidence"], evidence != .null {
            let details = RolloutView.evidenceLines(evidence).map { $0.trimmingCharacters(in: .whitespaces) }
            if !details.isEmpty { line += " — " + details.joined(separator: "; ") }
        }
        return changed ? line : line + " (still)"
    }

    /// What counts as a change: not the counts themselves, which move on every tick.
    static func state(_ rollout: JSONValue) -> [String] {
        var state = ["phase", "verdict", "rollback_cause", "pause_reason"].map { rollout[$0]?.stringValue ?? "" }
        state += ["step", "canary_weight", "applied_weight"].map { rollout[$0]?.intValue.map(String.init) ?? "" }
        for test in ["errors", "latency"] {
            guard let result = rollout["evidence"]?[test], result != .null else { continue }
            let evidence = result["log_evidence"]?.doubleValue ?? 0
            let threshold = result["log_threshold"]?.doubleValue ?? 0
            let quarter = threshold > 0 ? Int((max(0, evidence) / threshold * 4).rounded(.down)) : 0
            state.append("\(test):\(min(quarter, 4))")
        }
        return state
    }
}
