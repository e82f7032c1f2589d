import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import Hummingbird

/// `/api/v1/switches`: the read of one switch is the hot path and answers from memory.
enum SwitchRoutes {
    static func json(_ killSwitch: KillSwitch) -> JSONValue {
        .object([
            ("name", .string(killSwitch.name)), ("enabled", .bool(killSwitch.enabled)),
            ("reason", killSwitch.reason.map(JSONValue.string) ?? .null),
            ("updated_by", .string(killSwitch.updatedBy)), ("updated_at", .string(killSwitch.updatedAt)),
        ])
    }

    static func routes(_ handle: ControlPlaneHandle, options: ServerOptions, metrics: ServerMetrics) -> [RouteSpec] {
        [
            RouteSpec(method: .get, path: "/api/v1/switches/:name", access: .switchRead) { _, context, _ in
                let name = try context.parameters.require("name")
                guard let killSwitch = handle.value.killSwitch(named: name) else {
                    throw Problem(.notFound, "no switch named '\(name)'")
                }
                return .json(json(killSwitch))
            },
            RouteSpec(method: .get, path: "/api/v1/switches", access: .permission(.read)) { _, _, _ in
                .json(.object([("items", .array(handle.value.allSwitches().map(json))), ("next_after", .null)]))
            },
            RouteSpec(method: .post, path: "/api/v1/switches", access: .permission(.createSwitch)) { request, _, principal in
                let body = try await JSONBody.read(request, limit: options.bodyLimit, allowed: ["name"])
                return .json(
                    json(try await handle.value.createSwitch(named: try body.requiredString("name"), by: principal!)), status: .created)
            },
            RouteSpec(method: .put, path: "/api/v1/switches/:name", access: .permission(.flipSwitch)) { request, context, principal in
                let body = try await JSONBody.read(request, limit: options.bodyLimit, allowed: ["enabled", "reason"])
                guard let enabled = try body.bool("enabled") else { throw Problem(.badRequest, "'enabled' is required", field: "enabled") }
                let updated = try await handle.value.flipSwitch(
                    named: try context.parameters.require("name"), enabled: enabled, reason: try body.requiredString("reason"),
                    by: principal!)
                metrics.count("blastwall_switch_flips_total", [("enabled", String(enabled))])
                return .json(json(updated))
            },
        ]
    }
}
