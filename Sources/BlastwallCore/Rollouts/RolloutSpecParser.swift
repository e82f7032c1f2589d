import CEL
import Yams

/// Reads a rollout from YAML (a rollout file) or JSON (an API body), reporting every problem with its place.
public enum RolloutSpecParser {
    static let topLevelKeys = ["service", "version", "stable", "artifact", "change", "router", "metrics", "analysis", "steps", "notify"]
    static let routerKeys: [String: [String]] = [
        "haproxy": ["type", "address", "backend", "stable_server", "canary_server"],
        "nginx": ["type", "include_file", "upstream", "stable_address", "canary_address", "binary", "config"],
        "command": ["type", "command"],
        "flags": ["type", "flag"],
    ]
    static let metricsKeys: [String: [String]] = [
        "prometheus": ["provider", "address", "requests", "errors", "latency", "latency_unit"],
        "push": ["provider"],
    ]
    static let analysisKeys = ["interval", "alpha", "errors", "latency", "latency_quantiles", "slo", "minimum_requests", "inconclusive"]
    static let sloKeys = ["error_ratio", "p99_ms", "window"]
    static let inconclusiveKeys = ["limit", "action"]
    static let stepKeys = ["weight", "duration"]
    static let notifyKeys = ["url", "secret_env"]

    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> RolloutSpec {
        var reader = YAMLReader(file: file, text: text)
        let root = try YAMLReader.compose(text, file: file, ifEmpty: "the rollout is empty; see docs/rollouts.md for its fields")
        guard let entries = reader.mapping(root, "the rollout", allowedKeys: topLevelKeys) else {
            throw ConfigurationError(diagnostics: reader.diagnostics)
        }
        let fields = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        func required(_ key: String) -> Node? {
            if let node = fields[key] { return node }
            reader.error("the rollout has no '\(key)'; add it at the top level", at: SourceLocation(file: file, line: 1, column: 1))
            return nil
        }
        let service = required("service").flatMap { reader.identifier($0, "service") }
        let version = required("version").flatMap { reader.identifier($0, "version") }
        let stable = required("stable").flatMap { reader.identifier($0, "stable") }
        let artifact = required("artifact").flatMap { Self.artifact($0, &reader) }
        let change = fields["change"].flatMap { reader.identifier($0, "change") }
        let router = required("router").flatMap { Self.router($0, &reader) }
        let metrics = fields["metrics"].map { Self.metrics($0, &reader) } ?? MetricsSettings.push
        var (analysis, interval) = fields["analysis"].map { Self.analysis($0, &reader) } ?? (AnalysisSettings(), 1)
        let steps = required("steps").map { Self.steps($0, &reader) } ?? []
        let notify = fields["notify"].flatMap { Self.notify($0, &reader) }
        if let version, let stable, version == stable, let node = fields["version"] {
            reader.error("version and stable are both '\(version)'; a rollout replaces stable with a different version", at: node)
        }
        if case .prometheus(let queries) = metrics, queries.latency == nil { analysis.compareLatency = false }

        guard reader.diagnostics.isEmpty, let service, let version, let stable, let artifact, let router else {
            throw ConfigurationError(diagnostics: reader.diagnostics)
        }
        return RolloutSpec(
            service: service, version: version, stableVersion: stable, artifact: artifact, change: change, router: router,
            metrics: metrics, analysis: analysis, intervalSeconds: interval, steps: steps, notify: notify)
    }

    private static func artifact(_ node: Node, _ reader: inout YAMLReader) -> String? {
        guard let text = reader.string(node, "artifact") else { return nil }
        let digest = text.dropFirst("sha256:".count)
        guard text.hasPrefix("sha256:"), digest.count == 64, digest.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            reader.error(
                "artifact is '\(text)', but must be an immutable digest: sha256: and 64 lowercase hex digits (a tag can move)", at: node)
            return nil
        }
        return text
    }

    private static func typed(_ node: Node, _ context: String, key: String, kinds: [String: [String]], _ reader: inout YAMLReader)
        -> (kind: String, fields: [String: Node])?
    {
        let names = kinds.keys.sorted()
        guard let entries = reader.mapping(node, context, allowedKeys: Array(Set(kinds.values.joined())).sorted()) else { return nil }
        let fields = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let kindNode = fields[key] else {
            reader.error("\(context) has no '\(key)'; it must be one of \(names.joined(separator: ", "))", at: node)
            return nil
        }
        guard let kind = reader.string(kindNode, "\(key) in \(context)") else { return nil }
        guard let allowed = kinds[kind] else {
            let hint = Suggestion.hint(for: kind, among: names)
            reader.error("\(key) in \(context) is '\(kind)', but must be one of \(names.joined(separator: ", "))\(hint)", at: kindNode)
            return nil
        }
        for entry in entries where !allowed.contains(entry.key) {
            reader.error(
                "'\(entry.key)' does not apply to a \(kind) \(context); its keys are \(allowed.joined(separator: ", "))", at: entry.keyNode)
        }
        return (kind, fields)
    }

    private static func router(_ node: Node, _ reader: inout YAMLReader) -> RouterSettings? {
        guard let (kind, fields) = typed(node, "router", key: "type", kinds: routerKeys, &reader) else { return nil }
        func text(_ key: String, default value: String? = nil) -> String? {
            guard let field = fields[key] else {
                if value == nil { reader.error("a \(kind) router needs '\(key)'", at: node) }
                return value
            }
            return reader.string(field, "\(key) in router")
        }
        switch kind {
        case "haproxy":
            guard let address = text("address"), let backend = text("backend"), let stable = text("stable_server"),
                let canary = text("canary_server")
            else { return nil }
            return .haproxy(address: address, backend: backend, stableServer: stable, canaryServer: canary)
        case "nginx":
            guard let include = text("include_file"), let upstream = text("upstream"), let stable = text("stable_address"),
                let canary = text("canary_address"), let binary = text("binary", default: "nginx")
            else { return nil }
            return .nginx(
                NginxRouterSettings(
                    includeFile: include, upstream: upstream, stableAddress: stable, canaryAddress: canary, binary: binary,
                    configFile: fields["config"].flatMap { reader.string($0, "config in router") }))
        case "command":
            guard let field = fields["command"] else {
                reader.error("a command router needs 'command': the program and its arguments, as a list", at: node)
                return nil
            }
            guard let arguments = reader.strings(field, "command in router"), !arguments.isEmpty else { return nil }
            return .command(arguments: arguments)
        default:
            return text("flag").flatMap { flag in reader.identifier(fields["flag"]!, "flag in router").map { _ in .flags(flag: flag) } }
        }
    }

    private static func metrics(_ node: Node, _ reader: inout YAMLReader) -> MetricsSettings {
        guard let (kind, fields) = typed(node, "metrics", key: "provider", kinds: metricsKeys, &reader) else { return .push }
        guard kind == "prometheus" else { return .push }
        guard let addressNode = fields["address"], let address = reader.string(addressNode, "address in metrics") else {
            if fields["address"] == nil { reader.error("prometheus metrics need 'address', such as http://127.0.0.1:9090", at: node) }
            return .push
        }
        var queries = PrometheusQueries(address: address)
        if let field = fields["requests"], let query = reader.string(field, "requests in metrics") { queries.requests = query }
        if let field = fields["errors"], let query = reader.string(field, "errors in metrics") { queries.errors = query }
        if let field = fields["latency"] {
            queries.latency = YAMLReader.isNull(field) ? nil : reader.string(field, "latency in metrics")
        }
        if let field = fields["latency_unit"], let unit = reader.choice(field, "latency_unit in metrics", of: LatencyUnit.self) {
            queries.latencyUnitMs = unit == .seconds ? 1000 : 1
        }
        return .prometheus(queries)
    }

    enum LatencyUnit: String, CaseIterable {
        case seconds, milliseconds
    }

    /// The analysis block; also what `analysis replay` reads its settings from.
    static func analysis(_ node: Node, _ reader: inout YAMLReader) -> (AnalysisSettings, interval: Double) {
        var settings = AnalysisSettings()
        var interval = 1.0
        guard let entries = reader.mapping(node, "analysis", allowedKeys: analysisKeys) else { return (settings, interval) }
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "interval": interval = reader.seconds(value, "interval in analysis", atLeast: 0.1) ?? interval
            case "alpha": settings.alpha = reader.double(value, "alpha in analysis", in: 0.0001...0.5) ?? settings.alpha
            case "errors": settings.compareErrors = reader.bool(value, "errors in analysis") ?? true
            case "latency": settings.compareLatency = reader.bool(value, "latency in analysis") ?? true
            case "latency_quantiles":
                // The key of the quantile-share test this one replaced: old files get a way forward, not "unknown key".
                reader.error(
                    "latency_quantiles is no longer read: the latency test compares whole distributions; "
                        + "write 'latency: false' to turn it off, or remove the key", at: value)
            case "minimum_requests":
                settings.minimumCanaryRequests =
                    reader.int(value, "minimum_requests in analysis", in: 1...1_000_000_000) ?? settings.minimumCanaryRequests
            case "slo":
                for field in reader.mapping(value, "slo in analysis", allowedKeys: sloKeys) ?? [] {
                    switch field.key {
                    case "error_ratio": settings.maxErrorRatio = reader.double(field.value, "error_ratio in slo", in: 0...1)
                    case "p99_ms": settings.maxP99Ms = reader.double(field.value, "p99_ms in slo", in: 0...86_400_000)
                    default:
                        settings.sloWindowSeconds = reader.seconds(field.value, "window in slo", atLeast: 1) ?? settings.sloWindowSeconds
                    }
                }
            default:
                for field in reader.mapping(value, "inconclusive in analysis", allowedKeys: inconclusiveKeys) ?? [] {
                    if field.key == "limit" {
                        settings.inconclusiveLimitSeconds =
                            reader.seconds(field.value, "limit in inconclusive", atLeast: 0) ?? settings.inconclusiveLimitSeconds
                    } else if let action = reader.choice(
                        field.value, "action in inconclusive", of: AnalysisSettings.InconclusiveAction.self)
                    {
                        settings.onInconclusive = action
                    }
                }
            }
        }
        if !settings.compareErrors && !settings.compareLatency && settings.maxErrorRatio == nil && settings.maxP99Ms == nil {
            reader.error("analysis checks nothing: turn on errors, latency or an slo limit", at: node)
        }
        return (settings, interval)
    }

    private static func steps(_ node: Node, _ reader: inout YAMLReader) -> [RolloutStep] {
        guard let items = reader.sequence(node, "steps") else { return [] }
        if items.isEmpty { reader.error("steps is empty; give at least one step such as {weight: 5, duration: 1m}", at: node) }
        var steps: [RolloutStep] = []
        for (index, item) in items.enumerated() {
            let context = "step \(index + 1)"
            guard let entries = reader.mapping(item, context, allowedKeys: stepKeys) else { continue }
            let fields = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            guard let weightNode = fields["weight"] else {
                reader.error("\(context) has no weight: the canary's percent of traffic, 1 to 100", at: item)
                continue
            }
            guard let weight = reader.int(weightNode, "weight in \(context)", in: 1...100) else { continue }
            if let previous = steps.last, weight < previous.weight {
                reader.error(
                    "weight in \(context) is \(weight), below the previous step's \(previous.weight); weights only grow", at: weightNode)
            }
            let duration = fields["duration"].flatMap { reader.seconds($0, "duration in \(context)") } ?? 0
            steps.append(RolloutStep(weight: weight, durationSeconds: duration))
        }
        return steps
    }

    private static func notify(_ node: Node, _ reader: inout YAMLReader) -> NotificationSettings? {
        guard let entries = reader.mapping(node, "notify", allowedKeys: notifyKeys) else { return nil }
        let fields = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let urlNode = fields["url"], let url = reader.string(urlNode, "url in notify") else {
            if fields["url"] == nil { reader.error("notify needs 'url': the webhook told of rollbacks", at: node) }
            return nil
        }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            reader.error("url in notify is '\(url)', but must start with http:// or https://", at: urlNode)
            return nil
        }
        return NotificationSettings(
            url: url, secretEnvironmentVariable: fields["secret_env"].flatMap { reader.string($0, "secret_env in notify") })
    }
}

extension YAMLReader {
    /// A name: letters, digits and `. _ - : / +`, no spaces, at most 200 characters.
    mutating func identifier(_ node: Node, _ context: String) -> String? {
        guard let text = string(node, context) else { return nil }
        let allowed = Set("._-:/+@")
        guard !text.isEmpty, text.count <= 200, text.allSatisfy({ $0.isLetter || $0.isNumber || allowed.contains($0) }) else {
            error("\(context) is '\(text)', but must be 1 to 200 letters, digits or . _ - : / + @ with no spaces", at: node)
            return nil
        }
        return text
    }
}

extension RolloutSpecParser {
    /// Analysis settings alone (the `analysis` block's keys), for `analysis replay`.
    public static func parseAnalysis(_ text: String, file: String) throws(ConfigurationError) -> (AnalysisSettings, interval: Double) {
        var reader = YAMLReader(file: file, text: text)
        let root = try YAMLReader.compose(text, file: file, ifEmpty: "the analysis settings are empty")
        let parsed = analysis(root, &reader)
        guard reader.diagnostics.isEmpty else { throw ConfigurationError(diagnostics: reader.diagnostics) }
        return parsed
    }
}
