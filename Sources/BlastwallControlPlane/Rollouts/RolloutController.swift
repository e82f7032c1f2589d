import BlastwallCore
import BlastwallDelivery
import BlastwallStorage
import Foundation
import Logging
import Synchronization

/// Runs every unfinished rollout: one runner each, built from the rollout's router and metrics provider.
/// On start it picks up what a previous process left, from storage.
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

    public init(
        controlPlane: ControlPlane, logger: Logger, environment: [String: String] = ProcessInfo.processInfo.environment,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.controlPlane = controlPlane
        self.logger = logger
        self.environment = environment
        self.clock = clock
    }

    /// Resumes what was running when the previous process stopped: never a promotion on the way up.
    public func start() async throws {
        let unfinished = try await RolloutStore.unfinished(controlPlane.database)
        for record in unfinished {
            logger.info("resuming rollout", metadata: ["rollout": "\(record.id)", "phase": "\(record.state.phase.rawValue)"])
            await launch(record)
        }
    }

    public func stop() async {
        for runner in runners.withLock({ Array($0.values) }) { await runner.stop() }
    }

    /// Checks and stores a new rollout, then starts it.
    public func create(_ spec: RolloutSpec, drill: Bool = false, by actor: Principal) async throws(ControlPlaneError) -> RolloutRecord {
        let record = try await controlPlane.createRollout(spec, drill: drill, by: actor)
        return await launch(record)
    }

    @discardableResult
    func launch(_ record: RolloutRecord) async -> RolloutRecord {
        await forgetSettled()
        let runner = await makeRunner(record)
        await runner.begin()
        return await runner.current
    }

    public func command(_ command: Command, rollout id: Int64, by actor: Principal) async throws(ControlPlaneError) -> RolloutRecord {
        try controlPlane.require(.rollout, of: actor)
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
        let recent = try await controlPlane.rollouts(service: service, limit: 50, by: actor)
        guard let latest = recent.first(where: { $0.state.phase != .rolledBack && $0.state.phase != .pending }) else {
            throw .notFound("\(service) has no rollout to undo")
        }
        return try await send(.undo(by: actor.name, at: clock()), rollout: latest.id, by: actor)
    }

    private func send(_ event: RolloutEvent, rollout id: Int64, by actor: Principal) async throws(ControlPlaneError) -> RolloutRecord {
        let runner: RolloutRunner
        if let running = runners.withLock({ $0[id] }) {
            runner = running
        } else {
            // An ended rollout (undo after a promotion) gets a runner for as long as its command takes.
            runner = await makeRunner(try await controlPlane.rollout(id: id, by: actor))
        }
        do {
            return try await runner.command(event, by: actor.name)
        } catch {
            throw .conflict(error.description)
        }
    }

    /// The record as the runner holds it now (fresher than storage between ticks), else from storage.
    public func current(rollout id: Int64, by actor: Principal) async throws(ControlPlaneError) -> RolloutRecord {
        if let runner = runners.withLock({ $0[id] }) {
            try controlPlane.require(.read, of: actor)
            return await runner.current
        }
        return try await controlPlane.rollout(id: id, by: actor)
    }

    /// A runner for a stored rollout, with its router, metrics provider and webhook, registered by id.
    private func makeRunner(_ record: RolloutRecord) async -> RolloutRunner {
        let ticks = (try? await RolloutStore.tickCount(controlPlane.database, rollout: record.id)) ?? 0
        let runner = RolloutRunner(
            record: record, ticks: ticks, controlPlane: controlPlane, router: router(for: record), metrics: metrics(for: record),
            webhook: webhook(for: record), logger: logger, clock: clock)
        runners.withLock { $0[record.id] = runner }
        return runner
    }

    /// Drops runners whose rollouts have ended with the router confirmed; storage answers for them.
    private func forgetSettled() async {
        for (id, runner) in runners.withLock({ Array($0) }) where await runner.isSettled {
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
