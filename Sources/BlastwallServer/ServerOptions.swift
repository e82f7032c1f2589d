import BlastwallAudit

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

    public init(
        bodyLimit: Int = 1 << 20, switchReadsNeedToken: Bool = false, attestationKey: SigningKey? = nil, checkpointKey: SigningKey? = nil,
        checkpointEvery: Int = 1000
    ) {
        self.bodyLimit = bodyLimit
        self.switchReadsNeedToken = switchReadsNeedToken
        self.attestationKey = attestationKey
        self.checkpointKey = checkpointKey
        self.checkpointEvery = checkpointEvery
    }
}
