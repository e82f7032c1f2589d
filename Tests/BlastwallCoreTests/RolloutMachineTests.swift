import BlastwallCore
import PropertyBased
import Testing

let sampleSpec = RolloutSpec(
    service: "checkout", version: "v2", stableVersion: "v1", artifact: "sha256:" + String(repeating: "a", count: 64),
    change: "chg-1", router: .flags(flag: "checkout-v2"),
    analysis: AnalysisSettings(inconclusiveLimitSeconds: 30),
    steps: [
        RolloutStep(weight: 5, durationSeconds: 10), RolloutStep(weight: 25, durationSeconds: 10),
        RolloutStep(weight: 50, durationSeconds: 0),
    ])

func verdict(_ verdict: Verdict) -> AnalysisResult {
    AnalysisResult(
        verdict: verdict, reason: "\(verdict)",
        evidence: AnalysisEvidence(time: 0, canary: .zero, baseline: .zero, errors: nil, latency: nil, slo: []))
}

/// A machine in `phase`, reached through real events.
func machine(in phase: RolloutPhase) throws -> RolloutMachine {
    var machine = RolloutMachine(spec: sampleSpec)
    switch phase {
    case .pending: break
    case .progressing: _ = try machine.handle(.start(at: 0))
    case .paused:
        _ = try machine.handle(.start(at: 0))
        _ = try machine.handle(.pause(by: "alice", at: 1))
    case .promoted:
        _ = try machine.handle(.start(at: 0))
        _ = try machine.handle(.promote(by: "alice", at: 1))
    case .rolledBack:
        _ = try machine.handle(.start(at: 0))
        _ = try machine.handle(.abort(by: "alice", at: 1))
    }
    #expect(machine.state.phase == phase)
    return machine
}

enum EventKind: String, CaseIterable, Sendable {
    case start, pass, fail, inconclusive, pause, resume, promote, abort, undo, applied, restarted

    func event(at time: Double) -> RolloutEvent {
        switch self {
        case .start: .start(at: time)
        case .pass: .measured(verdict(.pass), at: time)
        case .fail: .measured(verdict(.fail), at: time)
        case .inconclusive: .measured(verdict(.inconclusive), at: time)
        case .pause: .pause(by: "bob", at: time)
        case .resume: .resume(by: "bob", at: time)
        case .promote: .promote(by: "bob", at: time)
        case .abort: .abort(by: "bob", at: time)
        case .undo: .undo(by: "bob", at: time)
        case .applied: .routerApplied(weight: 5, at: time)
        case .restarted: .restarted(at: time)
        }
    }
}

@Suite struct RolloutMachineTests {
    /// Every phase against every event: the phase that follows, or nil where the command is refused.
    static let table: [RolloutPhase: [EventKind: RolloutPhase?]] = [
        .pending: [
            .start: .progressing, .pass: .pending, .fail: .pending, .inconclusive: .pending, .pause: nil, .resume: nil, .promote: nil,
            .abort: .rolledBack, .undo: nil, .applied: .pending, .restarted: .pending,
        ],
        .progressing: [
            .start: nil, .pass: .progressing, .fail: .rolledBack, .inconclusive: .progressing, .pause: .paused, .resume: nil,
            .promote: .promoted, .abort: .rolledBack, .undo: .rolledBack, .applied: .progressing, .restarted: .progressing,
        ],
        .paused: [
            .start: nil, .pass: .paused, .fail: .rolledBack, .inconclusive: .paused, .pause: nil, .resume: .progressing,
            .promote: .promoted, .abort: .rolledBack, .undo: .rolledBack, .applied: .paused, .restarted: .paused,
        ],
        .promoted: [
            .start: nil, .pass: .promoted, .fail: .promoted, .inconclusive: .promoted, .pause: nil, .resume: nil, .promote: nil,
            .abort: nil, .undo: .rolledBack, .applied: .promoted, .restarted: .promoted,
        ],
        .rolledBack: [
            .start: nil, .pass: .rolledBack, .fail: .rolledBack, .inconclusive: .rolledBack, .pause: nil, .resume: nil, .promote: nil,
            .abort: nil, .undo: nil, .applied: .rolledBack, .restarted: .rolledBack,
        ],
    ]

    @Test(arguments: RolloutPhase.allCases)
    func everyEventInEveryPhase(phase: RolloutPhase) throws {
        for kind in EventKind.allCases {
            var subject = try machine(in: phase)
            let before = subject.state
            let expected = try #require(Self.table[phase]?[kind], "table covers \(phase) × \(kind)")
            do {
                _ = try subject.handle(kind.event(at: 2))
                #expect(expected != nil, "\(kind) in \(phase) should be refused")
                #expect(subject.state.phase == expected, "\(kind) in \(phase)")
            } catch {
                #expect(expected == nil, "\(kind) in \(phase) was refused: \(error)")
                #expect(subject.state == before, "a refused command changes nothing")
                #expect(error.description.contains(phase == .rolledBack ? "rolled back" : phase.rawValue))
            }
        }
    }

    @Test func stepsAdvanceOnlyOnAPassAfterTheirDurationThenPromote() throws {
        var subject = RolloutMachine(spec: sampleSpec)
        #expect(try subject.handle(.start(at: 100)).first == .setCanaryWeight(5))
        #expect(try subject.handle(.measured(verdict(.pass), at: 105)).isEmpty)  // too early
        #expect(try subject.handle(.measured(verdict(.inconclusive), at: 110)).isEmpty)  // time is up, but no evidence now
        #expect(try subject.handle(.measured(verdict(.pass), at: 111)).first == .setCanaryWeight(25))
        #expect(subject.state.stepIndex == 1)
        #expect(try subject.handle(.measured(verdict(.pass), at: 121)).first == .setCanaryWeight(50))
        let last = try subject.handle(.measured(verdict(.pass), at: 122))
        #expect(last.first == .setCanaryWeight(100))
        #expect(subject.state.phase == .promoted)
        #expect(subject.state.finishedAt == 122)
    }

    @Test func aFailureRollsBackAtOnceAndRecordsDetectionAndRecovery() throws {
        var subject = RolloutMachine(spec: sampleSpec)
        _ = try subject.handle(.start(at: 100))
        _ = try subject.handle(.routerApplied(weight: 5, at: 100.2))
        let actions = try subject.handle(.measured(verdict(.fail), at: 103))
        #expect(actions.first == .setCanaryWeight(0))
        #expect(actions.contains(.notifyRollback(cause: .analysisFailed, reason: "fail")))
        #expect(subject.state.rollbackCause == .analysisFailed)
        let recovered = try subject.handle(.routerApplied(weight: 0, at: 103.5))
        #expect(recovered.count == 1)
        // Detection counts from the canary's first traffic (the router's confirmation), not from the start.
        #expect(abs(subject.state.timeToDetect! - 2.8) < 1e-9)
        #expect(subject.state.timeToRecover == 0.5)
    }

    @Test(arguments: AnalysisSettings.InconclusiveAction.allCases)
    func evidenceMissingBeyondTheLimitRollsBackOrPauses(action: AnalysisSettings.InconclusiveAction) throws {
        var spec = sampleSpec
        spec.analysis.onInconclusive = action
        var subject = RolloutMachine(spec: spec)
        _ = try subject.handle(.start(at: 0))
        _ = try subject.handle(.measured(verdict(.inconclusive), at: 1))
        _ = try subject.handle(.measured(verdict(.inconclusive), at: 30))
        #expect(subject.state.phase == .progressing)
        _ = try subject.handle(.measured(verdict(.inconclusive), at: 31))
        #expect(subject.state.phase == (action == .rollback ? .rolledBack : .paused))
        #expect(subject.state.rollbackCause == (action == .rollback ? .noEvidence : nil))
    }

    @Test func aPassResetsTheWaitForEvidence() throws {
        var subject = RolloutMachine(spec: sampleSpec)
        _ = try subject.handle(.start(at: 0))
        _ = try subject.handle(.measured(verdict(.inconclusive), at: 1))
        _ = try subject.handle(.measured(verdict(.pass), at: 2))
        _ = try subject.handle(.measured(verdict(.inconclusive), at: 25))
        _ = try subject.handle(.measured(verdict(.inconclusive), at: 40))
        #expect(subject.state.phase == .progressing)
    }

    /// After a crash the controller re-applies the weight and needs fresh evidence before moving on.
    @Test func aRestartNeverPromotesOnTheWayUp() throws {
        var subject = RolloutMachine(spec: sampleSpec)
        _ = try subject.handle(.start(at: 0))
        _ = try subject.handle(.measured(verdict(.pass), at: 9))
        var restored = RolloutMachine(spec: sampleSpec, state: subject.state)
        #expect(try restored.handle(.restarted(at: 60)) == [.setCanaryWeight(5)])
        #expect(!restored.state.passedInStep)
        #expect(restored.state.stepIndex == 0)
        #expect(try restored.handle(.measured(verdict(.pass), at: 61)).first == .setCanaryWeight(25))
    }

    @Test func aSingleFullStepPromotesAtStart() throws {
        var spec = sampleSpec
        spec.steps = [RolloutStep(weight: 100, durationSeconds: 0)]
        var subject = RolloutMachine(spec: spec)
        #expect(try subject.handle(.start(at: 0)).first == .setCanaryWeight(100))
        #expect(subject.state.phase == .promoted)
    }

    @Test func pausedRolloutsStillRollBackOnFailureButNeverAdvance() throws {
        var subject = RolloutMachine(spec: sampleSpec)
        _ = try subject.handle(.start(at: 0))
        _ = try subject.handle(.pause(by: "alice", at: 1))
        #expect(try subject.handle(.measured(verdict(.pass), at: 50)).isEmpty)
        #expect(subject.state.stepIndex == 0)
        _ = try subject.handle(.measured(verdict(.fail), at: 51))
        #expect(subject.state.phase == .rolledBack)
    }

    /// Random event sequences: weights come only from the steps, 0 or 100; terminal phases stay; a
    /// promotion follows only a pass, a promote command, or a single 100% step.
    @Test func invariantsHoldForAnySequenceOfEvents() async {
        let kinds = Gen<EventKind?>.element(of: EventKind.allCases).map { $0! }
        await propertyCheck(count: 2000, input: kinds.array(of: 1...40)) { sequence in
            var subject = RolloutMachine(spec: sampleSpec)
            let allowedWeights = Set(sampleSpec.steps.map(\.weight) + [0, 100])
            for (index, kind) in sequence.enumerated() {
                let before = subject.state
                _ = try? subject.handle(kind.event(at: Double(index) * 4))
                let after = subject.state
                #expect(allowedWeights.contains(after.canaryWeight))
                if before.phase == .rolledBack { #expect(after.phase == .rolledBack && after.canaryWeight == 0) }
                if before.phase == .promoted && kind != .undo { #expect(after.phase == .promoted && after.canaryWeight == 100) }
                if after.phase == .promoted && before.phase != .promoted { #expect(kind == .pass || kind == .promote) }
                if after.phase == .rolledBack { #expect(after.canaryWeight == 0) }
                if after.phase == before.phase && after.phase == .progressing && after.canaryWeight != before.canaryWeight {
                    #expect(kind == .pass && after.canaryWeight > before.canaryWeight)
                }
            }
        }
    }
}
