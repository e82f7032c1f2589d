import BlastwallAnalysis
import BlastwallAudit
import BlastwallCore
import BlastwallForges
import BlastwallStorage
import CEL
import CommandGuard
import Foundation
import Logging
import Synchronization

/// The control plane's use cases: every state change runs in one transaction with its audit event.
/// Reads on hot paths (authentication, kill switches) answer from memory, kept current on every write.
public final class ControlPlane: Sendable {
    public let database: any SQLDatabase
    public let configuration: Configuration
    let logger: Logger
    public let now: @Sendable () -> String
    /// Token hash → identity, for active identities.
    let identities = Mutex<[String: Principal]>([:])
    let switches = Mutex<[String: KillSwitch]>([:])
    /// Identity name → principal, for every identity ever created (reviews name their reviewers).
    let principals = Mutex<[String: Principal]>([:])
    /// Change id → gate status of its current head, and the time until which it holds (a freeze starting or
    /// ending); dropped whenever the change, its reviews, identities or freezes change.
    let gates = Mutex<[Int64: (status: GateStatus, validUntil: String?)]>([:])
    /// Runtime freezes that have not ended or been lifted.
    let freezes = Mutex<[FreezeRecord]>([])
    /// Percentage flags (the `flags` router), answered from memory: applications ask on every request.
    let flags = Mutex<[String: Int]>([:])
    /// Keys that sign reports for the gate, of active `ci` identities, with the identity's name.
    let attestationKeys = Mutex<[(name: String, key: VerificationKey)]>([])
    /// The audit chain's head when the caches were last brought up to date with storage (`catchUp`).
    let seenAuditHead = Mutex<Int64>(0)
    let engine: ApprovalEngine
    let analyzer: ChangeAnalyzer
    /// The agent gateway's classifier and policy, built once from the configuration (its path index included).
    let commandClassifier: CommandClassifier
    let agentPolicy: AgentPolicy
    /// The repositories this server analyses itself; nil or a repository not in it takes only signed reports.
    let mirrors: RepositoryMirrors?
    /// The forges whose webhooks this server takes and whose pull requests it reports on.
    public let forges: [ForgeKind: any Forge]
    /// Where people see a change (`URL/api/v1/changes/ID`), linked from the forge's check.
    let publicURL: String?
    /// Woken when a delivery is queued, so that it is applied at once rather than at the next poll.
    let deliveryWakeup = Wakeup()
    /// Forge team memberships asked recently: (forge, team, login) → member, and until when the answer holds.
    let teamMemberships = Mutex<[String: (isMember: Bool, until: ContinuousClock.Instant)]>([:])

    public init(
        database: any SQLDatabase, configuration: Configuration, mirrors: RepositoryMirrors? = nil,
        forges: [ForgeKind: any Forge] = [:], publicURL: String? = nil, logger: Logger,
        now: @escaping @Sendable () -> String = ControlPlane.clock
    ) {
        self.mirrors = mirrors
        self.forges = forges
        self.publicURL = publicURL
        self.database = database
        self.configuration = configuration
        self.logger = logger
        self.now = now
        engine = ApprovalEngine(groups: configuration.groups)
        analyzer = ChangeAnalyzer(configuration: configuration)
        commandClassifier = CommandClassifier(configuration: configuration)
        agentPolicy = AgentPolicy(configuration: configuration)
    }

    /// RFC 3339 UTC with milliseconds.
    public static let clock: @Sendable () -> String = {
        timeText(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
    }

    /// `time`, as `now` writes it, moved back by `seconds`; nil when it is not such a time.
    static func time(_ seconds: Double, before time: String) -> String? {
        guard let timestamp = Timestamp(rfc3339: time) else { return nil }
        return timeText(milliseconds: Int64(timestamp.nanoseconds / 1_000_000) - Int64((seconds * 1000).rounded()))
    }

    /// The form every stored time is written in, always with milliseconds, so stored times compare as text.
    static func timeText(milliseconds: Int64) -> String {
        var text = Timestamp(nanoseconds: Int128(milliseconds) * 1_000_000)!.rfc3339
        if !text.contains(".") { text.insert(contentsOf: ".000", at: text.index(before: text.endIndex)) }
        return text
    }

    /// A time the rollout controller keeps (seconds since the epoch) as a timestamp; out of range is the epoch.
    public static func timestamp(seconds: Double) -> Timestamp {
        Timestamp(nanoseconds: Int128((seconds * 1e9).rounded())) ?? Timestamp(nanoseconds: 0)!
    }

    /// Applies migrations and loads the in-memory state.
    public func start() async throws {
        try await Migrations.apply(to: database, now: now())
        let head = try await auditHeadSequence()
        try await reload(.all)
        seenAuditHead.withLock { $0 = head }
    }

    func reloadIdentities() async throws {
        let records = try await IdentityStore.all(database)
        let active = records.filter { $0.revokedAt == nil }
        identities.withLock { $0 = Dictionary(uniqueKeysWithValues: active.map { ($0.tokenHash, $0.principal) }) }
        principals.withLock { $0 = Dictionary(uniqueKeysWithValues: records.map { ($0.principal.name, $0.principal) }) }
        let keys = active.compactMap { record -> (name: String, key: VerificationKey)? in
            guard record.principal.role == .ci, let pem = record.attestationKey, let key = try? VerificationKey(pem: pem) else {
                return nil
            }
            return (record.principal.name, key)
        }
        attestationKeys.withLock { $0 = keys }
    }

    /// Runs `body` in a transaction, mapping failures to control-plane errors.
    func write<Result: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> Result) async throws(ControlPlaneError)
        -> Result
    {
        do {
            return try await database.transaction(body)
        } catch {
            throw ControlPlaneError.from(error)
        }
    }

    func read<Result: Sendable>(_ body: () async throws -> Result) async throws(ControlPlaneError) -> Result {
        do {
            return try await body()
        } catch {
            throw ControlPlaneError.from(error)
        }
    }
}

extension ControlPlane {
    /// The identity a bearer token belongs to. Unknown and revoked tokens are refused the same way.
    public func authenticate(token: String) throws(ControlPlaneError) -> Principal {
        let hash = Tokens.hash(token)
        let match = identities.withLock { cache -> Principal? in
            // Every stored hash is compared, in constant time, so timing says nothing about near matches.
            var found: Principal?
            for (storedHash, principal) in cache where Tokens.constantTimeEqual(storedHash, hash) { found = principal }
            return found
        }
        guard let match else { throw .unauthenticated("the token is not valid; ask an admin for a new one") }
        return match
    }

    /// Throws unless `principal` has `permission`.
    public func require(_ permission: Permission, of principal: Principal) throws(ControlPlaneError) {
        guard principal.allows(permission) else {
            guard principal.role.allows(permission) else {
                throw .forbidden("\(principal.name) has role \(principal.role.rawValue), which may not \(permission.rawValue)")
            }
            throw .forbidden("\(principal.name) is of kind \(principal.kind.rawValue), which may not \(permission.rawValue)")
        }
    }
}
