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

    /// One line of input: cumulative counts, and the latencies seen since the previous tick.
    public struct Tick: Sendable, Equatable {
        public var time: Double
        public var canaryRequests: Int
        public var canaryErrors: Int
        public var baselineRequests: Int
        public var baselineErrors: Int
        public var canaryLatencyMs: [Double]?
        public var baselineLatencyMs: [Double]?

        public init(
            time: Double, canaryRequests: Int, canaryErrors: Int, baselineRequests: Int, baselineErrors: Int,
            canaryLatencyMs: [Double]? = nil, baselineLatencyMs: [Double]? = nil
        ) {
            self.time = time
            self.canaryRequests = canaryRequests
            self.canaryErrors = canaryErrors
            self.baselineRequests = baselineRequests
            self.baselineErrors = baselineErrors
            self.canaryLatencyMs = canaryLatencyMs
            self.baselineLatencyMs = baselineLatencyMs
        }
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
        return feed(try tick(value)).verdict == .fail
    }

    /// Feeds one tick; what `feed(line:)` does after parsing, and what the statistical benchmark calls.
    @discardableResult
    public mutating func feed(_ tick: Tick) -> AnalysisResult {
        if let outcome, outcome.verdict == .fail { return outcome.result }
        var canary = VersionCounts(requests: tick.canaryRequests, errors: tick.canaryErrors)
        var baseline = VersionCounts(requests: tick.baselineRequests, errors: tick.baselineErrors)
        if tick.canaryLatencyMs != nil || tick.baselineLatencyMs != nil || canaryLatency != nil {
            canaryLatency = canaryLatency ?? LatencyHistogram(boundariesMs: LatencyHistogram.sampleBoundariesMs)
            baselineLatency = baselineLatency ?? LatencyHistogram(boundariesMs: LatencyHistogram.sampleBoundariesMs)
            canaryLatency!.record(samplesMs: tick.canaryLatencyMs ?? [])
            baselineLatency!.record(samplesMs: tick.baselineLatencyMs ?? [])
            canary.latency = canaryLatency
            baseline.latency = baselineLatency
        }
        if analyzer == nil { analyzer = CanaryAnalyzer(settings: settings) }
        let result = analyzer!.observe(Observation(time: tick.time, canary: canary, baseline: baseline))
        ticks += 1
        let since = outcome?.verdict == result.verdict ? outcome!.tick : ticks
        outcome = Outcome(verdict: result.verdict, tick: since, result: result, ticks: ticks)
        return result
    }

    /// The verdict after the last line; nil when no tick was read.
    public var result: Outcome? { outcome }

    private func tick(_ value: JSONValue) throws(InputError) -> Tick {
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
        let parsed = Tick(
            time: time, canaryRequests: try count("canary_requests"), canaryErrors: try count("canary_errors"),
            baselineRequests: try count("baseline_requests"), baselineErrors: try count("baseline_errors"),
            canaryLatencyMs: try samples(value, "canary_latency_ms"), baselineLatencyMs: try samples(value, "baseline_latency_ms"))
        guard parsed.canaryErrors <= parsed.canaryRequests, parsed.baselineErrors <= parsed.baselineRequests else {
            throw InputError(line: lineNumber, message: "errors cannot exceed requests")
        }
        return parsed
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
