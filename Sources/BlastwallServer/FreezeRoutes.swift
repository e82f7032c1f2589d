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

    /// A whole number of approvals from `lowest` to `maximumApprovals`, or a 400 naming `field`.
    static func approvalCount(_ value: JSONValue, from lowest: Int, field: String) throws -> Int {
        guard let count = value.intValue, (lowest...maximumApprovals).contains(count) else {
            throw Problem(.badRequest, "\(field) must be a whole number from \(lowest) to \(maximumApprovals)", field: field)
        }
        return count
    }

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
                        approvals = try Self.approvalCount(count, from: 0, field: "override.approvals")
                    }
                    override = Requirements(approvals: approvals)
                    if case .object(let groups)? = value["groups"] {
                        for (group, count) in groups {
                            override.groups[group] = try Self.approvalCount(count, from: 1, field: "override.groups.\(group)")
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
                .json(json(try await handle.value.liftFreeze(id: try context.positiveID(of: "freeze"), by: principal!)))
            },
        ]
    }
}
