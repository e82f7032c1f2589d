import BlastwallAudit
import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import Hummingbird

/// `/api/v1/audit`: append, list, search, verify. There is no route that edits or deletes an event.
enum AuditRoutes {
    static func routes(_ handle: ControlPlaneHandle, options: ServerOptions, metrics: ServerMetrics) -> [RouteSpec] {
        [
            RouteSpec(method: .post, path: "/api/v1/audit/events", access: .permission(.submitChange)) { request, _, principal in
                let body = try await JSONBody.read(request, limit: options.bodyLimit, allowed: ["action", "subject", "payload"])
                let action = try body.requiredString("action")
                guard action.hasPrefix("custom.") else {
                    throw Problem(
                        .badRequest, "appended actions must start with 'custom.'; the server records its own actions", field: "action")
                }
                let event = try await handle.value.appendAuditEvent(
                    action: action, subject: try body.requiredString("subject"), payload: body.value("payload") ?? .object([]),
                    by: principal!)
                return .json(event.json, status: .created)
            },
            RouteSpec(method: .get, path: "/api/v1/audit/events", access: .permission(.read)) { request, _, principal in
                let page = try Page(request, defaultLimit: 100)
                let events = try await handle.value.auditEvents(after: page.after, limit: page.limit, by: principal!)
                let next = events.count == page.limit ? events.last.map { JSONValue.int($0.sequence) } ?? .null : .null
                return .json(.object([("items", .array(events.map(\.json))), ("next_after", next)]))
            },
            RouteSpec(method: .get, path: "/api/v1/audit/search", access: .permission(.read)) { request, _, principal in
                let query = request.uri.queryParameters
                let page = try Page(request, defaultLimit: 100)
                let before = try query["before"].map { text -> Int64 in
                    guard let value = Int64(String(text)), value > 0 else {
                        throw Problem(
                            .badRequest, "before must be a positive whole number (the last sequence of the previous page)", field: "before")
                    }
                    return value
                }
                let filter = AuditLog.Filter(
                    actor: query["actor"].map(String.init), action: query["action"].map(String.init),
                    subject: query["subject"].map(String.init),
                    service: query["service"].map(String.init), provenance: query["provenance"].map(String.init),
                    since: query["since"].map(String.init), until: query["until"].map(String.init))
                let events = try await handle.value.searchAudit(filter, before: before, limit: page.limit, by: principal!)
                let next = events.count == page.limit ? events.last.map { JSONValue.int($0.sequence) } ?? .null : .null
                return .json(.object([("items", .array(events.map(\.json))), ("next_before", next)]))
            },
            RouteSpec(method: .get, path: "/api/v1/audit/checkpoints", access: .permission(.read)) { _, _, principal in
                let checkpoints = try await handle.value.auditCheckpoints(by: principal!)
                return .json(.object([("items", .array(checkpoints.map(\.json)))]))
            },
            RouteSpec(method: .get, path: "/api/v1/audit/verify", access: .permission(.read)) { _, _, principal in
                // Signatures are checked with the server's own checkpoint key: a checkpoint it did not sign fails.
                let key = options.checkpointKey?.verificationKey
                let result = try await handle.value.verifyAudit(key: key, by: principal!)
                return .json(
                    .object([
                        ("intact", .bool(result.isIntact)), ("events", .int(result.events)),
                        ("checkpoints", .int(Int64(result.checkpoints))), ("signatures_checked", .bool(key != nil)),
                        ("last_hash", .string(result.lastHash)), ("problem", result.problem.map(JSONValue.string) ?? .null),
                    ]))
            },
        ]
    }
}
