import CEL

/// One deployment as DORA counts it: a rollout that finished (promoted or rolled back), with its change.
public struct DORADeployment: Sendable, Equatable {
    public var reference: String
    public var service: String
    public var tier: Int?
    /// The change's provenance kind: `human`, `ai-assisted`, `ai-authored`, `bot`.
    public var provenance: String
    public var finishedAt: Timestamp
    /// The change's first commit: the start of its lead time; nil when unknown.
    public var firstCommitAt: Timestamp?
    /// Rolled back, or confirmed as the cause of an incident.
    public var failed: Bool
    /// For a failed deployment, how long until service was restored, in seconds.
    public var recoverySeconds: Double?

    public init(
        reference: String, service: String, tier: Int?, provenance: String, finishedAt: Timestamp, firstCommitAt: Timestamp?,
        failed: Bool, recoverySeconds: Double?
    ) {
        self.reference = reference
        self.service = service
        self.tier = tier
        self.provenance = provenance
        self.finishedAt = finishedAt
        self.firstCommitAt = firstCommitAt
        self.failed = failed
        self.recoverySeconds = recoverySeconds
    }
}

/// The four keys over a window, for one group of deployments, with the DORA performance band of each and the
/// counts behind them.
public struct DORAFigures: Sendable, Equatable {
    public enum Band: String, Sendable {
        case elite, high, medium, low
    }

    public var group: String
    public var deployments: Int
    public var perDay: Double
    public var leadTimeMedianHours: Double?
    /// Deployments whose lead time is known.
    public var leadTimeCount: Int
    public var failed: Int
    public var changeFailureRate: Double?
    public var recoveryMedianHours: Double?
    public var recoveryCount: Int

    /// The bands of the DORA reports (2023): deployment frequency, lead time, change failure rate, recovery time.
    public var frequencyBand: Band {
        perDay >= 1 ? .elite : perDay >= 1.0 / 7 ? .high : perDay >= 1.0 / 30 ? .medium : .low
    }

    public var leadTimeBand: Band? {
        leadTimeMedianHours.map { $0 < 24 ? .elite : $0 < 24 * 7 ? .high : $0 < 24 * 30 ? .medium : .low }
    }

    public var changeFailureBand: Band? {
        changeFailureRate.map { $0 <= 0.05 ? .elite : $0 <= 0.10 ? .high : $0 <= 0.15 ? .medium : .low }
    }

    public var recoveryBand: Band? {
        recoveryMedianHours.map { $0 < 1 ? .elite : $0 < 24 ? .high : $0 < 24 * 7 ? .medium : .low }
    }
}

/// DORA's four keys, split by provenance (human vs AI-assisted and AI-authored work), tier or service.
public enum DORAMetrics {
    public enum Split: String, Sendable, CaseIterable {
        case provenance, tier, service
    }

    /// All deployments first (`all`), then one group per value of `split`, in order.
    public static func figures(_ deployments: [DORADeployment], days: Double, by split: Split) -> [DORAFigures] {
        var groups: [String: [DORADeployment]] = [:]
        for deployment in deployments {
            let key: String =
                switch split {
                case .provenance: deployment.provenance
                case .tier: deployment.tier.map { "tier \($0)" } ?? "no tier"
                case .service: deployment.service
                }
            groups[key, default: []].append(deployment)
        }
        return [figures(deployments, group: "all", days: days)]
            + groups.keys.sorted().map { figures(groups[$0]!, group: $0, days: days) }
    }

    static func figures(_ deployments: [DORADeployment], group: String, days: Double) -> DORAFigures {
        let leadTimes = deployments.compactMap { deployment in
            deployment.firstCommitAt.map { Double(deployment.finishedAt.nanoseconds - $0.nanoseconds) / 3.6e12 }
        }.filter { $0 >= 0 }
        let failed = deployments.filter(\.failed)
        let recoveries = failed.compactMap(\.recoverySeconds).map { $0 / 3_600 }
        return DORAFigures(
            group: group, deployments: deployments.count, perDay: days > 0 ? Double(deployments.count) / days : 0,
            leadTimeMedianHours: median(leadTimes), leadTimeCount: leadTimes.count, failed: failed.count,
            changeFailureRate: deployments.isEmpty ? nil : Double(failed.count) / Double(deployments.count),
            recoveryMedianHours: median(recoveries), recoveryCount: recoveries.count)
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

extension DORAFigures {
    public var json: JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map { .double(($0 * 1000).rounded() / 1000) } ?? .null }
        return .object([
            ("group", .string(group)), ("deployments", .int(Int64(deployments))),
            (
                "deployment_frequency",
                .object([("per_day", number(perDay)), ("band", .string(frequencyBand.rawValue))])
            ),
            (
                "lead_time",
                .object([
                    ("median_hours", number(leadTimeMedianHours)), ("count", .int(Int64(leadTimeCount))),
                    ("band", leadTimeBand.map { .string($0.rawValue) } ?? .null),
                ])
            ),
            (
                "change_failure_rate",
                .object([
                    ("rate", number(changeFailureRate)), ("failed", .int(Int64(failed))),
                    ("band", changeFailureBand.map { .string($0.rawValue) } ?? .null),
                ])
            ),
            (
                "failed_deployment_recovery_time",
                .object([
                    ("median_hours", number(recoveryMedianHours)), ("count", .int(Int64(recoveryCount))),
                    ("band", recoveryBand.map { .string($0.rawValue) } ?? .null),
                ])
            ),
        ])
    }
}
