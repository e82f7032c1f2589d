import BlastwallCore
import BlastwallDelivery
import BlastwallStorage
import Foundation
import Logging

/// Drives one rollout: each interval it measures, feeds the state machine, stores the result, then carries
/// out the machine's actions. The state is saved before the router is called, so after a crash the
/// controller knows the weight the router must carry and sets it again (router calls are idempotent).
actor RolloutRunner {
    let id: Int64
    let controlPlane: ControlPlane
    let router: any TrafficRouter
    let metrics: any MetricsProvider
    let webhook: RollbackWebhook?
    let logger: Logger
    let clock: @Sendable () -> Double
    /// The leader's epoch every write checks (servers sharing PostgreSQL); nil when no other server can lead.
    let fence: Int64?
    /// Set once a write was refused because another server leads now: this runner then stops, writes nothing
    /// and no longer touches the router.
    private(set) var isFenced = false
    private let lock = AsyncLock()
    private var record: RolloutRecord
    private var machine: RolloutMachine
    private var ticks: Int64
    private var loop: Task<Void, Never>?
    private var lastRouterFailure: String?
    /// How many measured ticks apart the router is read back (see `checkRouter`): ten seconds at the default interval, and at most one
    /// extra router call for every ten measurements.
    static let routerCheckTicks = 10
    /// The last failure to read the router back, logged once rather than at every check.
    private var lastReadFailure: String?
    /// After a rollback the router stays watched this many ticks (a minute at the default interval), so a late
    /// call (a former leader waking from a freeze) cannot quietly send traffic to the canary again. Not after
    /// a promotion: teams then rework the router themselves, and a watch would fight them.
    static let watchTicksAfterRollback = 60
    private var ticksWatchedAfterRollback = 0
    private var isWatchingAfterRollback: Bool {
        machine.state.phase == .rolledBack && ticksWatchedAfterRollback < Self.watchTicksAfterRollback
    }

    init(
        record: RolloutRecord, ticks: Int64, controlPlane: ControlPlane, router: any TrafficRouter, metrics: any MetricsProvider,
        webhook: RollbackWebhook?, fence: Int64?, logger: Logger, clock: @escaping @Sendable () -> Double
    ) {
        id = record.id
        self.fence = fence
        self.record = record
        machine = RolloutMachine(spec: record.spec, state: record.state)
        self.ticks = ticks
        self.controlPlane = controlPlane
        self.router = router
        self.metrics = metrics
        self.webhook = webhook
        var logger = logger
        logger[metadataKey: "rollout"] = "\(record.id)"
        self.logger = logger
        self.clock = clock
    }

    var current: RolloutRecord { record }

    /// True once the rollout has ended and the router carries the final weight.
    var isSettled: Bool { machine.state.phase.isTerminal && machine.state.appliedWeight == machine.state.canaryWeight }

    /// True while the loop runs: until the rollout is settled, and after a rollback for its watch.
    private(set) var isLooping = false

    /// Starts a new rollout, or picks up a stored one after a stop, then ticks until it is settled.
    func begin() async {
        await lock.run { await self.resume() }
        startLoop()
    }

    private func startLoop() {
        isLooping = true
        loop = Task {
            await self.run()
            self.isLooping = false
        }
    }

    private func resume() async {
        guard machine.state.phase == .pending else { return await transition(.restarted(at: clock())) }
        // What the versions counted before this rollout is not its evidence: the analysis counts from here.
        do {
            record.analyzer.start(from: try await metrics.measure())
        } catch {
            logger.warning(
                "cannot read the counts the rollout starts from; its first reading counts in full", metadata: ["error": "\(error)"])
        }
        await transition(.start(at: clock()))
    }

    /// Stops the loop and waits for a tick under way, so nothing of this runner touches the router after.
    func stop() async {
        loop?.cancel()
        await loop?.value
    }

    private func run() async {
        let interval = Duration.milliseconds(Int64(record.spec.intervalSeconds * 1000))
        while !Task.isCancelled, !isFenced, !isSettled || isWatchingAfterRollback {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { break }
            await lock.run { await self.tick() }
        }
    }

    /// A person's command; refused when it does not apply in the rollout's phase.
    func command(_ event: RolloutEvent, by actor: String) async throws(RolloutTransitionError) -> RolloutRecord {
        try await lock.run { await self.commandHoldingLock(event, by: actor) }.get()
    }

    private func commandHoldingLock(_ event: RolloutEvent, by actor: String) async -> Result<RolloutRecord, RolloutTransitionError> {
        var probe = machine
        do throws(RolloutTransitionError) {
            _ = try probe.handle(event)
        } catch {
            return .failure(error)
        }
        await transition(event, actor: actor)
        // An undone promotion needs the loop again until the router confirms stable, and then its watch.
        if !isLooping, !isSettled || isWatchingAfterRollback { startLoop() }
        return .success(record)
    }

    private func tick() async {
        let now = clock()
        guard machine.state.phase == .progressing || machine.state.phase == .paused else {
            await applyWeightIfNeeded()
            if isSettled, isWatchingAfterRollback {
                ticksWatchedAfterRollback += 1
                if ticksWatchedAfterRollback % Self.routerCheckTicks == 0 { await checkRouter() }
            }
            return
        }
        let observation: Observation
        let elapsed = now - (machine.state.startedAt ?? now)
        do {
            let counts = try await metrics.measure()
            observation = Observation(time: elapsed, canary: counts.canary, baseline: counts.baseline)
        } catch {
            logger.warning("metrics unavailable", metadata: ["error": "\(error)"])
            observation = Observation(time: elapsed, canary: nil, baseline: nil)
        }
        let result = record.analyzer.observe(observation)
        record.lastResult = result
        ticks += 1
        await transition(.measured(result, at: now), tick: result)
        if ticks % Int64(Self.routerCheckTicks) == 0 { await checkRouter() }
    }

    /// Reads the weight back from the router and sets it again when it differs from what this rollout set:
    /// an HAProxy reload drops runtime weights, a person may edit the load balancer, a server that lost the
    /// lead may make one late call. Only once the router confirmed the machine's weight, so a change under
    /// way is never mistaken for drift.
    private func checkRouter() async {
        let expected = machine.state.canaryWeight
        guard machine.state.appliedWeight == expected, !isFenced else { return }
        let actual: Int
        do {
            actual = try await router.canaryWeight()
        } catch {
            if lastReadFailure != error.description {
                logger.warning("cannot read the router's weight back", metadata: ["error": "\(error)"])
                lastReadFailure = error.description
            }
            return
        }
        lastReadFailure = nil
        guard actual != expected else { return }
        logger.warning("the router's weight drifted; setting it again", metadata: ["found": "\(actual)", "expected": "\(expected)"])
        let detail = "the router carried \(actual)% for the canary instead of \(expected)%; set back to \(expected)%"
        await save(actions: [.record(kind: "rollout.router_drift", detail: detail)], actor: "rollout-controller", tick: nil)
        guard !isFenced else { return }
        do {
            try await router.setCanaryWeight(expected)
        } catch {
            await routerFailed(error, setting: expected)
        }
    }

    /// Logs a failed router call, and records it once per distinct failure; the next tick tries again.
    private func routerFailed(_ error: RouterError, setting weight: Int) async {
        logger.error("router failed", metadata: ["canary_weight": "\(weight)", "error": "\(error)"])
        guard lastRouterFailure != error.description else { return }
        lastRouterFailure = error.description
        await save(actions: [.record(kind: "rollout.router_failed", detail: error.description)], actor: "rollout-controller", tick: nil)
    }

    /// Feeds one event, stores the outcome with its audit events, then carries out the actions.
    private func transition(_ event: RolloutEvent, actor: String = "rollout-controller", tick: AnalysisResult? = nil) async {
        let actions: [RolloutAction]
        do {
            actions = try machine.handle(event)
        } catch {
            logger.error("refused transition", metadata: ["event": "\(event)", "error": "\(error)"])
            return
        }
        await save(actions: actions, actor: actor, tick: tick)
        guard !isFenced else { return }
        for action in actions {
            switch action {
            case .setCanaryWeight: await applyWeightIfNeeded()
            case .notifyRollback(let cause, let reason): notify(cause: cause, reason: reason)
            case .record: break
            }
        }
    }

    /// Makes the router carry the machine's weight; a failure is logged and tried again next tick.
    private func applyWeightIfNeeded() async {
        let weight = machine.state.canaryWeight
        guard machine.state.appliedWeight != weight, machine.state.phase != .pending, !isFenced else { return }
        do {
            try await router.setCanaryWeight(weight)
            lastRouterFailure = nil
            let actions = (try? machine.handle(.routerApplied(weight: weight, at: clock()))) ?? []
            await save(actions: actions, actor: "rollout-controller", tick: nil)
            logger.info("router set", metadata: routerSetMetadata(weight))
        } catch {
            await routerFailed(error, setting: weight)
        }
    }

    /// Why the weight moved, for the log: a rollback names its cause and reason and the evidence it acted on.
    private func routerSetMetadata(_ weight: Int) -> Logger.Metadata {
        let state = machine.state
        var metadata: Logger.Metadata = [
            "canary_weight": "\(weight)", "phase": "\(state.phase.rawValue)", "step": "\(state.stepIndex + 1)",
        ]
        if let cause = state.rollbackCause {
            metadata["rollback_cause"] = "\(cause.rawValue)"
            metadata["reason"] = "\(state.rollbackReason ?? "")"
        } else if let reason = state.pauseReason {
            metadata["reason"] = "\(reason)"
        }
        if let result = record.lastResult, state.rollbackCause != nil || state.phase == .promoted {
            metadata["verdict"] = "\(result.verdict.rawValue)"
            let evidence = result.evidence
            metadata["evidence"] =
                "canary \(evidence.canary.requests) requests (\(evidence.canary.errors) errors), baseline \(evidence.baseline.requests) requests (\(evidence.baseline.errors) errors)"
        }
        return metadata
    }

    private func save(actions: [RolloutAction], actor: String, tick: AnalysisResult?) async {
        record.state = machine.state
        let record = self.record
        let tickNumber = ticks
        let time = controlPlane.now()
        let events: [(kind: String, detail: String)] = actions.compactMap {
            if case .record(let kind, let detail) = $0 {
                return (record.drill ? kind.replacingOccurrences(of: "rollout.", with: "drill.") : kind, detail)
            }
            return nil
        }
        let fence = fence
        do {
            try await controlPlane.database.transaction { transaction in
                if let fence { try await LeadershipStore.require(transaction, epoch: fence) }
                try await RolloutStore.save(
                    transaction, id: record.id, state: record.state, analyzer: record.analyzer, lastResult: record.lastResult, time: time)
                if let tick {
                    try await RolloutStore.appendTick(
                        transaction, rollout: record.id, tick: tickNumber, time: time, step: record.state.stepIndex + 1,
                        canaryWeight: record.state.canaryWeight, result: tick)
                }
                for event in events {
                    try await AuditLog.append(
                        transaction, time: time, actor: actor, action: event.kind, subject: "rollout/\(record.id)",
                        payload: Self.payload(event.detail, record: record), notifyingOthers: ControlPlane.othersMustHear(event.kind))
                }
            }
        } catch let lost as LeadershipLost {
            isFenced = true
            loop?.cancel()
            logger.warning("another server leads rollouts now; this one stops running the rollout", metadata: ["reason": "\(lost)"])
        } catch {
            logger.error("cannot save the rollout", metadata: ["error": "\(error)"])
        }
    }

    /// What the audit log keeps of a transition: the sentence, the weight, and the evidence when it decided.
    static func payload(_ detail: String, record: RolloutRecord) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("detail", .string(detail)), ("service", .string(record.spec.service)), ("version", .string(record.spec.version)),
            ("phase", .string(record.state.phase.rawValue)), ("canary_weight", .int(Int64(record.state.canaryWeight))),
        ]
        if record.state.phase == .rolledBack {
            members.append(("cause", .string(record.state.rollbackCause?.rawValue ?? "unknown")))
            if let detect = record.state.timeToDetect { members.append(("time_to_detect_s", .double(detect))) }
            if let recover = record.state.timeToRecover { members.append(("time_to_recover_s", .double(recover))) }
            if let result = record.lastResult { members.append(("evidence", result.json)) }
        }
        return .object(members)
    }

    private func notify(cause: RollbackCause, reason: String) {
        guard let webhook else { return }
        let record = self.record
        var payload: [(String, JSONValue)] = [
            ("event", .string(record.drill ? "drill.rolled_back" : "rollout.rolled_back")), ("rollout", .int(record.id)),
            ("service", .string(record.spec.service)), ("version", .string(record.spec.version)),
            ("stable", .string(record.spec.stableVersion)), ("cause", .string(cause.rawValue)), ("reason", .string(reason)),
            ("time_to_detect_s", record.state.timeToDetect.map { .double($0) } ?? .null),
        ]
        if let result = record.lastResult { payload.append(("evidence", result.json)) }
        let logger = self.logger
        Task { _ = await webhook.send(.object(payload), logger: logger) }
    }
}
