import BlastwallCore

/// `blastwall analysis replay`: recorded ticks from a file or standard input through the controller's analysis.
public enum AnalysisReplayFile {
    /// Reads `input` ("-" for standard input) and the optional settings file, and replays every tick.
    public static func run(input: String, settingsPath: String?) throws(BlastwallError) -> AnalysisReplay.Outcome {
        var replay = AnalysisReplay()
        if let settingsPath {
            let text = try FileSystem.read(settingsPath)
            do {
                replay = AnalysisReplay(settings: try RolloutSpecParser.parseAnalysis(text, file: settingsPath).0, settingsFixed: true)
            } catch { throw .configuration(error) }
        }
        let text = try FileSystem.read(input)
        let source = input == "-" ? "standard input" : input
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            do {
                if try replay.feed(line: line) { break }
            } catch { throw .input("\(source): \(error)") }
        }
        guard let outcome = replay.result else {
            throw .input("\(source) holds no ticks; each line is a JSON object such as {\"t\": 1, \"canary_requests\": 10, ...}")
        }
        return outcome
    }

    /// The outcome for people: the verdict, where it was reached, and the numbers behind it.
    public static func text(_ outcome: AnalysisReplay.Outcome) -> String {
        let evidence = outcome.result.evidence
        var lines = [
            outcome.verdict == .fail
                ? "verdict: fail at tick \(outcome.tick) (t = \(describe(evidence.time)) s)"
                : "verdict: \(outcome.verdict.rawValue), holding since tick \(outcome.tick) of \(outcome.ticks)",
            "reason: \(outcome.result.reason)",
            "canary: \(evidence.canary.requests) requests, \(evidence.canary.errors) errors; "
                + "baseline: \(evidence.baseline.requests) requests, \(evidence.baseline.errors) errors",
        ]
        if let errors = evidence.errors { lines.append("error test: \(summary(errors))") }
        if let latency = evidence.latency { lines.append("latency test: \(summary(latency))") }
        for check in evidence.slo {
            lines.append("slo \(check.name): \(describe(check.value)) (limit \(describe(check.limit)))\(check.broken ? " BROKEN" : "")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ outcome: AnalysisReplay.Outcome) -> JSONValue {
        .object([
            ("verdict", .string(outcome.verdict.rawValue)), ("tick", .int(Int64(outcome.tick))), ("ticks", .int(Int64(outcome.ticks))),
            ("reason", .string(outcome.result.reason)), ("evidence", outcome.result.evidence.json),
        ])
    }

    private static func summary(_ test: LatencyEvidence) -> String {
        let medians = [test.canaryMedianMs, test.baselineMedianMs].map { $0.map { describe($0) + " ms" } ?? "n/a" }
        return "canary \(test.canaryRequests) timed, median \(medians[0]); baseline \(test.baselineRequests) timed, median \(medians[1]); "
            + "shift \(test.shift.map { describe($0) } ?? "n/a") sd, " + evidenceText(test.logEvidence, test.logThreshold, test.alpha)
    }

    private static func evidenceText(_ logEvidence: Double, _ logThreshold: Double, _ alpha: Double) -> String {
        "log e-value \(describe(logEvidence)) of \(describe(logThreshold)) needed (α \(decimalText(alpha, places: 4)))"
    }

    private static func summary(_ test: TestEvidence) -> String {
        let ratio = test.observedRatio.map { $0.isFinite ? describe($0) + "×" : "∞" } ?? "n/a"
        return "canary \(test.canaryEvents)/\(test.canaryRequests), baseline \(test.baselineEvents)/\(test.baselineRequests), "
            + "ratio \(ratio), " + evidenceText(test.logEvidence, test.logThreshold, test.alpha)
    }

    private static func describe(_ value: Double) -> String { decimalText(value, places: 2) }
}
