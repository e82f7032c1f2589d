import BlastwallCore
import BlastwallStorage

extension ControlPlane {
    /// Checks a rollout against policy and stores it as pending; the controller starts it.
    ///
    /// Refused when: its change's gate is not satisfied (freezes on the service included), the change requires a
    /// canary and the first step is 100%, the first step exceeds the change's or the tier's cap, or another
    /// rollout of the service is still running. Drills skip the gate: they rehearse a rollback, they ship nothing.
    public func createRollout(_ spec: RolloutSpec, drill: Bool, by actor: Principal) async throws(ControlPlaneError) -> RolloutRecord {
        try require(.rollout, of: actor)
        guard configuration.services.isEmpty || configuration.service(named: spec.service) != nil else {
            throw .invalid(field: "service", message: "'\(spec.service)' is not a service in blastwall.yml")
        }
        var requirements: Requirements?
        var changeID: Int64?
        if !drill {
            guard let changeText = spec.change, let id = Int64(changeText) else {
                throw .invalid(
                    field: "change", message: "name the change whose gate allows this rollout (change: ID from 'blastwall check --submit')")
            }
            changeID = id
            requirements = try await satisfiedGate(changeID: id, service: spec.service)
        }
        let tier = configuration.service(named: spec.service)?.tier
        let problems = RolloutPolicy.violations(
            of: spec, requirements: requirements, tier: tier, tierCaps: configuration.maxInitialWeightByTier)
        if !problems.isEmpty { throw .invalid(field: "steps", message: problems.joined(separator: "; ")) }

        let time = now()
        let record = RolloutRecord(
            spec: spec, changeID: changeID, drill: drill, analyzer: CanaryAnalyzer(settings: spec.analysis), createdBy: actor.name,
            createdAt: time, updatedAt: time)
        return try await write { transaction in
            let running = try await RolloutStore.list(transaction, service: spec.service, limit: 20).filter { !$0.state.phase.isTerminal }
            if let other = running.first {
                throw ControlPlaneError.conflict(
                    "rollout \(other.id) of \(spec.service) (\(other.spec.version)) is still \(other.state.phase.rawValue); promote, abort or wait for it"
                )
            }
            let created = try await RolloutStore.insert(transaction, record)
            let action = drill ? "drill.created" : "rollout.created"
            try await AuditLog.append(
                transaction, time: time, actor: actor.name, action: action, subject: "rollout/\(created.id)",
                payload: Self.auditPayload(created), notifyingOthers: Self.othersMustHear(action))
            return created
        }
    }

    /// Deletes the per-tick evidence of rollouts that ended more than `seconds` ago, and records that it did.
    @discardableResult
    public func pruneRolloutTicks(olderThan seconds: Double) async throws -> Int {
        let time = now()
        guard let cutoff = Self.time(seconds, before: time) else { return 0 }
        return try await database.transaction { transaction in
            let deleted = try await RolloutStore.pruneTicks(transaction, endedBefore: cutoff)
            if deleted > 0 {
                let action = "rollout.ticks_pruned"
                try await AuditLog.append(
                    transaction, time: time, actor: "system", action: action, subject: "rollout_ticks",
                    payload: .object([("deleted", .int(Int64(deleted))), ("ended_before", .string(cutoff))]),
                    notifyingOthers: Self.othersMustHear(action))
            }
            return deleted
        }
    }

    /// The change's requirements when its gate is satisfied for this service, freezes on the service included.
    private func satisfiedGate(changeID: Int64, service: String) async throws(ControlPlaneError) -> Requirements {
        try await read {
            guard var change = try await ChangeStore.find(database, id: changeID) else {
                throw ControlPlaneError.invalid(field: "change", message: "there is no change \(changeID)")
            }
            if !change.services.contains(service) { change.services.append(service) }
            let reviews = try await ReviewStore.all(database, changeID: changeID).filter { $0.dismissedAt == nil }
            let (status, _) = try self.status(of: change, reviews: reviews)
            guard status.state == .satisfied else {
                let why = (status.reasons + status.missing.map { "needs \($0)" }).joined(separator: "; ")
                throw ControlPlaneError.conflict(
                    "the gate of change \(changeID) is \(status.state.rawValue)\(why.isEmpty ? "" : ": \(why)"); a rollout needs it satisfied"
                )
            }
            return try GateRequirements(stored: change.gate).requirements
        }
    }

    public func rollout(id: Int64, by actor: Principal) async throws(ControlPlaneError) -> RolloutRecord {
        try require(.read, of: actor)
        return try await read {
            guard let found = try await RolloutStore.find(database, id: id) else { throw ControlPlaneError.notFound("no rollout \(id)") }
            return found
        }
    }

    public func rollouts(service: String?, limit: Int, by actor: Principal) async throws(ControlPlaneError) -> [RolloutRecord] {
        try require(.read, of: actor)
        return try await read { try await RolloutStore.list(database, service: service, limit: limit) }
    }

    /// The rollouts that shipped change `id`, newest first.
    public func rollouts(shipping id: Int64, by actor: Principal) async throws(ControlPlaneError) -> [RolloutRecord] {
        try require(.read, of: actor)
        return try await read { try await RolloutStore.shipping(database, change: id) }
    }

    /// Every rollout still pending, progressing or paused, oldest first.
    public func activeRollouts(by actor: Principal) async throws(ControlPlaneError) -> [RolloutRecord] {
        try require(.read, of: actor)
        return try await read { try await RolloutStore.active(database) }
    }

    public func rolloutTicks(id: Int64, limit: Int, by actor: Principal) async throws(ControlPlaneError) -> [RolloutTick] {
        try require(.read, of: actor)
        return try await read { try await RolloutStore.ticks(database, rollout: id, limit: limit) }
    }

    /// Adds counts pushed by a team without Prometheus to the rollout's running totals.
    public func pushObservations(rollout id: Int64, canary: VersionCounts, baseline: VersionCounts, by actor: Principal)
        async throws(ControlPlaneError) -> (canary: VersionCounts, baseline: VersionCounts)
    {
        try require(.pushObservations, of: actor)
        let time = now()
        return try await write { transaction in
            guard let rollout = try await RolloutStore.find(transaction, id: id) else {
                throw ControlPlaneError.notFound("no rollout \(id)")
            }
            guard rollout.spec.metrics == .push else {
                throw ControlPlaneError.conflict("rollout \(id) reads its metrics from \(rollout.spec.metrics.kind), not from pushes")
            }
            guard !rollout.state.phase.isTerminal else {
                throw ControlPlaneError.conflict(
                    "rollout \(id) has ended (\(rollout.state.phase.rawValue)); its analysis takes no more data")
            }
            return try await RolloutStore.addObservation(transaction, rollout: id, canary: canary, baseline: baseline, time: time)
        }
    }

    /// Whether `key` is on the new side of flag `name`: the `flags` router's answer to applications.
    public func evaluateFlag(_ name: String, key: String, by actor: Principal) async throws(ControlPlaneError) -> (
        on: Bool, percentage: Int
    ) {
        try require(.read, of: actor)
        let percentage = flags.withLock { $0[name] }
        guard let percentage else { throw .notFound("no flag '\(name)'; a rollout with router type 'flags' creates it") }
        return (PercentageFlag.isOn(flag: name, key: key, percentage: percentage), percentage)
    }

    static func auditPayload(_ rollout: RolloutRecord) -> JSONValue {
        .object([
            ("service", .string(rollout.spec.service)), ("version", .string(rollout.spec.version)),
            ("stable", .string(rollout.spec.stableVersion)), ("artifact", .string(rollout.spec.artifact)),
            ("change", rollout.changeID.map { .int($0) } ?? .null), ("drill", .bool(rollout.drill)),
            ("router", .string(rollout.spec.router.kind)), ("steps", .array(rollout.spec.steps.map { .int(Int64($0.weight)) })),
        ])
    }
}
