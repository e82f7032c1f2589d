/// The outcome of one tick of analysis.
public enum Verdict: String, Sendable, Equatable, Codable, CaseIterable {
    /// Enough data, and no regression found so far.
    case pass
    /// A significant regression or a broken SLO: roll back now.
    case fail
    /// No or too little data, or the provider could not be read: never a reason to promote.
    case inconclusive
}

/// One sequential test's state at a tick, as shown to people and stored with the rollout.
public struct TestEvidence: Sendable, Equatable, Codable {
    public var canaryEvents: Int
    public var canaryRequests: Int
    public var baselineEvents: Int
    public var baselineRequests: Int
    /// The canary's rate over the baseline's; infinite when the baseline had none.
    public var observedRatio: Double?
    /// The log of the mixture likelihood ratio, and the log(1/α) it must reach to fail the canary.
    public var logEvidence: Double
    public var logThreshold: Double
    public var alpha: Double
}

/// The latency test's state at a tick.
public struct LatencyEvidence: Sendable, Equatable, Codable {
    /// Timed requests compared so far.
    public var canaryRequests: Int
    public var baselineRequests: Int
    /// How far the canary's requests sit above the baseline's on average, in standard deviations of the
    /// baseline's log latency (0: alike; 0.5: a ×1.28 slowdown when log latencies spread by 0.5).
    public var shift: Double?
    public var canaryMedianMs: Double?
    public var baselineMedianMs: Double?
    public var logEvidence: Double
    public var logThreshold: Double
    public var alpha: Double
}

/// An absolute limit checked on the canary's last window.
public struct SLOCheck: Sendable, Equatable, Codable {
    public var name: String
    public var value: Double
    public var limit: Double
    public var broken: Bool { value > limit }

    public init(name: String, value: Double, limit: Double) {
        self.name = name
        self.value = value
        self.limit = limit
    }
}

/// Everything a verdict was based on.
public struct AnalysisEvidence: Sendable, Equatable, Codable {
    public var time: Double
    public var canary: VersionCounts
    public var baseline: VersionCounts
    public var errors: TestEvidence?
    public var latency: LatencyEvidence?
    public var slo: [SLOCheck]

    public init(
        time: Double, canary: VersionCounts, baseline: VersionCounts, errors: TestEvidence? = nil, latency: LatencyEvidence? = nil,
        slo: [SLOCheck] = []
    ) {
        self.time = time
        self.canary = canary
        self.baseline = baseline
        self.errors = errors
        self.latency = latency
        self.slo = slo
    }
}

public struct AnalysisResult: Sendable, Equatable, Codable {
    public var verdict: Verdict
    /// Why, in a sentence a person on call can act on.
    public var reason: String
    public var evidence: AnalysisEvidence

    public init(verdict: Verdict, reason: String, evidence: AnalysisEvidence) {
        self.verdict = verdict
        self.reason = reason
        self.evidence = evidence
    }
}
