import BlastwallCore
import BlastwallStorage

/// The rollouts: active ones first, then the most recent, each with its step, weight and how it stands.
public struct RolloutsPage {
    public var rollouts: [RolloutRecord]
    public var now: Double

    public init(rollouts: [RolloutRecord], now: Double) {
        self.rollouts = rollouts
        self.now = now
    }

    public var view: [String: Any] {
        let active = rollouts.filter { RolloutFacts.isActive($0.state.phase) }
        let done = rollouts.filter { !RolloutFacts.isActive($0.state.phase) }
        func rows(_ records: [RolloutRecord]) -> [[String: Any]] {
            records.map { rollout in
                let state = rollout.state
                return [
                    "id": rollout.id, "service": rollout.spec.service, "version": rollout.spec.version,
                    "stable": rollout.spec.stableVersion, "phase": state.phase.rawValue, "phaseLabel": RolloutFacts.phaseLabel(state.phase),
                    "step": "\(min(state.stepIndex + 1, rollout.spec.steps.count)) of \(rollout.spec.steps.count)",
                    "weight": "\(state.canaryWeight)%", "change": rollout.changeID.map { "\($0)" } ?? "",
                    "drill": rollout.drill, "verdict": state.lastVerdict?.rawValue ?? "",
                    "when": state.startedAt.map { RolloutFacts.ago(now - $0) } ?? "not started",
                ]
            }
        }
        let groups: [[String: Any]] = [
            ["heading": "Active", "rows": rows(active), "hasRows": !active.isEmpty, "none": "Nothing is rolling out now."],
            ["heading": "Recent", "rows": rows(done), "hasRows": !done.isEmpty, "none": "No rollout has finished yet."],
        ]
        return ["groups": groups, "empty": rollouts.isEmpty]
    }
}

/// What the rollout pages say of a rollout's state.
enum RolloutFacts {
    static func isActive(_ phase: RolloutPhase) -> Bool { phase == .pending || phase == .progressing || phase == .paused }

    static func phaseLabel(_ phase: RolloutPhase) -> String {
        switch phase {
        case .pending: "pending"
        case .progressing: "progressing"
        case .paused: "paused"
        case .promoted: "promoted"
        case .rolledBack: "rolled back"
        }
    }

    static func ago(_ seconds: Double) -> String { readableDuration(seconds) + " ago" }
}
