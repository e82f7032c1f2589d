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
