import BlastwallCore

/// How a rollout (the API's JSON) reads in a terminal: `rollout status`, `rollout watch`, `rollout list`.
public enum RolloutView {
    /// Several lines: where it stands, weights, the latest evidence, and how it ended.
    public static func status(_ rollout: JSONValue, colour: Bool = false) -> String {
        var lines = [headline(rollout)]
        let weight = rollout["canary_weight"]?.intValue ?? 0
        let applied = rollout["applied_weight"]?.intValue.map { $0 == weight ? "" : " (router at \($0)%)" } ?? " (router not set yet)"
        lines.append("  weights: canary \(weight)% / stable \(100 - weight)%\(applied)  \(bar(weight))")
        if let inStep = rollout["time_in_step_s"]?.doubleValue, let minimum = rollout["step_min_duration_s"]?.doubleValue {
            lines.append(
                "  time in step: \(seconds(inStep)) of at least \(seconds(minimum))  \(bar(Int(min(100, minimum > 0 ? inStep / minimum * 100 : 100))))"
            )
        }
        if let verdict = rollout["verdict"]?.stringValue {
            lines.append("  analysis: \(paint(verdict, colour)): \(rollout["reason"]?.stringValue ?? "")")
        }
        if let evidence = rollout["evidence"], evidence != .null { lines += evidenceLines(evidence) }
        if let reason = rollout["pause_reason"]?.stringValue { lines.append("  paused: \(reason)") }
        if let cause = rollout["rollback_cause"]?.stringValue {
            lines.append("  rolled back (\(cause)): \(rollout["rollback_reason"]?.stringValue ?? "")")
            let detect = rollout["time_to_detect_s"]?.doubleValue.map(seconds) ?? "n/a"
            let recover = rollout["time_to_recover_s"]?.doubleValue.map(seconds) ?? "not confirmed yet"
            lines.append("  time to detect: \(detect), time to recover: \(recover)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line: `#12 checkout v2 (was v1) progressing, step 2/3 at 25%`.
    public static func headline(_ rollout: JSONValue) -> String {
        let id = rollout["id"]?.intValue ?? 0
        let drill = rollout["drill"] == .bool(true) ? " [drill]" : ""
        return "#\(id) \(text(rollout, "service")) \(text(rollout, "version")) (was \(text(rollout, "stable")))\(drill) "
            + "\(text(rollout, "phase").replacingOccurrences(of: "_", with: " ")), step \(rollout["step"]?.intValue ?? 0)/\(rollout["steps"]?.intValue ?? 0) "
            + "at \(rollout["canary_weight"]?.intValue ?? 0)%"
    }

    static func evidenceLines(_ evidence: JSONValue) -> [String] {
        var lines: [String] = []
        if let canary = evidence["canary"], let baseline = evidence["baseline"] {
            lines.append(
                "  requests: canary \(canary["requests"]?.intValue ?? 0) (\(canary["errors"]?.intValue ?? 0) errors), "
                    + "baseline \(baseline["requests"]?.intValue ?? 0) (\(baseline["errors"]?.intValue ?? 0) errors)")
        }
        if let test = evidence["errors"], test != .null {
            let ratio = test["observed_ratio"].map { $0.doubleValue.map { number($0) + "×" } ?? ($0.stringValue ?? "n/a") } ?? "n/a"
            lines.append("  error test: ratio \(ratio), " + progress(test))
        }
        if let test = evidence["latency"], test != .null {
            let medians = ["canary_median_ms", "baseline_median_ms"].map { test[$0]?.doubleValue.map { number($0) + " ms" } ?? "n/a" }
            let shift = test["shift_sd"]?.doubleValue.map { number($0) + " sd" } ?? "n/a"
            lines.append("  latency test: median \(medians[0]) against \(medians[1]), shift \(shift), " + progress(test))
        }
        return lines
    }

    /// How far a test's evidence is from failing the canary.
    private static func progress(_ test: JSONValue) -> String {
        let logEvidence = test["log_evidence"]?.doubleValue ?? 0
        let threshold = test["log_threshold"]?.doubleValue ?? 0
        return "log e-value \(number(logEvidence)) of \(number(threshold)) to fail"
    }

    /// `[#####               ]` for a percentage.
    public static func bar(_ percent: Int, width: Int = 20) -> String {
        let filled = max(0, min(width, Int((Double(percent) / 100 * Double(width)).rounded())))
        return "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "]"
    }

    public static func isSettled(_ rollout: JSONValue) -> Bool {
        let phase = rollout["phase"]?.stringValue
        return (phase == "promoted" || phase == "rolled_back") && rollout["applied_weight"]?.intValue == rollout["canary_weight"]?.intValue
    }

    private static func text(_ value: JSONValue, _ key: String) -> String { value[key]?.stringValue ?? "?" }

    private static func seconds(_ value: Double) -> String { number(value) + " s" }

    private static func number(_ value: Double) -> String { decimalText(value, places: 1) }

    private static func paint(_ verdict: String, _ colour: Bool) -> String {
        guard colour else { return verdict }
        let code = verdict == "pass" ? "32" : verdict == "fail" ? "31" : "33"
        return "\u{1B}[\(code)m\(verdict)\u{1B}[0m"
    }
}
