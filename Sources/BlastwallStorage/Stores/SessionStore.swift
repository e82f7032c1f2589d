/// A dashboard session: who signed in, the token its forms carry, and until when it holds.
public struct SessionRecord: Sendable, Equatable {
    /// The SHA-256 of the cookie's value; the value itself is never stored.
    public var idHash: String
    public var identity: String
    public var csrf: String
    public var createdAt: String
    public var lastSeenAt: String
    public var expiresAt: String
    public var endedAt: String?

    public init(
        idHash: String, identity: String, csrf: String, createdAt: String, lastSeenAt: String, expiresAt: String, endedAt: String? = nil
    ) {
        self.idHash = idHash
        self.identity = identity
        self.csrf = csrf
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.endedAt = endedAt
    }
}

/// Dashboard sessions in the database, so that every server behind a load balancer knows them.
public enum SessionStore {
    public static func insert(_ transaction: any SQLExecutor, _ session: SessionRecord) async throws {
        try await transaction.query(
            """
            INSERT INTO ui_sessions (id_hash, identity, csrf, created_at, last_seen_at, expires_at, ended_at)
            VALUES ($1, $2, $3, $4, $5, $6, NULL)
            """,
            [
                .text(session.idHash), .text(session.identity), .text(session.csrf), .text(session.createdAt), .text(session.lastSeenAt),
                .text(session.expiresAt),
            ])
    }

    public static func find(_ database: any SQLExecutor, idHash: String) async throws -> SessionRecord? {
        try await database.query("SELECT * FROM ui_sessions WHERE id_hash = $1", [.text(idHash)]).first.map { row in
            SessionRecord(
                idHash: try row.text("id_hash"), identity: try row.text("identity"), csrf: try row.text("csrf"),
                createdAt: try row.text("created_at"), lastSeenAt: try row.text("last_seen_at"), expiresAt: try row.text("expires_at"),
                endedAt: try row.optionalText("ended_at"))
        }
    }

    /// Moves an idle session's end on, as it is used.
    public static func touch(_ transaction: any SQLExecutor, idHash: String, time: String, expiresAt: String) async throws {
        try await transaction.query(
            "UPDATE ui_sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3 AND ended_at IS NULL",
            [.text(time), .text(expiresAt), .text(idHash)])
    }

    public static func end(_ transaction: any SQLExecutor, idHash: String, time: String) async throws {
        try await transaction.query(
            "UPDATE ui_sessions SET ended_at = $1 WHERE id_hash = $2 AND ended_at IS NULL", [.text(time), .text(idHash)])
    }

    /// Deletes sessions that ended or expired before `cutoff`; returns how many.
    public static func prune(_ transaction: any SQLExecutor, before cutoff: String) async throws -> Int {
        try await transaction.query(
            "DELETE FROM ui_sessions WHERE expires_at < $1 OR ended_at < $1 RETURNING id_hash", [.text(cutoff)]
        ).count
    }
}
