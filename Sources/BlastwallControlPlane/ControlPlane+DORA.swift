import BlastwallCore
import BlastwallStorage
import CEL

extension ControlPlane {
    /// DORA's four keys over the days before now, and how well suspects were ranked.
    public struct DORAView: Sendable {
        public var since: String
        public var days: Double
        public var figures: [DORAFigures]
        /// Of incidents with a confirmed cause: how many, how many had it ranked first, and its mean rank.
        public var confirmed: Int
        public var causeRankedFirst: Int
        public var meanCauseRank: Double?
    }

    /// Deployments are rollouts that finished (promoted or rolled back; drills are not deployments) in the
    /// window. A deployment failed when it was rolled back or confirmed as an incident's cause; its recovery is
    /// the incident's time to restore, else the rollback's detection to recovery. Lead time runs from the
    /// change's first commit to the rollout's end.
    public func dora(days: Double, service: String?, tier: Int?, by split: DORAMetrics.Split, actor: Principal)
        async throws(ControlPlaneError) -> DORAView
    {
        try require(.read, of: actor)
        guard days > 0, days <= 3_650 else { throw .invalid(field: "since", message: "must be between 1 day and 10 years") }
        let nowText = now()
        guard let now = Timestamp(rfc3339: nowText) else { throw .storage("the clock gave an unreadable time") }
        let sinceSeconds = Double(now.nanoseconds) / 1e9 - days * 86_400
        let since = Self.timeText(milliseconds: Int64(sinceSeconds * 1000))
        let (rollouts, incidents, changes) = try await read {
            // A deployment of the window was created at most a week before it.
            let createdSince = Self.timeText(milliseconds: Int64((sinceSeconds - 7 * 86_400) * 1000))
            let rollouts = try await RolloutStore.touched(database, since: since, until: nowText, createdSince: createdSince)
            let incidents = try await IncidentStore.confirmed(database, since: since)
            var changes: [Int64: ChangeRecord] = [:]
            for id in Set(rollouts.compactMap(\.changeID)) { changes[id] = try await ChangeStore.find(database, id: id) }
            return (rollouts, incidents, changes)
        }
        let causes = Dictionary(
            incidents.map { ($0.confirmedCause ?? "", Self.timeToRestore($0)) }, uniquingKeysWith: { first, _ in first })
        var deployments: [DORADeployment] = []
        for rollout in rollouts where !rollout.drill {
            guard rollout.phase == .promoted || rollout.phase == .rolledBack, let finished = rollout.finishedAt, finished >= sinceSeconds
            else {
                continue
            }
            let name = rollout.service
            if let service, name != service { continue }
            let serviceTier = configuration.service(named: name)?.tier
            if let tier, serviceTier != tier { continue }
            let reference = "rollout/\(rollout.id)"
            let change = rollout.changeID.flatMap { changes[$0] }
            let firstCommit = (change?.report["commits"]?.arrayValue ?? []).compactMap { $0["authored_at"]?.stringValue }
                .compactMap(Timestamp.init(rfc3339:)).min()
            let cause = causes[reference]
            let failed = rollout.phase == .rolledBack || cause != nil
            var recovery: Double?
            if let restored = cause ?? nil {
                recovery = restored
            } else if rollout.phase == .rolledBack, let start = rollout.detectedAt ?? rollout.startedAt {
                recovery = max(0, (rollout.recoveredAt ?? finished) - start)
            }
            deployments.append(
                DORADeployment(
                    reference: reference, service: name, tier: serviceTier, provenance: change?.provenance ?? "human",
                    finishedAt: Timestamp(nanoseconds: Int128(finished * 1e9))!, firstCommitAt: firstCommit, failed: failed,
                    recoverySeconds: failed ? recovery : nil))
        }
        let ranks = incidents.map { incident -> Int? in
            (incident.suspects["ranked"]?.arrayValue ?? []).firstIndex { $0["reference"]?.stringValue == incident.confirmedCause }
                .map { $0 + 1 }
        }
        let known = ranks.compactMap { $0 }
        return DORAView(
            since: since, days: days, figures: DORAMetrics.figures(deployments, days: days, by: split), confirmed: incidents.count,
            causeRankedFirst: known.filter { $0 == 1 }.count,
            meanCauseRank: known.isEmpty ? nil : Double(known.reduce(0, +)) / Double(known.count))
    }
}
