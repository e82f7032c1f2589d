/// Where a rollout stands.
public enum RolloutPhase: String, Sendable, Codable, CaseIterable {
    /// Created; no traffic moved yet.
    case pending
    /// Moving through its steps while analysis runs.
    case progressing
    /// Held at its current weight by a person or by missing evidence; analysis still runs and can roll back.
    case paused
    /// All traffic on the new version.
    case promoted
    /// All traffic back on stable.
    case rolledBack = "rolled_back"

    /// No more steps or analysis; only `undo` can still take a promoted rollout back.
    public var isTerminal: Bool { self == .promoted || self == .rolledBack }
}

/// Why a rollout was rolled back.
public enum RollbackCause: String, Sendable, Codable, CaseIterable {
    /// Analysis found a significant regression or a broken SLO.
    case analysisFailed = "analysis_failed"
    /// Evidence stayed out longer than the configured limit.
    case noEvidence = "no_evidence"
    /// A person aborted it.
    case aborted
    /// A person undid it with `rollout undo`, possibly after it was promoted.
    case undone
}

/// Everything the controller persists about a rollout's progress; enough to resume after a crash.
public struct RolloutState: Sendable, Equatable, Codable {
    public var phase: RolloutPhase = .pending
    public var stepIndex = 0
    /// Controller clock, seconds since the Unix epoch.
    public var stepStartedAt: Double = 0
    /// The canary's weight the router must carry now.
    public var canaryWeight = 0
    /// The weight the router last confirmed, nil until it has.
    public var appliedWeight: Int?
    /// A pass verdict has been seen in this step since it started (or since the controller restarted).
    public var passedInStep = false
    public var inconclusiveSince: Double?
    public var lastVerdict: Verdict?
    public var lastReason: String?
    public var pauseReason: String?
    public var rollbackCause: RollbackCause?
    /// The sentence that explains the rollback, as the audit log and the webhook give it.
    public var rollbackReason: String?
    public var startedAt: Double?
    /// When the router first confirmed traffic on the canary: when the canary's first requests arrived.
    public var canaryServingSince: Double?
    /// When analysis failed (nil for a person's abort or undo), and when the router confirmed all traffic on stable.
    public var detectedAt: Double?
    public var recoveredAt: Double?
    public var finishedAt: Double?

    public init() {}

    /// Seconds from the canary's first traffic (or the start) to the failure being detected.
    public var timeToDetect: Double? { zip(canaryServingSince ?? startedAt, detectedAt).map { $1 - $0 } }
    /// Seconds from detection (or a person's command) to all traffic confirmed on stable.
    public var timeToRecover: Double? { zip(detectedAt ?? (rollbackCause != nil ? finishedAt : nil), recoveredAt).map { $1 - $0 } }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
