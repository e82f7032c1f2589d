import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import Hummingbird

/// `/api/v1/incidents`: Alertmanager's receiver, incidents declared by people and tools, and their suspects.
enum IncidentRoutes {
    static func json(_ incident: IncidentRecord) -> JSONValue {
        let top = incident.suspects["ranked"]?.arrayValue?.first ?? .null
        return .object([
            ("id", .int(incident.id)), ("title", .string(incident.title)), ("service", incident.service.map(JSONValue.string) ?? .null),
            ("severity", incident.severity.map(JSONValue.string) ?? .null), ("state", .string(incident.state)),
            ("source", .string(incident.source)), ("group_key", incident.groupKey.map(JSONValue.string) ?? .null),
            ("started_at", .string(incident.startedAt)), ("detected_at", .string(incident.detectedAt)),
            ("resolved_at", incident.resolvedAt.map(JSONValue.string) ?? .null),
            ("time_to_restore_seconds", ControlPlane.timeToRestore(incident).map(JSONValue.double) ?? .null),
            ("opened_by", .string(incident.openedBy)), ("top_suspect", top), ("alerts", incident.alerts),
            ("suspects", incident.suspects),
        ])
    }

    static func routes(_ handle: ControlPlaneHandle, options: ServerOptions) -> [RouteSpec] {
        [
            // Authenticated by Alertmanager's own bearer token (`serve --alertmanager-token-file`), not an identity's.
            RouteSpec(method: .post, path: "/api/v1/incidents/alertmanager", access: .open) { request, _, _ in
                guard let token = options.alertmanagerToken else {
                    throw Problem(
                        .notFound, "this server takes no Alertmanager notifications: start it with --alertmanager-token-file FILE")
                }
                let presented = request.headers[.authorization].map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : "" } ?? ""
                guard ConstantTime.equal(presented, token) else {
                    throw Problem(
                        .unauthorized, "the bearer token is not Alertmanager's: set http_config.authorization.credentials to the server's")
                }
                let body = try await JSONBody.bytes(of: request, limit: options.bodyLimit * 16)
                let notification: AlertmanagerNotification
                do throws(AlertmanagerNotification.Unreadable) {
                    notification = try AlertmanagerNotification.parse(String(buffer: body))
                } catch {
                    throw Problem(.badRequest, error.description, field: "body")
                }
                let view = try await handle.value.receiveAlerts(notification)
                return .json(
                    .object([
                        ("incident", view.map { .int($0.incident.id) } ?? .null), ("opened", .bool(view?.opened ?? false)),
                        ("state", view.map { .string($0.incident.state) } ?? .null),
                    ]))
            },
            RouteSpec(method: .post, path: "/api/v1/incidents", access: .permission(.manageIncidents)) { request, _, principal in
                let body = try await JSONBody.read(
                    request, limit: options.bodyLimit, allowed: ["title", "service", "severity", "started_at"])
                let view = try await handle.value.declareIncident(
                    service: try body.string("service"), title: try body.requiredString("title"), severity: try body.string("severity"),
                    startedAt: try body.string("started_at"), by: principal!)
                return .json(json(view.incident), status: .created)
            },
            RouteSpec(method: .get, path: "/api/v1/incidents", access: .permission(.read)) { request, _, principal in
                let page = try Page(request)
                let state = request.uri.queryParameters["state"].map(String.init)
                let incidents = try await handle.value.incidents(state: state, after: page.after, limit: page.limit, by: principal!)
                let next = incidents.count == page.limit ? incidents.last.map { JSONValue.int($0.id) } ?? .null : .null
                return .json(.object([("items", .array(incidents.map(json))), ("next_after", next)]))
            },
            RouteSpec(method: .get, path: "/api/v1/incidents/:id", access: .permission(.read)) { _, context, principal in
                .json(json(try await handle.value.incident(id: try context.positiveID(of: "incident"), by: principal!)))
            },
            RouteSpec(method: .post, path: "/api/v1/incidents/:id/suspects", access: .permission(.read)) { _, context, principal in
                .json(json(try await handle.value.rerankSuspects(of: try context.positiveID(of: "incident"), by: principal!)))
            },
            RouteSpec(method: .post, path: "/api/v1/incidents/:id/resolve", access: .permission(.manageIncidents)) {
                _, context, principal in
                .json(json(try await handle.value.resolveIncident(id: try context.positiveID(of: "incident"), by: principal!)))
            },
        ]
    }
}
