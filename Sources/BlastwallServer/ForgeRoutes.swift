import BlastwallControlPlane
import BlastwallCore
import BlastwallForges
import Hummingbird

/// `/api/v1/forges/{forge}/webhook`: deliveries from GitHub, GitLab and Gitea/Forgejo, authenticated by their
/// signature (not a token) before anything in them is read, stored once, and answered at once.
enum ForgeRoutes {
    static func routes(_ handle: ControlPlaneHandle, options: ServerOptions, metrics: ServerMetrics) -> [RouteSpec] {
        [
            RouteSpec(method: .post, path: "/api/v1/forges/:forge/webhook", access: .open) { request, context, _ in
                let name = try context.parameters.require("forge")
                guard let kind = ForgeKind(rawValue: name) else {
                    throw Problem(
                        .notFound, "no forge '\(name)'; the forges are \(ForgeKind.allCases.map(\.rawValue).joined(separator: ", "))",
                        field: "forge")
                }
                guard let forge = options.forges[kind]?.webhooks else {
                    throw Problem(.notFound, WebhookRefusal.notConfigured(kind).description)
                }
                // Pull requests' payloads are large: 16 times the usual body size.
                let buffer = try await JSONBody.bytes(of: request, limit: options.bodyLimit * 16)
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName] = field.value }
                let delivery = WebhookDelivery(headers: headers, body: Array(buffer.readableBytesView))
                do throws(WebhookRefusal) {
                    try forge.authenticate(delivery)
                } catch {
                    metrics.count("blastwall_forge_deliveries_total", [("forge", kind.rawValue), ("outcome", "refused")])
                    throw Problem(.unauthorized, error.description)
                }
                let event: ForgeEvent
                do throws(WebhookRefusal) {
                    event = try forge.event(of: delivery)
                } catch {
                    throw Problem(.badRequest, error.description, field: "body")
                }
                let receipt = try await handle.value.receiveDelivery(delivery, event: event, from: forge)
                let (status, outcome, detail): (HTTPResponse.Status, String, String) =
                    switch receipt {
                    case .queued: (.accepted, "queued", "stored; it will be applied")
                    case .duplicate: (.ok, "duplicate", "this delivery was received before; nothing changes")
                    case .ignored(let event): (.accepted, "ignored", "the event '\(event)' is not used")
                    }
                metrics.count("blastwall_forge_deliveries_total", [("forge", kind.rawValue), ("outcome", outcome)])
                return .json(.object([("outcome", .string(outcome)), ("detail", .string(detail))]), status: status)
            }
        ]
    }
}
