/// The rollout in the same keys as its file, so what is stored or shown reads back through the parser.
extension RolloutSpec {
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("service", .string(service)), ("version", .string(version)), ("stable", .string(stableVersion)),
            ("artifact", .string(artifact)),
        ]
        if let change { members.append(("change", .string(change))) }
        members += [
            ("router", router.json), ("metrics", metrics.json), ("analysis", analysis.json(intervalSeconds: intervalSeconds)),
            (
                "steps",
                .array(
                    steps.map { .object([("weight", .int(Int64($0.weight))), ("duration", .string(durationText($0.durationSeconds)))]) })
            ),
        ]
        if let notify {
            var fields: [(String, JSONValue)] = [("url", .string(notify.url))]
            if let name = notify.secretEnvironmentVariable { fields.append(("secret_env", .string(name))) }
            members.append(("notify", .object(fields)))
        }
        return .object(members)
    }
}

extension RouterSettings {
    public var json: JSONValue {
        switch self {
        case .haproxy(let address, let backend, let stable, let canary):
            return .object([
                ("type", .string("haproxy")), ("address", .string(address)), ("backend", .string(backend)),
                ("stable_server", .string(stable)),
                ("canary_server", .string(canary)),
            ])
        case .nginx(let settings):
            var members: [(String, JSONValue)] = [
                ("type", .string("nginx")), ("include_file", .string(settings.includeFile)), ("upstream", .string(settings.upstream)),
                ("stable_address", .string(settings.stableAddress)), ("canary_address", .string(settings.canaryAddress)),
                ("binary", .string(settings.binary)),
            ]
            if let config = settings.configFile { members.append(("config", .string(config))) }
            return .object(members)
        case .command(let arguments):
            return .object([("type", .string("command")), ("command", .array(arguments.map { .string($0) }))])
        case .flags(let flag):
            return .object([("type", .string("flags")), ("flag", .string(flag))])
        }
    }
}

extension MetricsSettings {
    public var json: JSONValue {
        switch self {
        case .push:
            return .object([("provider", .string("push"))])
        case .prometheus(let queries):
            return .object([
                ("provider", .string("prometheus")), ("address", .string(queries.address)), ("requests", .string(queries.requests)),
                ("errors", .string(queries.errors)), ("latency", queries.latency.map { .string($0) } ?? .null),
                ("latency_unit", .string(queries.latencyUnitMs == 1 ? "milliseconds" : "seconds")),
            ])
        }
    }
}

extension AnalysisSettings {
    public func json(intervalSeconds: Double) -> JSONValue {
        var slo: [(String, JSONValue)] = []
        if let maxErrorRatio { slo.append(("error_ratio", .double(maxErrorRatio))) }
        if let maxP99Ms { slo.append(("p99_ms", .double(maxP99Ms))) }
        slo.append(("window", .string(durationText(sloWindowSeconds))))
        return .object([
            ("interval", .string(durationText(intervalSeconds))), ("alpha", .double(alpha)), ("errors", .bool(compareErrors)),
            ("latency", .bool(compareLatency)), ("slo", .object(slo)),
            ("minimum_requests", .int(Int64(minimumCanaryRequests))),
            (
                "inconclusive",
                .object([("limit", .string(durationText(inconclusiveLimitSeconds))), ("action", .string(onInconclusive.rawValue))])
            ),
        ])
    }
}

/// Seconds as a duration string the parser reads back exactly (`90s`, `0.5s`).
func durationText(_ seconds: Double) -> String {
    "\(decimalText(seconds))s"
}
