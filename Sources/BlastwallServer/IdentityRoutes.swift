import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import Hummingbird

/// `/api/v1/identities` and `/api/v1/whoami`.
enum IdentityRoutes {
    static func json(_ record: IdentityRecord) -> JSONValue {
        .object([
            ("id", .int(record.id)), ("name", .string(record.principal.name)), ("kind", .string(record.principal.kind.rawValue)),
            ("role", .string(record.principal.role.rawValue)), ("groups", .array(record.principal.groups.map(JSONValue.string))),
            ("emails", .array(record.principal.emails.map(JSONValue.string))), ("forge_logins", logins(record.principal)),
            ("created_at", .string(record.createdAt)),
            ("revoked_at", record.revokedAt.map(JSONValue.string) ?? .null),
            ("attestation_key", record.attestationKey.map(JSONValue.string) ?? .null),
        ])
    }

    static func json(_ principal: Principal) -> JSONValue {
        .object([
            ("name", .string(principal.name)), ("kind", .string(principal.kind.rawValue)), ("role", .string(principal.role.rawValue)),
            ("groups", .array(principal.groups.map(JSONValue.string))), ("emails", .array(principal.emails.map(JSONValue.string))),
            ("forge_logins", logins(principal)),
        ])
    }

    static func logins(_ principal: Principal) -> JSONValue {
        .object(principal.forgeLogins.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }

    /// `forge_logins`: an object of forge → login.
    static func forgeLogins(_ body: JSONBody) throws -> [String: String] {
        guard let value = body.value("forge_logins"), value != .null else { return [:] }
        guard case .object(let members) = value else {
            throw Problem(
                .badRequest, "'forge_logins' must be an object of forge → login, such as {\"github\": \"dana-gh\"}", field: "forge_logins")
        }
        var logins: [String: String] = [:]
        for (forge, login) in members {
            guard let text = login.stringValue else {
                throw Problem(.badRequest, "'forge_logins.\(forge)' must be a string (the login)", field: "forge_logins")
            }
            logins[forge] = text
        }
        return logins
    }

    static func routes(_ handle: ControlPlaneHandle, options: ServerOptions) -> [RouteSpec] {
        [
            RouteSpec(method: .get, path: "/api/v1/whoami", access: .permission(.read)) { _, _, principal in
                .json(json(principal!))
            },
            RouteSpec(method: .post, path: "/api/v1/identities", access: .permission(.manageIdentities)) { request, _, principal in
                let body = try await JSONBody.read(
                    request, limit: options.bodyLimit,
                    allowed: ["name", "kind", "role", "groups", "emails", "forge_logins", "attestation_key"])
                let name = try body.requiredString("name")
                guard let kind = try body.enumeration("kind", IdentityKind.self) else {
                    throw Problem(.badRequest, "'kind' is required", field: "kind")
                }
                guard let role = try body.enumeration("role", Role.self) else {
                    throw Problem(.badRequest, "'role' is required", field: "role")
                }
                let identity = Principal(
                    name: name, kind: kind, role: role, groups: try body.strings("groups") ?? [], emails: try body.strings("emails") ?? [],
                    forgeLogins: try forgeLogins(body))
                let issued = try await handle.value.createIdentity(
                    identity, attestationKey: try body.string("attestation_key"), by: principal!)
                return .json(.object([("identity", json(issued.record)), ("token", .string(issued.token))]), status: .created)
            },
            RouteSpec(method: .get, path: "/api/v1/identities", access: .permission(.read)) { request, _, principal in
                let page = try Page(request)
                let records = try await handle.value.identities(after: page.after, limit: page.limit, by: principal!)
                let next = records.count == page.limit ? records.last.map { JSONValue.int($0.id) } ?? .null : .null
                return .json(.object([("items", .array(records.map(json))), ("next_after", next)]))
            },
            RouteSpec(method: .delete, path: "/api/v1/identities/:name", access: .permission(.manageIdentities)) { _, context, principal in
                let name = try context.parameters.require("name")
                return .json(json(try await handle.value.revokeIdentity(named: name, by: principal!)))
            },
        ]
    }
}
