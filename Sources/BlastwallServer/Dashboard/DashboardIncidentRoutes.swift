import BlastwallControlPlane
import BlastwallCore
import BlastwallDashboard
import Hummingbird

/// The incidents pages: open and recent incidents, one incident with its suspects and their rollback, and DORA.
enum DashboardIncidentRoutes {
    static func add(to router: Router<BlastwallRequestContext>, _ context: DashboardRoutes.Context) {
        router.get("/ui/incidents") { request, _ in
            try await DashboardRoutes.page(request, context, section: .incidents) { session, _ in
                let controlPlane = context.handle.value
                let open = try await controlPlane.incidents(
                    state: "open", after: 0, limit: 100, newestFirst: true, topSuspectOnly: true, by: session.principal)
                let recent = try await controlPlane.incidents(
                    state: nil, after: 0, limit: 50, newestFirst: true, topSuspectOnly: true, by: session.principal)
                let page = IncidentsPage(open: open, recent: recent, now: DashboardRoutes.now(context))
                return DashboardHTTP.html(
                    context.renderer.page(
                        "incidents", title: "Incidents", view: page.view, chrome: DashboardRoutes.chrome(session, .incidents)))
            }
        }
        router.get("/ui/incidents/:id") { request, requestContext in
            try await DashboardRoutes.page(request, context, section: .incidents) { session, _ in
                let id = try requestContext.positiveID(of: "incident")
                let incident = try await context.handle.value.incident(id: id, by: session.principal)
                let page = IncidentPage(incident: incident, csrf: session.csrf, mayRollBack: session.principal.allows(.rollout))
                let notice = request.uri.queryParameters["done"].map { _ in "The rollback is done and recorded in the audit log." }
                return DashboardHTTP.html(
                    context.renderer.page(
                        "incident", title: "Incident #\(id)", view: page.view, chrome: DashboardRoutes.chrome(session, .incidents),
                        notice: notice))
            }
        }
        router.post("/ui/incidents/:id/rollback") { request, requestContext in
            try await DashboardRoutes.page(request, context, section: .incidents) { session, form in
                let id = try requestContext.positiveID(of: "incident")
                guard let rank = Int(form["suspect"] ?? "1"), rank >= 1 else {
                    throw Problem(.badRequest, "the suspect is its rank, a whole number from 1", field: "suspect")
                }
                try context.handle.value.require(.rollout, of: session.principal)
                _ = try await IncidentRollback(controlPlane: context.handle.value, controller: context.controller).rollback(
                    incident: id, rank: rank, by: session.principal)
                return DashboardHTTP.redirect("/ui/incidents/\(id)?done=rollback")
            }
        }
        router.get("/ui/dora") { request, _ in
            try await DashboardRoutes.page(request, context, section: .dora) { session, _ in
                let days = request.uri.queryParameters["days"].flatMap { Int(String($0)) } ?? 90
                guard DORAPage.windows.contains(days) else {
                    throw Problem(
                        .badRequest, "days must be one of \(DORAPage.windows.map(String.init).joined(separator: ", "))", field: "days")
                }
                let controlPlane = context.handle.value
                let views = try await controlPlane.dora(
                    days: Double(days), service: nil, tier: nil, splits: [.provenance, .tier], actor: session.principal)
                let page = DORAPage(byProvenance: views[0], byTier: views[1], days: days)
                return DashboardHTTP.html(
                    context.renderer.page("dora", title: "DORA", view: page.view, chrome: DashboardRoutes.chrome(session, .dora)))
            }
        }
    }
}
