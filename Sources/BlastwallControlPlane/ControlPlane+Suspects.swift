import BlastwallCore
import BlastwallStorage
import CEL

extension ControlPlane {
    /// What changed production in the window before `start`, from what the control plane recorded: rollouts
    /// (with their change, inconclusive ticks and pauses), kill-switch flips, lifted freezes and agents'
    /// operations. Ranking is left to `SuspectRanking`.
    ///
    /// Untyped `throws`, like `RepositoryMirrors.analyse`: Swift 6.3 miscompiles this chain of typed-throwing
    /// async calls (it resumes a null frame); callers map errors with `ControlPlaneError.from`.
    func suspectCandidates(before start: Timestamp) async throws -> [SuspectCandidate] {
        let windowStart = Self.timeText(
            milliseconds: Int64(start.nanoseconds / 1_000_000) - Int64(configuration.incidents.window * 1000))
        let startText = Self.timeText(milliseconds: Int64(start.nanoseconds / 1_000_000))
        var candidates: [SuspectCandidate] = []
        for rollout in try await RolloutStore.touched(database, since: windowStart) where !rollout.drill {
            if let candidate = try await candidate(rollout, start: start) { candidates.append(candidate) }
        }
        candidates += try await auditedCandidates(since: windowStart, until: startText)
        return candidates
    }

    private func candidate(_ rollout: RolloutRecord, start: Timestamp) async throws -> SuspectCandidate? {
        let state = rollout.state
        let startSeconds = Double(start.nanoseconds) / 1e9
        guard let began = state.startedAt, began <= startSeconds else { return nil }
        let spec = rollout.spec
        let endedBefore = state.finishedAt.map { $0 <= startSeconds } ?? false
        let time = endedBefore ? state.finishedAt! : min(max(state.stepStartedAt, began), startSeconds)
        let name = "rollout \(rollout.id) of \(spec.service) \(spec.version)"
        let summary: String
        let rollback: SuspectCandidate.Rollback?
        switch (endedBefore, state.phase) {
        case (true, .promoted):
            summary = "\(name) was promoted to 100%"
            rollback = .undoRollout(id: rollout.id, service: spec.service)
        case (true, _):
            summary = "\(name) was rolled back"
            rollback = nil
        default:
            summary = "\(name) reached \(state.canaryWeight)%"
            rollback = state.phase == .promoted ? .undoRollout(id: rollout.id, service: spec.service) : .abortRollout(id: rollout.id)
        }
        var candidate = SuspectCandidate(
            kind: spec.router.kind == "flags" ? .flag : .rollout, reference: "rollout/\(rollout.id)", service: spec.service,
            time: Timestamp(nanoseconds: Int128(time * 1e9))!, isInProgress: !endedBefore, summary: summary, rollback: rollback)
        if let id = rollout.changeID, let change = try await ChangeStore.find(database, id: id) {
            candidate.changeID = id
            candidate.risk = change.report["risk"]?["score"]?.intValue
            candidate.riskLevel = change.report["risk"]?["level"]?.stringValue
            candidate.provenance = change.provenance
        }
        candidate.inconclusiveTicks = try await RolloutStore.inconclusiveTicks(database, rollout: rollout.id)
        candidate.pauses =
            try await AuditLog.search(
                database, AuditLog.Filter(action: "rollout.paused", subject: "rollout/\(rollout.id)"), before: nil, limit: 100
            )
            .count
        return candidate
    }

    /// Switch flips, lifted freezes and agents' operations, from the audit log: the latest of each subject.
    private func auditedCandidates(since: String, until: String) async throws -> [SuspectCandidate] {
        var candidates: [SuspectCandidate] = []
        var seen: Set<String> = []
        for action in ["switch.flipped", "freeze.lifted", "operation.grant_used", "agent.decision"] {
            let events = try await AuditLog.search(
                database, AuditLog.Filter(action: action, since: since, until: until), before: nil, limit: 5_000)
            for event in events {
                guard let time = Timestamp(rfc3339: event.time) else { continue }
                switch action {
                case "switch.flipped":
                    guard seen.insert(event.subject).inserted else { continue }
                    let name = String(event.subject.dropFirst("switch/".count))
                    let enabled = event.payload["enabled"] == .bool(true)
                    candidates.append(
                        SuspectCandidate(
                            kind: .killSwitch, reference: event.subject, service: nil, time: time,
                            summary: "switch \(name) turned \(enabled ? "on" : "off") by \(event.actor)",
                            rollback: .flipSwitch(name: name, to: !enabled)))
                case "freeze.lifted":
                    guard seen.insert(event.subject).inserted else { continue }
                    candidates.append(
                        SuspectCandidate(
                            kind: .freezeLifted, reference: event.subject, service: nil, time: time,
                            summary: "\(event.subject.replacing("/", with: " ")) lifted by \(event.actor)"))
                default:
                    // An agent's command that ran and could change something: granted, or allowed and not a read.
                    let operation = event.payload["operation"]?.stringValue ?? "unknown"
                    if action == "agent.decision" {
                        guard event.payload["verdict"]?.stringValue == "allow", operation != "read" else { continue }
                    }
                    let agent = event.payload["agent"]?.stringValue ?? event.actor
                    let command = event.payload["command"]?.stringValue ?? "a command"
                    let environment = event.payload["environment"]?.stringValue.map { " in \($0)" } ?? ""
                    candidates.append(
                        SuspectCandidate(
                            kind: .agentOperation, reference: "audit/\(event.sequence)",
                            service: event.payload["services"]?.arrayValue?.first?.stringValue, time: time,
                            summary: "agent \(agent) ran `\(command.prefix(120))`\(environment) (\(operation))"))
                }
            }
        }
        return candidates
    }

    /// The ranked suspects of an incident, as stored and shown.
    func rankSuspects(service: String?, start: Timestamp) async throws -> (ranked: [Suspect], unrelated: [Suspect]) {
        let candidates = try await suspectCandidates(before: start)
        return SuspectRanking(window: configuration.incidents.window).rank(
            candidates, service: service, start: start, graph: DependencyGraph(services: configuration.services))
    }
}
