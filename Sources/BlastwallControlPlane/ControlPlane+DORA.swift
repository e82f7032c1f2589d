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
        try await dora(days: days, service: service, tier: tier, splits: [split], actor: actor)[0]
    }

    /// The same, one view per split, from one read of the deployments (the dashboard shows two).
    public func dora(days: Double, service: String?, tier: Int?, splits: [DORAMetrics.Split], actor: Principal)
        async throws(ControlPlaneError) -> [DORAView]
    {
        try require(.read, of: actor)
        guard days > 0, days <= 3_650 else { throw .invalid(field: "since", message: "must be between 1 day and 10 years") }
        let nowText = now()
        guard let now = Timestamp(rfc3339: nowText) else { throw .storage("the clock gave an unreadable time") }
        let sinceSeconds = Double(now.nanoseconds) / 1e9 - days * 86_400
        let since = Self.timeText(milliseconds: Int64(sinceSeconds * 1000))
        let (rollouts, incidents) = try await read {
            (
                try await RolloutStore.deployments(database, endedSince: sinceSeconds),
                try await IncidentStore.confirmed(database, since: since)
            )
        }
        let causes = Dictionary(
            incidents.map { ($0.confirmedCause ?? "", Self.timeToRestore($0)) }, uniquingKeysWith: { first, _ in first })
        // By name once, not a scan of every service per deployment (100,000 deployments on 2,000 services).
        let tiers = Dictionary(configuration.services.map { ($0.name, $0.tier) }, uniquingKeysWith: { first, _ in first })
        var deployments: [DORADeployment] = []
        for rollout in rollouts {
            if let service, rollout.service != service { continue }
            let serviceTier = tiers[rollout.service]
            if let tier, serviceTier != tier { continue }
            let reference = "rollout/\(rollout.rolloutID)"
            let cause = causes[reference]
            let failed = rollout.rolledBack || cause != nil
            var recovery: Double?
            if let restored = cause ?? nil {
                recovery = restored
            } else if rollout.rolledBack, let start = rollout.detectedAt ?? rollout.startedAt {
                recovery = max(0, (rollout.recoveredAt ?? rollout.finishedAt) - start)
            }
            deployments.append(
                DORADeployment(
                    reference: reference, service: rollout.service, tier: serviceTier, provenance: rollout.provenance ?? "human",
                    finishedAt: Self.timestamp(seconds: rollout.finishedAt),
                    firstCommitAt: rollout.firstCommitAt.map(Self.timestamp(seconds:)), failed: failed,
                    recoverySeconds: failed ? recovery : nil))
        }
        let ranks = incidents.map { incident -> Int? in
            (incident.suspects["ranked"]?.arrayValue ?? []).firstIndex { $0["reference"]?.stringValue == incident.confirmedCause }
                .map { $0 + 1 }
        }
        let known = ranks.compactMap { $0 }
        return splits.map { split in
            DORAView(
                since: since, days: days, figures: DORAMetrics.figures(deployments, days: days, by: split), confirmed: incidents.count,
                causeRankedFirst: known.filter { $0 == 1 }.count,
                meanCauseRank: known.isEmpty ? nil : Double(known.reduce(0, +)) / Double(known.count))
        }
    }
}
