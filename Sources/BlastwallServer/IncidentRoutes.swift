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
            ("opened_by", .string(incident.openedBy)), ("confirmed_cause", incident.confirmedCause.map(JSONValue.string) ?? .null),
            ("top_suspect", top), ("alerts", incident.alerts),
            ("suspects", incident.suspects),
        ])
    }

    static func routes(_ handle: ControlPlaneHandle, controller: RolloutController, options: ServerOptions) -> [RouteSpec] {
        let rollback = IncidentRollback(controlPlane: handle.value, controller: controller)
        return [
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
                // `incidents.auto_rollback`: a running rollout or a flag that scores high enough goes back at once.
                let automatic = view?.opened == true ? await rollback.automatically(view!.incident) : nil
                return .json(
                    .object([
                        ("incident", view.map { .int($0.incident.id) } ?? .null), ("opened", .bool(view?.opened ?? false)),
                        ("state", view.map { .string($0.incident.state) } ?? .null),
                        ("rolled_back", automatic.map { .string($0.action) } ?? .null),
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
            timelineRoute(handle),
            RouteSpec(method: .post, path: "/api/v1/incidents/:id/suspects", access: .permission(.read)) { _, context, principal in
                .json(json(try await handle.value.rerankSuspects(of: try context.positiveID(of: "incident"), by: principal!)))
            },
            // The action itself checks its own permission (rollout, flip-switch); `?suspect=N`, so that a follower
            // can forward it to the rollout leader as it is.
            RouteSpec(method: .post, path: "/api/v1/incidents/:id/rollback", access: .permission(.rollout)) { request, context, principal in
                try await LeaderForwarding.orForward(request) {
                    let text = request.uri.queryParameters["suspect"].map(String.init) ?? "1"
                    guard let rank = Int(text), rank >= 1 else {
                        throw Problem(.badRequest, "suspect must be the suspect's rank, 1 for the top one, not '\(text)'", field: "suspect")
                    }
                    let outcome = try await rollback.rollback(incident: try context.positiveID(of: "incident"), rank: rank, by: principal!)
                    return .json(
                        .object([
                            ("incident", .int(outcome.incident.id)), ("suspect", outcome.suspect), ("action", .string(outcome.action)),
                        ]))
                }
            },
            RouteSpec(method: .post, path: "/api/v1/incidents/:id/confirm", access: .permission(.manageIncidents)) {
                request, context, principal in
                let body = try await JSONBody.read(request, limit: options.bodyLimit, allowed: ["cause"])
                let incident = try await handle.value.confirmCause(
                    of: try context.positiveID(of: "incident"), cause: try body.requiredString("cause"), by: principal!)
                return .json(json(incident))
            },
            RouteSpec(method: .post, path: "/api/v1/incidents/:id/resolve", access: .permission(.manageIncidents)) {
                _, context, principal in
                .json(json(try await handle.value.resolveIncident(id: try context.positiveID(of: "incident"), by: principal!)))
            },
        ]
    }
}

extension IncidentRoutes {
    /// `GET /api/v1/incidents/:id/timeline`: what a post-incident record is written from.
    static func timelineRoute(_ handle: ControlPlaneHandle) -> RouteSpec {
        RouteSpec(method: .get, path: "/api/v1/incidents/:id/timeline", access: .permission(.read)) { _, context, principal in
            let timeline = try await handle.value.timeline(of: try context.positiveID(of: "incident"), by: principal!)
            let change: JSONValue =
                timeline.change.map { change in
                    .object([
                        ("id", .int(change.id)), ("repository", .string(change.repository)), ("branch", .string(change.branch)),
                        ("head", .string(change.head)), ("submitted_by", .string(change.submittedBy)),
                        ("provenance", change.report["provenance"] ?? .string(change.provenance)),
                        ("risk", change.report["risk"] ?? .null), ("state", .string(change.state)),
                    ])
                } ?? .null
            return .json(
                .object([("incident", json(timeline.incident)), ("change", change), ("events", .array(timeline.events.map(\.json)))]))
        }
    }
}
