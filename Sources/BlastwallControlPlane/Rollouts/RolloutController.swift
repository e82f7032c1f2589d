import BlastwallCore
import BlastwallDelivery
import BlastwallStorage
import Foundation
import Logging
import Synchronization

/// Runs every unfinished rollout: one runner each, built from the rollout's router and metrics provider.
/// On start it picks up what a previous process left, from storage.
///
/// Several servers on one PostgreSQL database elect one leader (`start(electingAs:)`): only it runs rollouts.
/// The others store new rollouts for it to pick up (at once when notified, else within a second) and refuse
/// commands (`notLeader`, naming it), which the HTTP layer forwards to it.
/// When the leader dies its lease goes with its connection, and another takes over from storage.
public final class RolloutController: Sendable {
    /// A person's command on a rollout.
    public enum Command: String, Sendable, CaseIterable {
        case pause, resume, promote, abort
    }

    let controlPlane: ControlPlane
    let logger: Logger
    let clock: @Sendable () -> Double
    /// Webhook secrets by environment variable name, read once at start.
    let environment: [String: String]
    private let runners = Mutex<[Int64: RolloutRunner]>([:])
    /// Whether this instance runs rollouts: always without an election.
    private let leading = Mutex(true)
    private let election = Mutex<Task<Void, Never>?>(nil)
    /// How this server names itself in elections; nil without one.
    private let holder = Mutex<String?>(nil)
    /// The epoch this server leads in, which its runners' writes check; nil without an election.
    private let epoch = Mutex<Int64?>(nil)
    /// The advisory lock all servers on one database compete for ("blastwal" in ASCII).
    static let leaseKey: Int64 = 0x626c_6173_7477_616c
    /// How often the leader looks for rollouts others stored and checks its epoch; a stored rollout's
    /// notification wakes it sooner, unless it does not listen (tests of what a missed notification leaves).
    let pollInterval: Duration
    let listensForNewRollouts: Bool
    private let newRollouts = Wakeup()

    public init(
        controlPlane: ControlPlane, logger: Logger, environment: [String: String] = ProcessInfo.processInfo.environment,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }, pollInterval: Duration = .seconds(1),
        listensForNewRollouts: Bool = true
    ) {
        self.controlPlane = controlPlane
        self.logger = logger
        self.environment = environment
        self.clock = clock
        self.pollInterval = pollInterval
        self.listensForNewRollouts = listensForNewRollouts
    }

    /// Resumes what was running when the previous process stopped: never a promotion on the way up. With
    /// `holder` (how other servers see this one, its URL), that waits until this server wins the election.
    public func start(electingAs holder: String? = nil) async throws {
        guard let holder else {
            try await resumeUnfinished()
            return
        }
        leading.withLock { $0 = false }
        self.holder.withLock { $0 = holder }
        let task = Task { await self.compete(as: holder) }
        election.withLock { $0 = task }
    }

    public var isLeading: Bool { leading.withLock { $0 } }

    public func stop() async {
        let task = election.withLock { $0 }
        task?.cancel()
        await task?.value
        await stopRunners()
    }

    private func stopRunners() async {
        for runner in runners.withLock({ Array($0.values) }) { await runner.stop() }
    }

    /// Launches every unfinished rollout that has no runner here.
    private func resumeUnfinished() async throws {
        for record in try await RolloutStore.unfinished(controlPlane.database) where runners.withLock({ $0[record.id] == nil }) {
            logger.info("resuming rollout", metadata: ["rollout": "\(record.id)", "phase": "\(record.state.phase.rawValue)"])
            await launch(record)
        }
    }

    /// Tries for the lease every second while another server holds it, and meanwhile hears of rollouts that
    /// other servers store, so that once leading it starts them at once.
    private func compete(as holder: String) async {
        await withTaskGroup(of: Void.self) { group in
            if listensForNewRollouts {
                group.addTask {
                    await self.controlPlane.database.listen(to: RolloutStore.newRolloutChannel) { self.newRollouts.signal() }
                }
            }
            group.addTask { await self.competeForLease(as: holder) }
            await group.waitForAll()
        }
    }

    private func competeForLease(as holder: String) async {
        while !Task.isCancelled {
            do {
                _ = try await controlPlane.database.withLease(Self.leaseKey, holder: holder) { await self.lead(as: holder) }
            } catch {
                logger.warning("rollout leadership: cannot reach the database", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// While holding the lease: resumes what is unfinished and picks up rollouts other instances stored.
    private func lead(as holder: String) async {
        // A new epoch first: from here on, writes of a former leader that has not noticed yet are refused.
        while !Task.isCancelled {
            do {
                let claimed = try await LeadershipStore.claim(controlPlane.database, holder: holder, time: controlPlane.now())
                epoch.withLock { $0 = claimed }
                break
            } catch {
                logger.warning("cannot record the rollout leader's epoch", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
        guard !Task.isCancelled else { return }
        leading.withLock { $0 = true }
        logger.info("leading rollouts", metadata: ["epoch": "\(epoch.withLock { $0 } ?? 0)"])
        while !Task.isCancelled {
            do {
                // Another server has claimed since (this one's session ended without it noticing): step down.
                if let latest = try await LeadershipStore.current(controlPlane.database), latest != epoch.withLock({ $0 }) {
                    logger.warning("another server has led rollouts since; stepping down", metadata: ["epoch": "\(latest)"])
                    break
                }
                try await resumeUnfinished()
            } catch {
                logger.warning("cannot check the epoch or read unfinished rollouts", metadata: ["error": "\(error)"])
            }
            await newRollouts.wait(upTo: pollInterval)
        }
        leading.withLock { $0 = false }
        // Taken and emptied at once, so no runner is left behind unstopped.
        let stale = runners.withLock { running in
            let all = Array(running.values)
            running.removeAll()
            return all
        }
        for runner in stale { await runner.stop() }
        logger.info("no longer leading rollouts")
    }

    /// How the server that runs rollouts named itself (its URL); nil while no server leads.
    public func leader() async throws(ControlPlaneError) -> String? {
        do {
            return try await controlPlane.database.leaseHolder(Self.leaseKey)
        } catch {
            throw .from(error)
        }
    }

    private func requireLeadership() async throws(ControlPlaneError) {
        guard !isLeading else { return }
        throw await notLeading()
    }

    /// Why this server cannot command a rollout, naming the one that can: never itself (a fenced leader still
    /// holds the lock until it steps down), so a forwarded command cannot come back here.
    private func notLeading() async -> ControlPlaneError {
        let leader = (try? await leader()) ?? nil
        return .notLeader(leader: leader == holder.withLock { $0 } ? nil : leader)
    }

    /// Checks and stores a new rollout, then starts it.
    public func create(_ spec: RolloutSpec, drill: Bool = false, by actor: Principal) async throws(ControlPlaneError) -> RolloutRecord {
        if drill { try await requireDrillIsSafe(spec, by: actor) }
        let record = try await controlPlane.createRollout(spec, drill: drill, by: actor)
        // Stored as pending; the leader, notified on commit, picks it up.
        guard isLeading else { return record }
        return await launch(record)
    }

    /// A drill ends by sending all traffic to its stable version, so that version must be the live one: after a
    /// promotion of v2, a drill whose stable is v1 would silently move production back to v1.
    private func requireDrillIsSafe(_ spec: RolloutSpec, by actor: Principal) async throws(ControlPlaneError) {
        guard let latest = try await latestRollout(of: spec.service, by: actor), latest.state.phase.isTerminal else { return }
        let live = latest.state.phase == .promoted ? latest.spec.version : latest.spec.stableVersion
        if live != spec.stableVersion {
            throw .conflict(
                "\(spec.service) serves \(live) (rollout #\(latest.id) \(latest.state.phase == .promoted ? "promoted it" : "rolled back to it")), "
                    + "but this drill's stable is \(spec.stableVersion): its rollback would move all traffic to \(spec.stableVersion). "
                    + "Drill with stable: \(live)")
        }
        if spec.version == live {
            throw .conflict("the drill's canary \(spec.version) is the live version of \(spec.service); drill a version that is not live")
        }
    }

    /// The service's latest rollout that has started: what decides the version it serves now.
    private func latestRollout(of service: String, by actor: Principal) async throws(ControlPlaneError) -> RolloutRecord? {
        try await controlPlane.rollouts(service: service, limit: 50, by: actor).first { $0.state.phase != .pending }
    }

    @discardableResult
    func launch(_ record: RolloutRecord) async -> RolloutRecord {
        await forgetSettled(service: record.spec.service)
        let (runner, isNew) = await makeRunner(record)
        if isNew { await runner.begin() }
        return await runner.current
    }

    public func command(_ command: Command, rollout id: Int64, by actor: Principal) async throws(ControlPlaneError) -> RolloutRecord {
        try controlPlane.require(.rollout, of: actor)
        try await requireLeadership()
        let now = clock()
        let event: RolloutEvent
        switch command {
        case .pause: event = .pause(by: actor.name, at: now)
        case .resume: event = .resume(by: actor.name, at: now)
        case .promote: event = .promote(by: actor.name, at: now)
        case .abort: event = .abort(by: actor.name, at: now)
        }
        return try await send(event, rollout: id, by: actor)
    }

    /// `rollout undo SERVICE`: the service's latest rollout that was not rolled back goes back to its stable
    /// version at once, even after a promotion; no steps, no analysis.
    public func undo(service: String, by actor: Principal) async throws(ControlPlaneError) -> RolloutRecord {
        try controlPlane.require(.rollout, of: actor)
        try await requireLeadership()
        // The service's current state is its latest rollout, not the last one that was not rolled back.
        guard let latest = try await latestRollout(of: service, by: actor) else {
            throw .notFound("\(service) has no rollout to undo")
        }
        guard latest.state.phase != .rolledBack else {
            throw .conflict(
                "\(service)'s latest rollout, #\(latest.id) of \(latest.spec.version), is already rolled back: \(latest.spec.stableVersion) serves all traffic"
            )
        }
        return try await send(.undo(by: actor.name, at: clock()), rollout: latest.id, by: actor)
    }

    private func send(_ event: RolloutEvent, rollout id: Int64, by actor: Principal) async throws(ControlPlaneError) -> RolloutRecord {
        let runner: RolloutRunner
        if let running = runners.withLock({ $0[id] }) {
            runner = running
        } else {
            // A rollout another server stored and this leader has not picked up yet starts now; an ended one
            // (undo after a promotion) gets a runner for as long as its command takes.
            let record = try await controlPlane.rollout(id: id, by: actor)
            let (made, isNew) = await makeRunner(record)
            if isNew, !record.state.phase.isTerminal { await made.begin() }
            runner = made
        }
        let updated: RolloutRecord
        do {
            updated = try await runner.command(event, by: actor.name)
        } catch {
            throw .conflict(error.description)
        }
        // Not stored: another server leads now, and this one has not yet noticed it lost the lease.
        if await runner.isFenced { throw await notLeading() }
        return updated
    }

    /// The record as the runner holds it now (fresher than storage between ticks), else from storage.
    public func current(rollout id: Int64, by actor: Principal) async throws(ControlPlaneError) -> RolloutRecord {
        if let runner = runners.withLock({ $0[id] }) {
            try controlPlane.require(.read, of: actor)
            return await runner.current
        }
        return try await controlPlane.rollout(id: id, by: actor)
    }

    /// The runner of a stored rollout, with its router, metrics provider and webhook, registered by id; the
    /// one already registered when there is one (a rollout picked up while its creator launches it).
    private func makeRunner(_ record: RolloutRecord) async -> (runner: RolloutRunner, isNew: Bool) {
        let ticks = (try? await RolloutStore.tickCount(controlPlane.database, rollout: record.id)) ?? 0
        let runner = RolloutRunner(
            record: record, ticks: ticks, controlPlane: controlPlane, router: router(for: record), metrics: metrics(for: record),
            webhook: webhook(for: record), fence: epoch.withLock { $0 }, logger: logger, clock: clock)
        return runners.withLock {
            if let existing = $0[record.id] { return (existing, false) }
            $0[record.id] = runner
            return (runner, true)
        }
    }

    /// Drops runners whose rollouts have ended with the router confirmed and are no longer watched; storage
    /// answers for them. A new rollout of `service` takes its router over, so that service's watch ends now.
    private func forgetSettled(service: String) async {
        for (id, runner) in runners.withLock({ Array($0) }) where await runner.isSettled {
            if await runner.isLooping {
                guard await runner.current.spec.service == service else { continue }
                await runner.stop()
            }
            runners.withLock { _ = $0.removeValue(forKey: id) }
        }
    }

    private func router(for record: RolloutRecord) -> any TrafficRouter {
        TrafficRouters.make(record.spec.router, service: record.spec.service, flags: controlPlane)
    }

    private func metrics(for record: RolloutRecord) -> any MetricsProvider {
        switch record.spec.metrics {
        case .push:
            return PushProvider(rollout: String(record.id), store: controlPlane)
        case .prometheus(let queries):
            return PrometheusProvider(
                queries: queries, service: record.spec.service, canaryVersion: record.spec.version, stableVersion: record.spec.stableVersion
            )
        }
    }

    private func webhook(for record: RolloutRecord) -> RollbackWebhook? {
        record.spec.notify.map { notify in
            RollbackWebhook(url: notify.url, secret: notify.secretEnvironmentVariable.flatMap { environment[$0] })
        }
    }
}
