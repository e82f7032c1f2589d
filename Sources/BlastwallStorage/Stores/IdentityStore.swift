import BlastwallCore

/// An identity as stored: the principal, its token's hash (never the token), and its lifetime.
public struct IdentityRecord: Sendable, Equatable {
    public var id: Int64
    public var principal: Principal
    public var tokenHash: String
    /// The Ed25519 public key (SPKI PEM) whose signed reports a `ci` identity may submit to a server without a mirror.
    public var attestationKey: String?
    public var createdAt: String
    public var revokedAt: String?
}

/// Identities in the database.
public enum IdentityStore {
    static func strings(_ values: [String]) -> String { JSONValue.array(values.map(JSONValue.string)).serialized(pretty: false) }

    static func decodeStrings(_ text: String) throws -> [String] {
        guard let items = (try? JSONParser.parse(text))?.arrayValue else { throw StorageError.corrupt("expected a JSON list of strings") }
        return items.compactMap(\.stringValue)
    }

    static func logins(_ logins: [String: String]) -> String {
        JSONValue.object(logins.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }).serialized(pretty: false)
    }

    static func decodeLogins(_ text: String) throws -> [String: String] {
        guard case .object(let members)? = try? JSONParser.parse(text) else {
            throw StorageError.corrupt("expected a JSON object of logins")
        }
        return Dictionary(members.compactMap { key, value in value.stringValue.map { (key, $0) } }, uniquingKeysWith: { first, _ in first })
    }

    static func record(_ row: SQLRow) throws -> IdentityRecord {
        guard let kind = IdentityKind(rawValue: try row.text("kind")), let role = Role(rawValue: try row.text("role")) else {
            throw StorageError.corrupt("identity \(try row.text("name")) has an unknown kind or role")
        }
        let principal = Principal(
            name: try row.text("name"), kind: kind, role: role, groups: try decodeStrings(try row.text("groups_json")),
            emails: try decodeStrings(try row.text("emails_json")), forgeLogins: try decodeLogins(try row.text("forge_logins_json")))
        return IdentityRecord(
            id: try row.integer("id"), principal: principal, tokenHash: try row.text("token_hash"),
            attestationKey: try row.optionalText("attestation_key"), createdAt: try row.text("created_at"),
            revokedAt: try row.optionalText("revoked_at"))
    }

    public static func insert(
        _ transaction: any SQLExecutor, _ principal: Principal, tokenHash: String, attestationKey: String? = nil, time: String
    ) async throws -> IdentityRecord {
        let existing = try await transaction.query("SELECT id FROM identities WHERE name = $1", [.text(principal.name)])
        guard existing.isEmpty else { throw StorageError.conflict("an identity named '\(principal.name)' already exists") }
        let rows = try await transaction.query(
            """
            INSERT INTO identities (name, kind, role, groups_json, emails_json, token_hash, created_at, attestation_key, forge_logins_json)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *
            """,
            [
                .text(principal.name), .text(principal.kind.rawValue), .text(principal.role.rawValue), .text(strings(principal.groups)),
                .text(strings(principal.emails)), .text(tokenHash), .text(time), attestationKey.map(SQLValue.text) ?? .null,
                .text(logins(principal.forgeLogins)),
            ])
        guard let row = rows.first else { throw StorageError.corrupt("the new identity was not returned") }
        return try record(row)
    }

    public static func all(_ database: any SQLExecutor) async throws -> [IdentityRecord] {
        try await database.query("SELECT * FROM identities ORDER BY id").map(record)
    }

    /// A page of identities ordered by id, starting after `after`.
    public static func page(_ database: any SQLExecutor, after: Int64, limit: Int) async throws -> [IdentityRecord] {
        try await database.query("SELECT * FROM identities WHERE id > $1 ORDER BY id LIMIT $2", [.integer(after), .integer(Int64(limit))])
            .map(record)
    }

    public static func count(_ database: any SQLExecutor) async throws -> Int64 {
        try await database.query("SELECT COUNT(*) AS n FROM identities").first?.integer("n") ?? 0
    }

    /// Revokes an active identity; nil when there is no such active identity.
    public static func revoke(_ transaction: any SQLExecutor, name: String, time: String) async throws -> IdentityRecord? {
        try await transaction.query(
            "UPDATE identities SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL RETURNING *", [.text(time), .text(name)]
        ).first.map(record)
    }
}
