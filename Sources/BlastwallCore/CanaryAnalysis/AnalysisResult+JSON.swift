/// Verdicts and evidence as shown by the API, `rollout status` and `analysis replay --format json`.
extension AnalysisResult {
    public var json: JSONValue {
        .object([("verdict", .string(verdict.rawValue)), ("reason", .string(reason)), ("evidence", evidence.json)])
    }
}

extension AnalysisEvidence {
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("t", .double(time)), ("canary", counts(canary)), ("baseline", counts(baseline)),
            ("errors", errors?.json ?? .null), ("latency", latency?.json ?? .null),
        ]
        members.append(
            ("slo", .array(slo.map { .object([("name", .string($0.name)), ("value", .double($0.value)), ("limit", .double($0.limit))]) })))
        return .object(members)
    }

    private func counts(_ counts: VersionCounts) -> JSONValue {
        .object([("requests", .int(Int64(counts.requests))), ("errors", .int(Int64(counts.errors)))])
    }
}

extension TestEvidence {
    public var json: JSONValue {
        .object([
            ("canary_events", .int(Int64(canaryEvents))), ("canary_requests", .int(Int64(canaryRequests))),
            ("baseline_events", .int(Int64(baselineEvents))), ("baseline_requests", .int(Int64(baselineRequests))),
            // JSON has no infinity: a canary with events against a baseline with none has no finite ratio.
            ("observed_ratio", observedRatio.map { $0.isFinite ? .double($0) : .string("infinite") } ?? .null),
            ("log_evidence", .double(logEvidence)), ("log_threshold", .double(logThreshold)), ("alpha", .double(alpha)),
        ])
    }
}

extension LatencyEvidence {
    public var json: JSONValue {
        .object([
            ("canary_requests", .int(Int64(canaryRequests))), ("baseline_requests", .int(Int64(baselineRequests))),
            ("shift_sd", shift.map(JSONValue.double) ?? .null),
            ("canary_median_ms", canaryMedianMs.map(JSONValue.double) ?? .null),
            ("baseline_median_ms", baselineMedianMs.map(JSONValue.double) ?? .null),
            ("log_evidence", .double(logEvidence)), ("log_threshold", .double(logThreshold)), ("alpha", .double(alpha)),
        ])
    }
}
