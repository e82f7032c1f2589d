import BlastwallAudit
import BlastwallCore
import BlastwallStorage
import CEL

extension ControlPlane {
    /// A signed-in dashboard session: who, the token its forms must carry, and when it ends unless used.
    public struct DashboardSession: Sendable, Equatable {
        public var principal: Principal
        public var csrf: String
        public var expiresAt: String
    }

    /// How long sessions hold: `idle` after their last use, and never more than `absolute` after sign-in.
    public struct SessionLifetime: Sendable, Equatable {
        public var idle: Double
        public var absolute: Double

        public init(idle: Double = 8 * 3_600, absolute: Double = 24 * 3_600) {
            self.idle = idle
            self.absolute = absolute
        }
    }

    /// Signs in with an identity's token: a new session, whose cookie value is returned once and stored only
    /// as its hash. The same token rules as the API; audited as `session.started`.
    public func signIn(token: String, lifetime: SessionLifetime) async throws(ControlPlaneError) -> (
        cookie: String, session: DashboardSession
    ) {
        let principal = try authenticate(token: token)
        try require(.read, of: principal)
        let cookie = Tokens.issue()
        let csrf = Tokens.issue()
        let time = now()
        guard let expires = Self.time(-lifetime.idle, before: time) else { throw .storage("the clock gave an unreadable time") }
        let record = SessionRecord(
            idHash: Tokens.hash(cookie), identity: principal.name, csrf: csrf, createdAt: time, lastSeenAt: time, expiresAt: expires)
        try await write { transaction in
            try await SessionStore.insert(transaction, record)
            try await AuditLog.append(
                transaction, time: time, actor: principal.name, action: "session.started", subject: "identity/\(principal.name)",
                payload: .object([("expires_at", .string(expires))]))
        }
        return (cookie, DashboardSession(principal: principal, csrf: csrf, expiresAt: expires))
    }

    /// The session a cookie names, if it holds: not ended, not expired, and its identity still active. Using it
    /// moves its idle end on (at most once a minute, so reading pages does not write on every request).
    public func session(cookie: String, lifetime: SessionLifetime) async throws(ControlPlaneError) -> DashboardSession? {
        let hash = Tokens.hash(cookie)
        guard let record = try await read({ try await SessionStore.find(database, idHash: hash) }), record.endedAt == nil else {
            return nil
        }
        let time = now()
        guard time < record.expiresAt, let principal = activePrincipal(named: record.identity) else { return nil }
        guard let idleEnd = Self.time(-lifetime.idle, before: time),
            let absoluteEnd = Self.time(-lifetime.absolute, before: record.createdAt),
            let touchAfter = Self.time(-60, before: record.lastSeenAt)
        else { return nil }
        let expires = min(idleEnd, absoluteEnd)
        guard time >= touchAfter else { return DashboardSession(principal: principal, csrf: record.csrf, expiresAt: record.expiresAt) }
        try await write { transaction in try await SessionStore.touch(transaction, idHash: hash, time: time, expiresAt: expires) }
        return DashboardSession(principal: principal, csrf: record.csrf, expiresAt: expires)
    }

    /// Ends the session a cookie names; audited as `session.ended`. Nothing to do for one that already ended.
    public func signOut(cookie: String) async throws(ControlPlaneError) {
        let hash = Tokens.hash(cookie)
        let time = now()
        try await write { transaction in
            guard let record = try await SessionStore.find(transaction, idHash: hash), record.endedAt == nil else { return }
            try await SessionStore.end(transaction, idHash: hash, time: time)
            try await AuditLog.append(
                transaction, time: time, actor: record.identity, action: "session.ended", subject: "identity/\(record.identity)",
                payload: .object([]))
        }
    }

    /// Forgets sessions that expired or ended over a day ago (their start and end stay in the audit log).
    public func pruneSessions() async throws(ControlPlaneError) -> Int {
        guard let cutoff = Self.time(86_400, before: now()) else { return 0 }
        return try await write { transaction in try await SessionStore.prune(transaction, before: cutoff) }
    }

    /// An active identity by name: revoking one ends its sessions, since it is no longer here.
    func activePrincipal(named name: String) -> Principal? {
        identities.withLock { cache in cache.values.first { $0.name == name } }
    }
}
