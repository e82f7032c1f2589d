import BlastwallAudit
import BlastwallControlPlane
import BlastwallCore
import BlastwallForges

/// How the server behaves, from `blastwall serve` flags.
public struct ServerOptions: Sendable {
    /// The largest request body accepted; larger bodies get 413.
    public var bodyLimit: Int
    /// Whether `GET /api/v1/switches/NAME` needs a token with `read` (otherwise applications read switches freely).
    public var switchReadsNeedToken: Bool
    /// The key that signs attestations of changes (`POST /api/v1/changes/ID/attestation`); nil disables the route.
    public var attestationKey: SigningKey?

    /// The key that signs audit checkpoints automatically; nil leaves checkpoints to `blastwall audit checkpoint`.
    public var checkpointKey: SigningKey?
    /// How many events may be appended before the next automatic checkpoint.
    public var checkpointEvery: Int
    /// Where each automatic checkpoint is also written, outside the database; nil writes it nowhere else.
    public var auditWitness: AuditWitness?
    /// Deadlines for each part of a request, and connections per client address.
    public var connectionLimits: ConnectionLimits
    /// Failed sign-ins a client address may make within a minute before it is refused with 429.
    public var signInFailuresPerMinute: Int
    /// Whether rollouts may use the nginx and command routers, which run programs and write files on this
    /// host as the server's user; off by default, since anyone allowed to start a rollout could otherwise.
    public var allowHostRouters: Bool
    /// How long the per-tick evidence of ended rollouts is kept, in seconds; nil keeps it for good.
    public var tickRetentionSeconds: Double?
    /// The only hosts rollouts may make this server connect to (Prometheus, webhooks, HAProxy over TCP); nil
    /// lets them name any.
    public var outboundAllowlist: OutboundAllowlist?
    /// The forges whose webhooks this server takes and whose pull requests it reports on; a forge not here
    /// takes no deliveries.
    public var forges: [ForgeKind: any Forge] = [:]
    /// How often open pull requests are read again from their forge, for deliveries that never came.
    public var forgeReconcileInterval: Duration = .seconds(300)
    /// The bearer token Alertmanager sends (`http_config.authorization`); nil: no Alertmanager receiver.
    public var alertmanagerToken: String?
    /// How long dashboard sessions hold (`serve --ui-session-idle`, `--ui-session-max`).
    public var dashboardSessions = DashboardSessionLifetime()
    /// Dashboard cookies are `Secure`: the server is reached over https (its `--advertise-url`).
    public var secureCookies = false

    public init(
        bodyLimit: Int = 1 << 20, switchReadsNeedToken: Bool = false, attestationKey: SigningKey? = nil, checkpointKey: SigningKey? = nil,
        checkpointEvery: Int = 1000, allowHostRouters: Bool = false, tickRetentionSeconds: Double? = nil,
        outboundAllowlist: OutboundAllowlist? = nil, auditWitness: AuditWitness? = nil,
        connectionLimits: ConnectionLimits = ConnectionLimits(), signInFailuresPerMinute: Int = 20
    ) {
        self.signInFailuresPerMinute = signInFailuresPerMinute
        self.connectionLimits = connectionLimits
        self.auditWitness = auditWitness
        self.outboundAllowlist = outboundAllowlist
        self.allowHostRouters = allowHostRouters
        self.tickRetentionSeconds = tickRetentionSeconds
        self.bodyLimit = bodyLimit
        self.switchReadsNeedToken = switchReadsNeedToken
        self.attestationKey = attestationKey
        self.checkpointKey = checkpointKey
        self.checkpointEvery = checkpointEvery
    }
}

/// How long dashboard sessions hold, as `serve` sets it.
public typealias DashboardSessionLifetime = ControlPlane.SessionLifetime
