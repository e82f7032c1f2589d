import BlastwallCore
import BlastwallStorage
import CEL

extension SuspectCandidate {
    /// The change behind it: its id, risk and provenance.
    mutating func describe(_ change: ChangeSummary) {
        changeID = change.id
        risk = change.riskScore
        riskLevel = change.riskLevel
        provenance = change.provenance
    }
}

extension ControlPlane {
    /// What changed production in the window before `start`, from what the control plane recorded: rollouts
    /// (with their change, inconclusive ticks and pauses), changes cleared to ship without a rollout (code or
    /// configuration), kill-switch flips, lifted freezes and agents' operations. Ranking is left to `SuspectRanking`.
    ///
    /// Untyped `throws`, like `RepositoryMirrors.analyse`: Swift 6.3 miscompiles this chain of typed-throwing
    /// async calls (it resumes a null frame); callers map errors with `ControlPlaneError.from`.
    func suspectCandidates(before start: Timestamp) async throws -> [SuspectCandidate] {
        let windowStart = Self.timeText(
            milliseconds: Int64(start.nanoseconds / 1_000_000) - Int64(configuration.incidents.window * 1000))
        let startText = Self.timeText(milliseconds: Int64(start.nanoseconds / 1_000_000))
        var candidates: [SuspectCandidate] = []
        // A rollout still running when the window began started at most a week before it (longer ones are not read).
        let createdSince = Self.timeText(
            milliseconds: Int64(start.nanoseconds / 1_000_000) - Int64((configuration.incidents.window + 7 * 86_400) * 1000))
        let rollouts = try await RolloutStore.touched(database, since: windowStart, until: startText, createdSince: createdSince)
            .filter { !$0.drill }
        // Doubts of every rollout of the window in two queries, not two per rollout.
        let inconclusive = try await RolloutStore.inconclusiveTicks(database, rollouts: rollouts.map(\.id))
        var pauses: [String: Int] = [:]
        for event in try await AuditLog.search(
            database, AuditLog.Filter(action: "rollout.paused", since: windowStart, until: startText), before: nil, limit: 10_000)
        {
            pauses[event.subject, default: 0] += 1
        }
        let changes = try await ChangeStore.summaries(database, ids: Array(Set(rollouts.compactMap(\.changeID))))
        for rollout in rollouts {
            guard var candidate = candidate(rollout, start: start) else { continue }
            if let change = rollout.changeID.flatMap({ changes[$0] }) { candidate.describe(change) }
            candidate.inconclusiveTicks = inconclusive[rollout.id] ?? 0
            candidate.pauses = pauses["rollout/\(rollout.id)"] ?? 0
            candidates.append(candidate)
        }
        for change in try await ChangeStore.satisfiedWithoutRollout(database, since: windowStart, until: startText) {
            guard let time = Timestamp(rfc3339: change.updatedAt) else { continue }
            let configuration = !SuspectCandidate.configurationClasses.isDisjoint(with: change.classes)
            var candidate = SuspectCandidate(
                kind: configuration ? .configuration : .change, reference: "change/\(change.id)", service: change.services.first,
                alsoOn: Array(change.services.dropFirst()), time: time,
                summary: "\(configuration ? "configuration change" : "change") \(change.id) (\(change.repository) \(change.branch)) "
                    + "was cleared to ship, without a rollout")
            candidate.describe(change)
            candidates.append(candidate)
        }
        candidates += try await auditedCandidates(since: windowStart, until: startText)
        return candidates
    }

    private func candidate(_ rollout: RolloutSummary, start: Timestamp) -> SuspectCandidate? {
        let startSeconds = Double(start.nanoseconds) / 1e9
        guard let began = rollout.startedAt, began <= startSeconds else { return nil }
        let endedBefore = rollout.finishedAt.map { $0 <= startSeconds } ?? false
        let time = endedBefore ? rollout.finishedAt! : min(max(rollout.stepStartedAt, began), startSeconds)
        let name = "rollout \(rollout.id) of \(rollout.service) \(rollout.version)"
        let summary: String
        let rollback: SuspectCandidate.Rollback?
        switch (endedBefore, rollout.phase) {
        case (true, .promoted):
            summary = "\(name) was promoted to 100%"
            rollback = .undoRollout(id: rollout.id, service: rollout.service)
        case (true, _):
            summary = "\(name) was rolled back"
            rollback = nil
        default:
            summary = "\(name) reached \(rollout.canaryWeight)%"
            rollback = rollout.phase == .promoted ? .undoRollout(id: rollout.id, service: rollout.service) : .abortRollout(id: rollout.id)
        }
        return SuspectCandidate(
            kind: rollout.routerKind == "flags" ? .flag : .rollout, reference: "rollout/\(rollout.id)", service: rollout.service,
            time: Self.timestamp(seconds: time), isInProgress: !endedBefore, summary: summary, rollback: rollback)
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
