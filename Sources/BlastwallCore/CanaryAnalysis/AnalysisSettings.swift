/// How a rollout's canary is judged against its baseline on every tick.
public struct AnalysisSettings: Sendable, Equatable, Codable {
    /// What happens when evidence stays out for longer than `inconclusiveLimitSeconds`.
    public enum InconclusiveAction: String, Sendable, Codable, CaseIterable {
        case rollback, pause
    }

    /// The false-alarm level over the whole rollout, however often it is checked; split evenly between the
    /// error test and the latency test when both run.
    public var alpha: Double
    /// Compare error rates sequentially.
    public var compareErrors: Bool
    /// Compare latency distributions sequentially (needs latencies from the metrics provider).
    public var compareLatency: Bool
    /// Absolute limits on the canary, checked on every tick over the last `sloWindowSeconds`.
    public var maxErrorRatio: Double?
    public var maxP99Ms: Double?
    public var sloWindowSeconds: Double
    /// Canary requests needed before a tick can pass, and in an SLO window before its limits apply.
    public var minimumCanaryRequests: Int
    public var inconclusiveLimitSeconds: Double
    public var onInconclusive: InconclusiveAction

    public init(
        alpha: Double = 0.05,
        compareErrors: Bool = true,
        compareLatency: Bool = true,
        maxErrorRatio: Double? = nil,
        maxP99Ms: Double? = nil,
        sloWindowSeconds: Double = 60,
        minimumCanaryRequests: Int = 50,
        inconclusiveLimitSeconds: Double = 60,
        onInconclusive: InconclusiveAction = .rollback
    ) {
        self.alpha = alpha
        self.compareErrors = compareErrors
        self.compareLatency = compareLatency
        self.maxErrorRatio = maxErrorRatio
        self.maxP99Ms = maxP99Ms
        self.sloWindowSeconds = sloWindowSeconds
        self.minimumCanaryRequests = minimumCanaryRequests
        self.inconclusiveLimitSeconds = inconclusiveLimitSeconds
        self.onInconclusive = onInconclusive
    }

    /// The share of α each sequential test gets, so that their union stays within α.
    var alphaPerTest: Double {
        let tests = (compareErrors ? 1 : 0) + (compareLatency ? 1 : 0)
        return alpha / Double(max(tests, 1))
    }
}
