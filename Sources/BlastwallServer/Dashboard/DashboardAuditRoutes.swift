import BlastwallControlPlane
import BlastwallCore
import BlastwallDashboard
import BlastwallStorage
import CEL
import Hummingbird

/// The audit log: search, and verification of the whole chain on request (it reads every event).
enum DashboardAuditRoutes {
    static let pageSize = 100

    static func add(to router: Router<BlastwallRequestContext>, _ context: DashboardRoutes.Context) {
        router.get("/ui/audit") { request, _ in
            try await DashboardRoutes.page(request, context, section: .audit) { session, _ in
                func value(_ name: String) -> String? { DashboardHTTP.query(name, in: request) }
                let query = AuditPage.Query(
                    actor: value("actor"), action: value("action"), subject: value("subject"), since: value("since"),
                    until: value("until"))
                for (name, time) in [("since", query.since), ("until", query.until)] {
                    if let time, Timestamp(rfc3339: time) == nil {
                        throw Problem(.badRequest, "\(name) must be a time like 2026-12-01T09:00:00Z, not '\(time)'", field: name)
                    }
                }
                let before = value("before").flatMap(Int64.init)
                let controlPlane = context.handle.value
                let events = try await controlPlane.searchAudit(
                    AuditLog.Filter(
                        actor: query.actor, action: query.action, subject: query.subject, since: query.since, until: query.until),
                    before: before, limit: pageSize, by: session.principal)
                let verification =
                    value("verify") == nil
                    ? nil : try await controlPlane.verifyAudit(key: context.options.checkpointKey?.verificationKey, by: session.principal)
                var next: String?
                if events.count == pageSize, let last = events.last {
                    next = DashboardHTTP.link("/ui/audit", [("before", "\(last.sequence)")] + query.pairs)
                }
                let page = AuditPage(events: events, query: query, verification: verification, next: next)
                return DashboardHTTP.html(
                    context.renderer.page("audit", title: "Audit log", view: page.view, chrome: DashboardRoutes.chrome(session, .audit)))
            }
        }
    }
}
