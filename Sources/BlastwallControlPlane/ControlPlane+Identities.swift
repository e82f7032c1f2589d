import BlastwallAudit
import BlastwallCore
import BlastwallForges
import BlastwallStorage

extension ControlPlane {
    /// An identity and, when just created, its token (shown once).
    public struct IssuedIdentity: Sendable {
        public var record: IdentityRecord
        public var token: String
    }

    /// Creates the first admin of an empty database. Refused once any identity exists.
    public func bootstrap(adminName: String) async throws(ControlPlaneError) -> IssuedIdentity {
        let token = Tokens.issue()
        let principal = Principal(name: adminName, kind: .human, role: .admin)
        let time = now()
        let record = try await write { transaction in
            guard try await IdentityStore.count(transaction) == 0 else {
                throw ControlPlaneError.conflict("the database already has identities; bootstrap only creates the first admin")
            }
            let record = try await IdentityStore.insert(transaction, principal, tokenHash: Tokens.hash(token), time: time)
            try await AuditLog.append(
                transaction, time: time, actor: "system", action: "identity.bootstrapped", subject: "identity/\(adminName)",
                payload: Self.identityPayload(principal))
            return record
        }
        try await refreshIdentities()
        return IssuedIdentity(record: record, token: token)
    }

    /// Creates an identity; a `ci` identity may carry the public key (SPKI PEM) whose signed reports it may
    /// submit to a server that keeps no mirror of their repository.
    public func createIdentity(_ principal: Principal, attestationKey: String? = nil, by actor: Principal) async throws(ControlPlaneError)
        -> IssuedIdentity
    {
        try require(.manageIdentities, of: actor)
        try Self.validateName(principal.name, field: "name")
        if let refusal = Principal.refusal(creating: principal, by: actor) {
            throw principal.role == .admin && principal.kind != .human ? .invalid(field: "role", message: refusal) : .forbidden(refusal)
        }
        try Self.validateForgeLogins(principal.forgeLogins)
        var payload = Self.identityPayload(principal)
        var publicKey: String?
        if let attestationKey {
            guard principal.role == .ci, principal.kind != .ai else {
                throw .invalid(
                    field: "attestation_key", message: "only identities with role ci (not of kind ai) may sign reports for the gate")
            }
            guard !attestationKey.contains("PRIVATE KEY") else {
                throw .invalid(
                    field: "attestation_key", message: "is a private key; give only the public key (blastwall keygen writes both)")
            }
            do {
                let key = try VerificationKey(pem: attestationKey)
                publicKey = key.pem
                let keyID = key.keyID
                if case .object(let members) = payload { payload = .object(members + [("attestation_key_id", .string(keyID))]) }
            } catch {
                throw .invalid(field: "attestation_key", message: "\(error.description); give the Ed25519 public key as SPKI PEM")
            }
        }
        let token = Tokens.issue()
        let time = now()
        let audited = payload
        let storedKey = publicKey
        let record = try await write { transaction in
            for other in try await IdentityStore.all(transaction) where other.revokedAt == nil {
                for (forge, login) in principal.forgeLogins where other.principal.forgeLogins[forge]?.lowercased() == login.lowercased() {
                    throw ControlPlaneError.conflict(
                        "\(forge) login '\(login)' already belongs to identity '\(other.principal.name)'; revoke it first, or map another login"
                    )
                }
            }
            let record = try await IdentityStore.insert(
                transaction, principal, tokenHash: Tokens.hash(token), attestationKey: storedKey, time: time)
            try await AuditLog.append(
                transaction, time: time, actor: actor.name, action: "identity.created", subject: "identity/\(principal.name)",
                payload: audited)
            return record
        }
        try await refreshIdentities()
        return IssuedIdentity(record: record, token: token)
    }

    public func revokeIdentity(named name: String, by actor: Principal) async throws(ControlPlaneError) -> IdentityRecord {
        try require(.manageIdentities, of: actor)
        let time = now()
        let record = try await write { transaction in
            guard let record = try await IdentityStore.revoke(transaction, name: name, time: time) else {
                throw ControlPlaneError.notFound("no active identity named '\(name)'")
            }
            try await AuditLog.append(
                transaction, time: time, actor: actor.name, action: "identity.revoked", subject: "identity/\(name)", payload: .object([]))
            return record
        }
        try await refreshIdentities()
        return record
    }

    public func identities(after: Int64, limit: Int, by actor: Principal) async throws(ControlPlaneError) -> [IdentityRecord] {
        try require(.read, of: actor)
        return try await read { try await IdentityStore.page(database, after: after, limit: limit) }
    }

    private func refreshIdentities() async throws(ControlPlaneError) {
        try await read { try await reloadIdentities() }
        // A revoked or changed reviewer can change any gate.
        gates.withLock { $0.removeAll() }
    }

    static func identityPayload(_ principal: Principal) -> JSONValue {
        .object([
            ("kind", .string(principal.kind.rawValue)), ("role", .string(principal.role.rawValue)),
            ("groups", .array(principal.groups.map(JSONValue.string))), ("emails", .array(principal.emails.map(JSONValue.string))),
            ("forge_logins", .object(principal.forgeLogins.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
        ])
    }

    /// Forge logins name a known forge and look like a login there (no spaces or slashes; GitHub's, GitLab's and
    /// Gitea's logins are letters, digits, `-`, `_` and `.`).
    static func validateForgeLogins(_ logins: [String: String]) throws(ControlPlaneError) {
        for (forge, login) in logins.sorted(by: { $0.key < $1.key }) {
            guard ForgeKind(rawValue: forge) != nil else {
                throw .invalid(
                    field: "forge_logins",
                    message: "'\(forge)' is not a forge; use \(ForgeKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let allowed = login.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte | 0x20) || byte == 0x2D || byte == 0x5F || byte == 0x2E
            }
            guard (1...100).contains(login.utf8.count), allowed else {
                throw .invalid(
                    field: "forge_logins", message: "'\(login)' is not a \(forge) login: use 1–100 letters, digits, '-', '_' or '.'")
            }
        }
    }

    /// The identity a forge login is mapped to, among identities that are not revoked.
    func principal(forge: ForgeKind, login: String) -> Principal? {
        let login = login.lowercased()
        return identities.withLock { active in
            active.values.first { $0.forgeLogins[forge.rawValue]?.lowercased() == login }
        }
    }

    /// Names of identities, switches and freezes: letters, digits, `.`, `_`, `-`, 1–100 characters.
    static func validateName(_ name: String, field: String) throws(ControlPlaneError) {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
        guard (1...100).contains(name.utf8.count), allowed else {
            throw .invalid(field: field, message: "'\(name)' is not a valid name: use 1–100 letters, digits, '.', '_' or '-'")
        }
    }
}
