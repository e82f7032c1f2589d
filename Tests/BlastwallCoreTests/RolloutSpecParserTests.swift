import BlastwallCore
import Testing

@Suite struct RolloutSpecParserTests {
    static let digest = "sha256:" + String(repeating: "0123456789abcdef", count: 4)
    static let file = """
        service: checkout
        version: v2.4.1
        stable: v2.4.0
        artifact: \(digest)
        change: chg-42
        router:
          type: haproxy
          address: 127.0.0.1:9999
          backend: checkout
          stable_server: stable
          canary_server: canary
        metrics:
          provider: prometheus
          address: http://127.0.0.1:9090
        analysis:
          interval: 2s
          alpha: 0.01
          slo: {error_ratio: 0.02, p99_ms: 300, window: 30s}
          inconclusive: {limit: 1m, action: pause}
        steps:
          - {weight: 5, duration: 30s}
          - {weight: 50, duration: 1m30s}
        notify:
          url: http://127.0.0.1:8099/hook
          secret_env: HOOK_SECRET
        """

    @Test func aFullRolloutFileParses() throws {
        let spec = try RolloutSpecParser.parse(Self.file, file: "rollout.yml")
        #expect(spec.service == "checkout" && spec.version == "v2.4.1" && spec.stableVersion == "v2.4.0")
        #expect(spec.router == .haproxy(address: "127.0.0.1:9999", backend: "checkout", stableServer: "stable", canaryServer: "canary"))
        #expect(spec.metrics.kind == "prometheus")
        #expect(spec.intervalSeconds == 2)
        #expect(spec.analysis.alpha == 0.01 && spec.analysis.maxErrorRatio == 0.02 && spec.analysis.maxP99Ms == 300)
        #expect(
            spec.analysis.sloWindowSeconds == 30 && spec.analysis.inconclusiveLimitSeconds == 60 && spec.analysis.onInconclusive == .pause)
        #expect(spec.steps == [RolloutStep(weight: 5, durationSeconds: 30), RolloutStep(weight: 50, durationSeconds: 90)])
        #expect(spec.notify == NotificationSettings(url: "http://127.0.0.1:8099/hook", secretEnvironmentVariable: "HOOK_SECRET"))
    }

    /// What is stored and shown is JSON in the file's keys; it reads back to the same rollout.
    @Test func theJSONFormReadsBackToTheSameRollout() throws {
        let spec = try RolloutSpecParser.parse(Self.file, file: "rollout.yml")
        let again = try RolloutSpecParser.parse(spec.json.serialized(), file: "body")
        #expect(again == spec)
    }

    @Test func prometheusWithoutALatencyQueryTurnsTheLatencyTestOff() throws {
        let text = Self.file.replacingOccurrences(
            of: "  address: http://127.0.0.1:9090", with: "  address: http://127.0.0.1:9090\n  latency: null")
        #expect(try RolloutSpecParser.parse(text, file: "r.yml").analysis.compareLatency == false)
    }

    @Test(arguments: [
        (
            "artifact: \(digest)", "artifact: checkout:latest",
            "rollout.yml:4:11: error: artifact is 'checkout:latest', but must be an immutable digest"
        ),
        ("version: v2.4.1", "version: v2.4.0", "rollout.yml:2:10: error: version and stable are both 'v2.4.0'"),
        (
            "  canary_server: canary", "  canary_sever: canary",
            "rollout.yml:11:3: error: unknown key 'canary_sever' in router; did you mean 'canary_server'?"
        ),
        (
            "  type: haproxy", "  type: haprox",
            "rollout.yml:7:9: error: type in router is 'haprox', but must be one of command, flags, haproxy, nginx; did you mean 'haproxy'?"
        ),
        (
            "  - {weight: 50, duration: 1m30s}", "  - {weight: 3, duration: 1m30s}",
            "rollout.yml:22:14: error: weight in step 2 is 3, below the previous step's 5"
        ),
        (
            "  - {weight: 5, duration: 30s}", "  - {weight: 0, duration: 30s}",
            "rollout.yml:21:14: error: weight in step 1 is 0, but must be between 1 and 100"
        ),
        ("  alpha: 0.01", "  alpha: 2", "rollout.yml:17:10: error: alpha in analysis is 2, but must be between"),
        ("  interval: 2s", "  interval: soon", "rollout.yml:16:13: error: interval in analysis is 'soon', but must be a duration"),
        ("action: pause}", "action: pase}", "did you mean 'pause'?"),
        (
            "  alpha: 0.01", "  alpha: 0.01\n  latency_quantiles: [0.5, 0.9]",
            "rollout.yml:18:22: error: latency_quantiles is no longer read: the latency test compares whole distributions"
        ),
        (
            "  - {weight: 5, duration: 30s}", "  - {weight: 5, duration: 1000000000000000000000000000000s}",
            "rollout.yml:21:27: error: duration in step 1 is '1000000000000000000000000000000s', but must be a duration"
        ),
        (
            "  - {weight: 5, duration: 30s}", "  - {weight: 5, duration: 1e300}",
            "rollout.yml:21:27: error: duration in step 1 is '1e300', but must be at most 8784h (a year)"
        ),
        ("  interval: 2s", "  interval: 9000h", "error: interval in analysis is '9000h', but must be at most 8784h"),
        (
            "  url: http://127.0.0.1:8099/hook", "  url: ftp://x",
            "rollout.yml:24:8: error: url in notify is 'ftp://x', but must start with http:// or https://"
        ),
    ])
    func mistakesAreReportedWithTheirPlace(original: String, replacement: String, message: String) throws {
        let text = Self.file.replacingOccurrences(of: original, with: replacement)
        #expect(text != Self.file, "the test's replacement applies")
        let error = try #require(throws: ConfigurationError.self) { try RolloutSpecParser.parse(text, file: "rollout.yml") }
        #expect(error.description.contains(message), "\(error.description)")
    }

    @Test func everyMissingRequiredFieldIsReportedAtOnce() throws {
        let error = try #require(throws: ConfigurationError.self) { try RolloutSpecParser.parse("service: checkout\n", file: "r.yml") }
        for key in ["version", "stable", "artifact", "router", "steps"] {
            #expect(error.description.contains("the rollout has no '\(key)'"))
        }
    }

    @Test func keysOfAnotherRouterTypeAreNamedAsSuch() throws {
        let text = Self.file.replacingOccurrences(of: "  backend: checkout", with: "  backend: checkout\n  flag: x")
        let error = try #require(throws: ConfigurationError.self) { try RolloutSpecParser.parse(text, file: "r.yml") }
        #expect(error.description.contains("'flag' does not apply to a haproxy router"))
    }
}

@Suite struct RolloutPolicyTests {
    func spec(firstWeight: Int) -> RolloutSpec {
        var spec = sampleSpec
        spec.steps = [RolloutStep(weight: firstWeight, durationSeconds: 0)]
        return spec
    }

    @Test func aCanaryRequirementRefusesAFirstStepOf100() {
        let problems = RolloutPolicy.violations(
            of: spec(firstWeight: 100), requirements: Requirements(canary: true), tier: nil, tierCaps: [:])
        #expect(problems == ["the change requires a canary, but the first step sends 100% to v2; start lower"])
        #expect(
            RolloutPolicy.violations(of: spec(firstWeight: 99), requirements: Requirements(canary: true), tier: nil, tierCaps: [:]).isEmpty)
    }

    @Test func maxInitialWeightAndTierCapsAreEnforced() {
        let problems = RolloutPolicy.violations(
            of: spec(firstWeight: 10), requirements: Requirements(maxInitialWeight: 5), tier: 1, tierCaps: [1: 2, 2: 25])
        #expect(problems.count == 2)
        #expect(problems[1] == "checkout is tier 1, whose rollouts start at most at 2%, but the first step is 10%")
        #expect(RolloutPolicy.violations(of: spec(firstWeight: 10), requirements: nil, tier: 2, tierCaps: [1: 2, 2: 25]).isEmpty)
    }

    @Test func tierCapsAreReadFromTheConfiguration() throws {
        let yaml = "version: 1\nrollouts:\n  max_initial_weight_by_tier: {1: 5, 2: 20}\n"
        #expect(try ConfigurationLoader.load(yaml: yaml, file: "blastwall.yml").configuration.maxInitialWeightByTier == [1: 5, 2: 20])
        let error = try #require(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(yaml: "version: 1\nrollouts:\n  max_initial_weight_by_tier: {first: 5}\n", file: "b.yml")
        }
        #expect(error.description.contains("'first' in max_initial_weight_by_tier is not a tier"))
    }
}
