import BlastwallCore
import BlastwallStorage

/// One rollout: its steps with the current one marked, the canary's and stable's weights, time in step, the
/// analysis over time as charts with each tick's verdict, the rollback with its times, and the commands for
/// those who may give them. While it runs the page is marked live and refreshes itself.
public struct RolloutPage {
    public var rollout: RolloutRecord
    /// The latest ticks, oldest first.
    public var ticks: [RolloutTick]
    public var now: Double
    public var csrf: String
    /// Whether the signed-in identity may pause, resume, promote and abort.
    public var mayCommand: Bool

    public init(rollout: RolloutRecord, ticks: [RolloutTick], now: Double, csrf: String, mayCommand: Bool) {
        self.rollout = rollout
        self.ticks = ticks
        self.now = now
        self.csrf = csrf
        self.mayCommand = mayCommand
    }

    /// Ticks listed in the table, newest first; the charts use all that were read.
    static let tableTicks = 30

    public var view: [String: Any] {
        let state = rollout.state
        let spec = rollout.spec
        let active = RolloutFacts.isActive(state.phase)
        let current = min(state.stepIndex, spec.steps.count - 1)
        let steps = spec.steps.enumerated().map { index, step -> [String: Any] in
            [
                "number": index + 1, "weight": step.weight, "duration": readableDuration(step.durationSeconds),
                "current": active && index == current, "done": index < current || state.phase == .promoted,
            ]
        }
        var commands: [[String: Any]] = []
        if mayCommand {
            func command(_ name: String, _ label: String, _ confirm: String, danger: Bool = false) {
                commands.append(["name": name, "label": label, "confirm": confirm, "danger": danger])
            }
            if state.phase == .progressing { command("pause", "Pause", "Pause rollout #\(rollout.id) at \(state.canaryWeight)%?") }
            if state.phase == .paused { command("resume", "Resume", "Resume rollout #\(rollout.id)?") }
            if state.phase == .progressing || state.phase == .paused {
                command("promote", "Promote", "Send all of \(spec.service)'s traffic to \(spec.version) now, skipping the remaining steps?")
            }
            if active {
                command("abort", "Abort", "Abort rollout #\(rollout.id) and send all traffic back to \(spec.stableVersion)?", danger: true)
            }
        }
        let charts = RolloutCharts(rollout: rollout, ticks: ticks)
        let rows = ticks.suffix(Self.tableTicks).reversed().map { tick -> [String: Any] in
            [
                "tick": tick.tick, "at": charts.label(charts.offset(RolloutCharts.seconds(tick))), "step": tick.step + 1,
                "weight": tick.canaryWeight, "verdict": tick.result.verdict.rawValue, "reason": tick.result.reason,
            ]
        }
        var facts: [[String: String]] = [
            ["name": "Service", "value": spec.service],
            ["name": "Version", "value": "\(spec.version), replacing \(spec.stableVersion)"],
            ["name": "Weights", "value": "canary \(state.canaryWeight)%, stable \(100 - state.canaryWeight)%"],
        ]
        if active {
            facts.append([
                "name": "Time in step",
                "value":
                    "\(readableDuration(now - state.stepStartedAt)) of at least \(readableDuration(spec.steps[current].durationSeconds))",
            ])
        }
        if let reason = state.pauseReason, state.phase == .paused { facts.append(["name": "Paused", "value": reason]) }
        if let last = state.lastReason { facts.append(["name": "Last verdict", "value": "\(state.lastVerdict?.rawValue ?? ""): \(last)"]) }
        if let cause = state.rollbackCause {
            facts.append(["name": "Rolled back", "value": "\(cause.rawValue): \(state.rollbackReason ?? "")"])
        }
        if let detect = state.timeToDetect { facts.append(["name": "Time to detect", "value": readableDuration(detect)]) }
        if let recover = state.timeToRecover { facts.append(["name": "Time to recover", "value": readableDuration(recover)]) }
        facts.append(["name": "Router", "value": spec.router.kind])
        facts.append(["name": "Started by", "value": "\(rollout.createdBy), \(rollout.createdAt)"])
        return [
            "id": rollout.id, "service": spec.service, "version": spec.version, "phase": state.phase.rawValue,
            "phaseLabel": RolloutFacts.phaseLabel(state.phase), "live": active, "drill": rollout.drill,
            "change": rollout.changeID.map { "\($0)" } ?? "", "facts": facts, "steps": steps, "csrf": csrf,
            "commands": commands, "hasCommands": !commands.isEmpty, "mayCommand": mayCommand,
            "charts": charts.charts.map { ["svg": $0.svg, "title": $0.title] }, "hasCharts": !ticks.isEmpty,
            "ticks": rows, "hasTicks": !rows.isEmpty, "tickCount": ticks.count,
        ]
    }
}
