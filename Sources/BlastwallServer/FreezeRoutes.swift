import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import Hummingbird

/// `/api/v1/freezes`: runtime freezes, each with an end.
enum FreezeRoutes {
    static func json(_ freeze: FreezeRecord) -> JSONValue {
        .object([
            ("id", .int(freeze.id)), ("name", .string(freeze.name)), ("from", freeze.from.map(JSONValue.string) ?? .null),
            ("until", .string(freeze.until)), ("reason", .string(freeze.reason)),
            ("services", .array(freeze.services.map(JSONValue.string))),
            ("when", freeze.condition.map(JSONValue.string) ?? .null), ("override", freeze.override),
            ("created_by", .string(freeze.createdBy)),
            ("created_at", .string(freeze.createdAt)), ("lifted_at", freeze.liftedAt.map(JSONValue.string) ?? .null),
        ])
    }

    /// No review needs more approvers than this; larger numbers are typos that would freeze changes for good.
    static let maximumApprovals = 100

    static func routes(_ handle: ControlPlaneHandle, options: ServerOptions) -> [RouteSpec] {
        [
            RouteSpec(method: .post, path: "/api/v1/freezes", access: .permission(.manageFreezes)) { request, _, principal in
                let body = try await JSONBody.read(
                    request, limit: options.bodyLimit, allowed: ["name", "from", "until", "reason", "services", "when", "override"])
                var override = Requirements(approvals: 2)
                if let value = body.value("override"), value != .null {
                    guard case .object(let members) = value else {
                        throw Problem(.badRequest, "'override' must be an object", field: "override")
                    }
                    for (key, _) in members where !["approvals", "groups"].contains(key) {
                        throw Problem(.badRequest, "unknown field '\(key)' in override; known: approvals, groups", field: "override.\(key)")
                    }
                    var approvals = 0
                    if let count = value["approvals"], count != .null {
                        guard let whole = count.intValue, (0...Self.maximumApprovals).contains(whole) else {
                            throw Problem(
                                .badRequest, "approvals is a whole number from 0 to \(Self.maximumApprovals)", field: "override.approvals")
                        }
                        approvals = whole
                    }
                    override = Requirements(approvals: approvals)
                    if case .object(let groups)? = value["groups"] {
                        for (group, count) in groups {
                            guard let count = count.intValue, (1...Self.maximumApprovals).contains(count) else {
                                throw Problem(
                                    .badRequest, "group counts are whole numbers from 1 to \(Self.maximumApprovals)",
                                    field: "override.groups.\(group)")
                            }
                            override.groups[group] = count
                        }
                    }
                }
                let request = ControlPlane.FreezeRequest(
                    name: try body.requiredString("name"), from: try body.string("from"), until: try body.requiredString("until"),
                    reason: try body.requiredString("reason"), services: try body.strings("services") ?? [],
                    condition: try body.string("when"),
                    override: override)
                return .json(json(try await handle.value.createFreeze(request, by: principal!)), status: .created)
            },
            RouteSpec(method: .get, path: "/api/v1/freezes", access: .permission(.read)) { _, _, principal in
                .json(.object([("items", .array(try handle.value.currentFreezes(by: principal!).map(json))), ("next_after", .null)]))
            },
            RouteSpec(method: .delete, path: "/api/v1/freezes/:id", access: .permission(.manageFreezes)) { _, context, principal in
                let text = try context.parameters.require("id")
                guard let id = Int64(text), id > 0 else { throw Problem(.badRequest, "freeze ids are positive whole numbers", field: "id") }
                return .json(json(try await handle.value.liftFreeze(id: id, by: principal!)))
            },
        ]
    }
}
