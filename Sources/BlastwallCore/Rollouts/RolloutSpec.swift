/// What a rollout ships and how: a rollout file or API body, validated.
public struct RolloutSpec: Sendable, Equatable {
    public var service: String
    /// The version being rolled out (the canary) and the one it replaces (stable).
    public var version: String
    public var stableVersion: String
    /// The immutable artifact of `version`: `sha256:` and 64 hex digits.
    public var artifact: String
    /// The change whose gate decision allows this rollout; nil only for drills.
    public var change: String?
    public var router: RouterSettings
    public var metrics: MetricsSettings
    public var analysis: AnalysisSettings
    /// How often the controller measures and decides, in seconds.
    public var intervalSeconds: Double
    public var steps: [RolloutStep]
    public var notify: NotificationSettings?

    public init(
        service: String, version: String, stableVersion: String, artifact: String, change: String? = nil, router: RouterSettings,
        metrics: MetricsSettings = .push, analysis: AnalysisSettings = AnalysisSettings(), intervalSeconds: Double = 1,
        steps: [RolloutStep], notify: NotificationSettings? = nil
    ) {
        self.service = service
        self.version = version
        self.stableVersion = stableVersion
        self.artifact = artifact
        self.change = change
        self.router = router
        self.metrics = metrics
        self.analysis = analysis
        self.intervalSeconds = intervalSeconds
        self.steps = steps
        self.notify = notify
    }

    /// The canary's weight in the first step: what policy caps apply to.
    public var initialWeight: Int { steps.first?.weight ?? 0 }
}

/// One step: the canary's share of traffic, held for at least `durationSeconds` while analysis passes.
public struct RolloutStep: Sendable, Equatable {
    /// Percent of traffic for the canary, 1…100.
    public var weight: Int
    public var durationSeconds: Double

    public init(weight: Int, durationSeconds: Double) {
        self.weight = weight
        self.durationSeconds = durationSeconds
    }
}

/// Where traffic weights are set. One case per router adapter.
public enum RouterSettings: Sendable, Equatable {
    /// HAProxy's runtime API: `set server BACKEND/SERVER weight N` on a Unix socket or TCP address.
    case haproxy(address: String, backend: String, stableServer: String, canaryServer: String)
    /// An nginx upstream written to an include file, checked with `nginx -t`, then reloaded.
    case nginx(NginxRouterSettings)
    /// A program run with the weights in its environment.
    case command(arguments: [String])
    /// Blastwall's own percentage flag, evaluated by applications.
    case flags(flag: String)

    public var kind: String {
        switch self {
        case .haproxy: "haproxy"
        case .nginx: "nginx"
        case .command: "command"
        case .flags: "flags"
        }
    }
}

extension RouterSettings {
    /// The host and port an HAProxy runtime API address names over TCP (`HOST:PORT`); nil for a Unix socket
    /// (`/run/haproxy/admin.sock`, `unix:/…`) or anything without a numeric port, which is used as a socket path.
    public static func haproxyTCPAddress(_ address: String) -> (host: String, port: Int)? {
        guard !address.hasPrefix("/"), !address.hasPrefix("unix:"), let colon = address.lastIndex(of: ":"),
            let port = Int(address[address.index(after: colon)...])
        else { return nil }
        return (String(address[..<colon]), port)
    }
}

public struct NginxRouterSettings: Sendable, Equatable {
    public var includeFile: String
    public var upstream: String
    public var stableAddress: String
    public var canaryAddress: String
    /// The nginx program and the main configuration it is started with (`nginx -c FILE`).
    public var binary: String
    public var configFile: String?

    public init(
        includeFile: String, upstream: String, stableAddress: String, canaryAddress: String, binary: String = "nginx",
        configFile: String? = nil
    ) {
        self.includeFile = includeFile
        self.upstream = upstream
        self.stableAddress = stableAddress
        self.canaryAddress = canaryAddress
        self.binary = binary
        self.configFile = configFile
    }
}

/// Where the canary's and the baseline's counts come from. One case per metrics provider.
public enum MetricsSettings: Sendable, Equatable {
    case prometheus(PrometheusQueries)
    /// Counts pushed to `POST /api/v1/rollouts/ID/observations`.
    case push

    public var kind: String {
        switch self {
        case .prometheus: "prometheus"
        case .push: "push"
        }
    }
}

/// Prometheus instant queries for cumulative counters; `{{service}}` and `{{version}}` are filled in.
public struct PrometheusQueries: Sendable, Equatable {
    public var address: String
    public var requests: String
    public var errors: String
    /// A query returning one cumulative bucket count per `le` label; nil: no latency analysis.
    public var latency: String?
    /// What one unit of the histogram's `le` is, in milliseconds (1000 for seconds).
    public var latencyUnitMs: Double

    public static let defaultRequests = #"sum(http_requests_total{service="{{service}}",version="{{version}}"})"#
    public static let defaultErrors = #"sum(http_requests_total{service="{{service}}",version="{{version}}",code=~"5.."})"#
    public static let defaultLatency =
        #"sum by (le) (http_request_duration_seconds_bucket{service="{{service}}",version="{{version}}"})"#

    public init(
        address: String, requests: String = Self.defaultRequests, errors: String = Self.defaultErrors,
        latency: String? = Self.defaultLatency, latencyUnitMs: Double = 1000
    ) {
        self.address = address
        self.requests = requests
        self.errors = errors
        self.latency = latency
        self.latencyUnitMs = latencyUnitMs
    }
}

/// A webhook told of rollbacks; the HMAC key is read from an environment variable, never from the file.
public struct NotificationSettings: Sendable, Equatable {
    public var url: String
    public var secretEnvironmentVariable: String?

    public init(url: String, secretEnvironmentVariable: String? = nil) {
        self.url = url
        self.secretEnvironmentVariable = secretEnvironmentVariable
    }
}
