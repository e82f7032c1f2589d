/// Recorded traffic fed through the controller's analysis, for tuning on real incidents and for benchmarks.
///
/// Input: JSON Lines. Each tick is an object of cumulative counts — `t` (seconds), `canary_requests`,
/// `canary_errors`, `baseline_requests`, `baseline_errors` — and optionally the latencies (ms) observed since
/// the previous tick, `canary_latency_ms` and `baseline_latency_ms`. A line `{"analysis": {...}}` before the
/// first tick sets the analysis (the keys of a rollout's `analysis` block). Blank lines are skipped.
public struct AnalysisReplay: Sendable {
    public struct Outcome: Sendable, Equatable {
        public var verdict: Verdict
        /// The 1-based tick where the verdict was reached (a failure), or since which it has held.
        public var tick: Int
        public var result: AnalysisResult
        public var ticks: Int
    }

    public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    private var settings: AnalysisSettings
    private var settingsLocked = false
    private var analyzer: CanaryAnalyzer?
    private var canaryLatency: LatencyHistogram?
    private var baselineLatency: LatencyHistogram?
    private var outcome: Outcome?
    private var lineNumber = 0
    private var ticks = 0

    public init(settings: AnalysisSettings = AnalysisSettings(), settingsFixed: Bool = false) {
        self.settings = settings
        settingsLocked = settingsFixed
    }

    /// Feeds one line; returns true once the analysis has failed (later lines cannot change that).
    public mutating func feed(line text: Substring) throws(InputError) -> Bool {
        lineNumber += 1
        if text.allSatisfy(\.isWhitespace) { return outcome?.verdict == .fail }
        let value: JSONValue
        do { value = try JSONParser.parse(String(text)) } catch { throw InputError(line: lineNumber, message: error.description) }
        if let analysis = value["analysis"] {
            guard analyzer == nil else { throw InputError(line: lineNumber, message: "the analysis line must come before the first tick") }
            guard !settingsLocked else {
                throw InputError(line: lineNumber, message: "analysis settings were given on the command line too; keep one of the two")
            }
            do {
                settings = try RolloutSpecParser.parseAnalysis(analysis.serialized(pretty: false), file: "line \(lineNumber)").0
            } catch { throw InputError(line: lineNumber, message: error.diagnostics.map(\.message).joined(separator: "; ")) }
            settingsLocked = true
            return false
        }
        if outcome?.verdict == .fail { return true }
        let observation = try tick(value)
        if analyzer == nil {
            // Without latencies in the first tick there is no latency test, and the error test gets all of α.
            if canaryLatency == nil { settings.latencyQuantiles = [] }
            analyzer = CanaryAnalyzer(settings: settings)
        }
        let result = analyzer!.observe(observation)
        ticks += 1
        let since = outcome?.verdict == result.verdict ? outcome!.tick : ticks
        outcome = Outcome(verdict: result.verdict, tick: since, result: result, ticks: ticks)
        return result.verdict == .fail
    }

    /// The verdict after the last line; nil when no tick was read.
    public var result: Outcome? { outcome }

    private mutating func tick(_ value: JSONValue) throws(InputError) -> Observation {
        guard case .object = value else { throw InputError(line: lineNumber, message: "a tick must be a JSON object") }
        func count(_ key: String) throws(InputError) -> Int {
            guard let field = value[key] else {
                throw InputError(
                    line: lineNumber,
                    message:
                        "the tick has no '\(key)'; each tick needs t, canary_requests, canary_errors, baseline_requests, baseline_errors")
            }
            guard let number = field.intValue, number >= 0 else {
                throw InputError(line: lineNumber, message: "'\(key)' must be a whole number of at least 0")
            }
            return number
        }
        guard let time = value["t"].flatMap(\.doubleValue), time.isFinite else {
            throw InputError(line: lineNumber, message: "the tick needs 't', its time in seconds")
        }
        var canary = VersionCounts(requests: try count("canary_requests"), errors: try count("canary_errors"))
        var baseline = VersionCounts(requests: try count("baseline_requests"), errors: try count("baseline_errors"))
        guard canary.errors <= canary.requests, baseline.errors <= baseline.requests else {
            throw InputError(line: lineNumber, message: "errors cannot exceed requests")
        }
        let canarySamples = try samples(value, "canary_latency_ms")
        let baselineSamples = try samples(value, "baseline_latency_ms")
        if canarySamples != nil || baselineSamples != nil || canaryLatency != nil {
            canaryLatency = canaryLatency ?? LatencyHistogram(boundariesMs: LatencyHistogram.sampleBoundariesMs)
            baselineLatency = baselineLatency ?? LatencyHistogram(boundariesMs: LatencyHistogram.sampleBoundariesMs)
            canaryLatency!.record(samplesMs: canarySamples ?? [])
            baselineLatency!.record(samplesMs: baselineSamples ?? [])
            canary.latency = canaryLatency
            baseline.latency = baselineLatency
        }
        return Observation(time: time, canary: canary, baseline: baseline)
    }

    private func samples(_ value: JSONValue, _ key: String) throws(InputError) -> [Double]? {
        guard let field = value[key] else { return nil }
        guard let items = field.arrayValue else { throw InputError(line: lineNumber, message: "'\(key)' must be a list of milliseconds") }
        var samples: [Double] = []
        samples.reserveCapacity(items.count)
        for item in items {
            guard let sample = item.doubleValue, sample >= 0, sample.isFinite else {
                throw InputError(line: lineNumber, message: "'\(key)' must hold numbers of milliseconds, at least 0")
            }
            samples.append(sample)
        }
        return samples
    }
}
