/// What happens to a rollout: measurements each interval, people's commands, the router's confirmations.
public enum RolloutEvent: Sendable, Equatable {
    case start(at: Double)
    /// One interval's analysis verdict.
    case measured(AnalysisResult, at: Double)
    case pause(by: String, at: Double)
    case resume(by: String, at: Double)
    /// Skip the remaining steps and send all traffic to the new version.
    case promote(by: String, at: Double)
    /// Roll back now.
    case abort(by: String, at: Double)
    /// `rollout undo`: back to stable at once, also after a promotion, skipping steps and analysis.
    case undo(by: String, at: Double)
    /// The router confirmed it carries this canary weight.
    case routerApplied(weight: Int, at: Double)
    /// The controller came back after a stop or a crash and loaded this rollout from storage.
    case restarted(at: Double)
}

/// What the controller must do after a transition.
public enum RolloutAction: Sendable, Equatable {
    /// Make the router carry this canary weight (idempotent; stable gets the rest).
    case setCanaryWeight(Int)
    /// Append to the audit log and the rollout's history.
    case record(kind: String, detail: String)
    /// Tell the notification webhook the rollout was rolled back.
    case notifyRollback(cause: RollbackCause, reason: String)
}

/// A command that does not apply in the rollout's phase.
public struct RolloutTransitionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var phase: RolloutPhase
    public var command: String
    public var description: String {
        let hint: String
        switch phase {
        case .promoted, .rolledBack: hint = "the rollout has ended; start a new one"
        case .paused: hint = "resume, promote or abort it"
        case .progressing: hint = "pause, promote or abort it"
        case .pending: hint = "it has not started yet"
        }
        return "cannot \(command) a rollout that is \(phase.rawValue.replacingOccurrences(of: "_", with: " ")): \(hint)"
    }
}

/// The rollout lifecycle as a pure state machine: (state, event) → (state, actions). The controller feeds it
/// and carries out the actions; nothing here touches a clock, a network or a disk.
public struct RolloutMachine: Sendable, Equatable {
    public let spec: RolloutSpec
    public private(set) var state: RolloutState

    public init(spec: RolloutSpec, state: RolloutState = RolloutState()) {
        precondition(!spec.steps.isEmpty, "a validated rollout has steps")
        self.spec = spec
        self.state = state
    }

    public var currentStep: RolloutStep { spec.steps[min(state.stepIndex, spec.steps.count - 1)] }

    public mutating func handle(_ event: RolloutEvent) throws(RolloutTransitionError) -> [RolloutAction] {
        switch event {
        case .start(let now):
            guard state.phase == .pending else { throw RolloutTransitionError(phase: state.phase, command: "start") }
            state.startedAt = now
            state.phase = .progressing
            if spec.steps[0].weight == 100 { return promote(at: now, detail: "shipped to 100% in one step") }
            return enterStep(0, at: now, kind: "rollout.started")
        case .measured(let result, let now):
            return measured(result, at: now)
        case .pause(let who, let now):
            guard state.phase == .progressing else { throw RolloutTransitionError(phase: state.phase, command: "pause") }
            return pause(reason: "paused by \(who)", at: now)
        case .resume(let who, let now):
            guard state.phase == .paused else { throw RolloutTransitionError(phase: state.phase, command: "resume") }
            state.phase = .progressing
            state.pauseReason = nil
            state.inconclusiveSince = nil
            state.passedInStep = false
            return [.record(kind: "rollout.resumed", detail: "resumed by \(who) at step \(state.stepIndex + 1)")] + reassert(at: now)
        case .promote(let who, let now):
            guard state.phase == .progressing || state.phase == .paused else {
                throw RolloutTransitionError(phase: state.phase, command: "promote")
            }
            return promote(at: now, detail: "promoted by \(who), skipping the remaining steps")
        case .abort(let who, let now):
            guard state.phase == .progressing || state.phase == .paused || state.phase == .pending else {
                throw RolloutTransitionError(phase: state.phase, command: "abort")
            }
            return rollBack(.aborted, reason: "aborted by \(who)", at: now)
        case .undo(let who, let now):
            guard state.phase == .progressing || state.phase == .paused || state.phase == .promoted else {
                throw RolloutTransitionError(phase: state.phase, command: "undo")
            }
            state.recoveredAt = nil
            return rollBack(.undone, reason: "undone by \(who)", at: now)
        case .routerApplied(let weight, let now):
            state.appliedWeight = weight
            if weight > 0, state.canaryServingSince == nil { state.canaryServingSince = now }
            if state.phase == .rolledBack, weight == 0, state.recoveredAt == nil {
                state.recoveredAt = now
                let recovered = state.timeToRecover.map { " \(decimalText($0)) s after detection" } ?? ""
                return [.record(kind: "rollout.recovered", detail: "all traffic on \(spec.stableVersion)\(recovered)")]
            }
            return []
        case .restarted(let now):
            // Evidence seen before the stop does not count towards leaving the step: never promote on the way up.
            state.passedInStep = false
            if state.phase == .progressing || state.phase == .paused { state.inconclusiveSince = state.inconclusiveSince ?? now }
            switch state.phase {
            case .pending: return []
            case .rolledBack where state.recoveredAt != nil, .promoted where state.appliedWeight == 100: return []
            default: return [.setCanaryWeight(state.canaryWeight)]
            }
        }
    }

    private mutating func measured(_ result: AnalysisResult, at now: Double) -> [RolloutAction] {
        guard state.phase == .progressing || state.phase == .paused else { return [] }
        state.lastVerdict = result.verdict
        state.lastReason = result.reason
        switch result.verdict {
        case .fail:
            return rollBack(.analysisFailed, reason: result.reason, at: now)
        case .inconclusive:
            guard state.phase == .progressing else { return [] }
            let since = state.inconclusiveSince ?? now
            state.inconclusiveSince = since
            guard now - since >= spec.analysis.inconclusiveLimitSeconds else { return [] }
            let reason = "no evidence for \(decimalText(now - since)) s (\(result.reason))"
            switch spec.analysis.onInconclusive {
            case .rollback: return rollBack(.noEvidence, reason: reason, at: now)
            case .pause: return pause(reason: reason, at: now)
            }
        case .pass:
            state.inconclusiveSince = nil
            guard state.phase == .progressing else { return [] }
            state.passedInStep = true
            guard now - state.stepStartedAt >= currentStep.durationSeconds else { return [] }
            let next = state.stepIndex + 1
            if next < spec.steps.count, spec.steps[next].weight < 100 {
                return enterStep(next, at: now, kind: "rollout.step")
            }
            return promote(at: now, detail: "every step passed analysis")
        }
    }

    private mutating func enterStep(_ index: Int, at now: Double, kind: String) -> [RolloutAction] {
        state.stepIndex = index
        state.stepStartedAt = now
        state.passedInStep = false
        state.canaryWeight = spec.steps[index].weight
        let step = spec.steps[index]
        return [
            .setCanaryWeight(step.weight),
            .record(
                kind: kind,
                detail:
                    "step \(index + 1) of \(spec.steps.count): \(spec.version) at \(step.weight)% for at least \(decimalText(step.durationSeconds)) s"
            ),
        ]
    }

    private mutating func pause(reason: String, at now: Double) -> [RolloutAction] {
        state.phase = .paused
        state.pauseReason = reason
        return [.record(kind: "rollout.paused", detail: "\(reason), at \(state.canaryWeight)%")]
    }

    private mutating func promote(at now: Double, detail: String) -> [RolloutAction] {
        state.phase = .promoted
        state.canaryWeight = 100
        state.finishedAt = now
        state.stepIndex = spec.steps.count - 1
        return [.setCanaryWeight(100), .record(kind: "rollout.promoted", detail: "\(spec.version) takes all traffic: \(detail)")]
    }

    private mutating func rollBack(_ cause: RollbackCause, reason: String, at now: Double) -> [RolloutAction] {
        state.phase = .rolledBack
        state.rollbackCause = cause
        state.rollbackReason = reason
        state.canaryWeight = 0
        // Time to detect is the analysis's own measure; a person's abort or undo detected nothing.
        state.detectedAt = cause == .analysisFailed || cause == .noEvidence ? now : nil
        state.finishedAt = now
        state.pauseReason = nil
        let detail = "\(spec.version) rolled back to \(spec.stableVersion): \(reason)"
        return [.setCanaryWeight(0), .record(kind: "rollout.rolled_back", detail: detail), .notifyRollback(cause: cause, reason: reason)]
    }

    /// After a resume the router must still carry the step's weight.
    private func reassert(at now: Double) -> [RolloutAction] {
        state.appliedWeight == state.canaryWeight ? [] : [.setCanaryWeight(state.canaryWeight)]
    }
}
