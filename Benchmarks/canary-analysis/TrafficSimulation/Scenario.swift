/// One cell of the benchmark: how traffic splits, and how the canary differs from the baseline.
public struct Scenario: Sendable {
    public var name: String
    public var requestsPerSecond = 200.0
    public var canaryShare: Double
    public var baselineErrorRate = 0.001
    public var canaryErrorRate = 0.001
    /// Latency of the baseline (log-normal median and spread) and the canary's multiple of it; nil: counts only.
    public var latency: (medianMs: Double, sigma: Double, canaryFactor: Double)?

    public init(
        name: String, requestsPerSecond: Double = 200, canaryShare: Double, baselineErrorRate: Double = 0.001,
        canaryErrorRate: Double = 0.001, latency: (medianMs: Double, sigma: Double, canaryFactor: Double)? = nil
    ) {
        self.name = name
        self.requestsPerSecond = requestsPerSecond
        self.canaryShare = canaryShare
        self.baselineErrorRate = baselineErrorRate
        self.canaryErrorRate = canaryErrorRate
        self.latency = latency
    }

    public var isAA: Bool { canaryErrorRate == baselineErrorRate && (latency?.canaryFactor ?? 1) == 1 }
}

/// What both versions served in one second.
public struct Tick: Sendable {
    public var canaryRequests = 0
    public var canaryErrors = 0
    public var baselineRequests = 0
    public var baselineErrors = 0
    public var canaryLatenciesMs: [Double] = []
    public var baselineLatenciesMs: [Double] = []

    public init() {}
}

extension SplitMix64 {
    /// Poisson arrivals split by share (thinning keeps both Poisson), errors binomial per version.
    public mutating func tick(_ scenario: Scenario) -> Tick {
        var tick = Tick()
        tick.canaryRequests = poisson(scenario.requestsPerSecond * scenario.canaryShare)
        tick.baselineRequests = poisson(scenario.requestsPerSecond * (1 - scenario.canaryShare))
        tick.canaryErrors = binomial(tick.canaryRequests, scenario.canaryErrorRate)
        tick.baselineErrors = binomial(tick.baselineRequests, scenario.baselineErrorRate)
        if let latency = scenario.latency {
            let canaryMedian = latency.medianMs * latency.canaryFactor
            tick.canaryLatenciesMs = (0..<tick.canaryRequests).map { _ in self.latency(medianMs: canaryMedian, sigma: latency.sigma) }
            tick.baselineLatenciesMs = (0..<tick.baselineRequests).map { _ in
                self.latency(medianMs: latency.medianMs, sigma: latency.sigma)
            }
        }
        return tick
    }
}
