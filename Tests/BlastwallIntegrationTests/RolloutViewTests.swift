import BlastwallCore
import Testing

@testable import BlastwallApp

/// What `rollout status` and `rollout watch` print from a verdict's evidence.
@Suite struct RolloutViewTests {
    @Test func evidenceShowsEachTestInItsOwnTerms() throws {
        let evidence = try JSONParser.parse(
            """
            {"t": 4, "canary": {"requests": 40, "errors": 2}, "baseline": {"requests": 760, "errors": 1},
             "errors": {"observed_ratio": 38, "log_evidence": 2.5, "log_threshold": 3.69},
             "latency": {"shift_sd": 0.81, "canary_median_ms": 74.2, "baseline_median_ms": 50.1, "log_evidence": 4.1, "log_threshold": 3.69},
             "slo": []}
            """)
        let lines = RolloutView.evidenceLines(evidence)
        #expect(lines.contains("  requests: canary 40 (2 errors), baseline 760 (1 errors)"), "\(lines)")
        #expect(lines.contains("  error test: ratio 38×, log e-value 2.5 of 3.7 to fail"), "\(lines)")
        #expect(lines.contains("  latency test: median 74.2 ms against 50.1 ms, shift 0.8 sd, log e-value 4.1 of 3.7 to fail"), "\(lines)")
    }
}

/// What `rollout watch` and `drill` write to a CI log: a line per change, a heartbeat at most every 30 s.
@Suite struct RolloutProgressLogTests {
    static func rollout(weight: Int = 10, canaryRequests: Int = 100, logEvidence: Double = 0.1, verdict: String = "inconclusive")
        throws -> JSONValue
    {
        try JSONParser.parse(
            """
            {"id": 4, "service": "web", "version": "v2", "stable": "v1", "phase": "progressing", "step": 1, "steps": 2,
             "canary_weight": \(weight), "applied_weight": \(weight), "verdict": "\(verdict)",
             "evidence": {"canary": {"requests": \(canaryRequests), "errors": 1}, "baseline": {"requests": 900, "errors": 9},
                          "errors": {"observed_ratio": 1.0, "log_evidence": \(logEvidence), "log_threshold": 3.0}}}
            """)
    }

    @Test func aLinePerChangeAndAHeartbeatOtherwise() throws {
        var log = RolloutProgressLog()
        var lines: [String] = []
        // 33 polls in 8 s where only the counts move: one line.
        for poll in 0..<33 {
            if let line = log.line(for: try Self.rollout(canaryRequests: 100 + poll), at: Double(poll) * 0.25) { lines.append(line) }
        }
        #expect(lines.count == 1)
        #expect(lines[0].contains("#4 web v2 (was v1) progressing, step 1/2 at 10%, analysis inconclusive"), "\(lines[0])")
        #expect(lines[0].contains("requests: canary 100 (1 errors), baseline 900 (9 errors)"), "the evidence is in the line")
        // The evidence crosses a quarter of the way to failing: a line.
        #expect(log.line(for: try Self.rollout(logEvidence: 0.9), at: 9) != nil)
        #expect(log.line(for: try Self.rollout(logEvidence: 1.0), at: 10) == nil)
        // Nothing changes for 30 s: a heartbeat.
        #expect(log.line(for: try Self.rollout(logEvidence: 1.0), at: 38) == nil)
        #expect(log.line(for: try Self.rollout(logEvidence: 1.0), at: 39.5)?.hasSuffix("(still)") == true)
        // A new weight and a verdict: lines at once.
        #expect(log.line(for: try Self.rollout(weight: 50, logEvidence: 1.0), at: 40) != nil)
        #expect(log.line(for: try Self.rollout(weight: 50, logEvidence: 1.0, verdict: "fail"), at: 40.2) != nil)
    }
}
