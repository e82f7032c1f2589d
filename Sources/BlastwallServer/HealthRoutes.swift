import BlastwallControlPlane
import BlastwallCore
import Hummingbird

/// Liveness, readiness, metrics and the API description: open to everyone.
enum HealthRoutes {
    static func routes(_ handle: ControlPlaneHandle, controller: RolloutController, metrics: ServerMetrics) -> [RouteSpec] {
        [
            RouteSpec(method: .get, path: "/healthz", access: .open) { _, _, _ in
                .json(.object([("status", .string("ok"))]))
            },
            RouteSpec(method: .get, path: "/readyz", access: .open) { _, _, _ in
                do {
                    _ = try await handle.value.database.query("SELECT 1 AS ok")
                    return .json(.object([("status", .string("ready"))]))
                } catch {
                    throw Problem(.serviceUnavailable, "the database does not answer: \(error)")
                }
            },
            RouteSpec(method: .get, path: "/metrics", access: .open) { _, _, _ in
                // Every state change appends an audit event, so the chain's head counts all appends, from
                // this server and any other on the same database.
                if let head = try? await handle.value.auditHeadSequence() {
                    metrics.set("blastwall_audit_events", to: head)
                }
                // 1 on the server that runs rollouts: always with SQLite, the elected one on shared PostgreSQL.
                metrics.set("blastwall_rollout_leader", to: controller.isLeading ? 1 : 0)
                var headers = HTTPFields()
                headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
            },
            RouteSpec(method: .get, path: "/api/v1/openapi.json", access: .open) { _, _, _ in
                var headers = HTTPFields()
                headers[.contentType] = "application/json"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
            },
        ]
    }
}
