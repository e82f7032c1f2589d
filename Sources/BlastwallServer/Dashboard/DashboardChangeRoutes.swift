import BlastwallControlPlane
import BlastwallCore
import BlastwallDashboard
import BlastwallStorage
import CEL
import Hummingbird

/// The changes pages: the list with its filters, one change, and its review form.
enum DashboardChangeRoutes {
    static let pageSize = 50

    static func add(to router: Router<BlastwallRequestContext>, _ context: DashboardRoutes.Context) {
        router.get("/ui/changes") { request, _ in
            try await DashboardRoutes.page(request, context, section: .changes) { session, _ in
                func value(_ name: String) -> String? { DashboardHTTP.query(name, in: request) }
                let filters = ChangesPage.Filters(
                    service: value("service"), provenance: value("provenance"), state: value("state"), query: value("q"))
                let before = value("before").flatMap(Int64.init) ?? 0
                var changes = try await context.handle.value.changes(
                    ChangeStore.Filter(service: filters.service, provenance: filters.provenance, state: filters.state), after: before,
                    limit: pageSize, newestFirst: true, by: session.principal)
                if let text = filters.query?.lowercased() {
                    changes = changes.filter { $0.repository.lowercased().contains(text) || $0.branch.lowercased().contains(text) }
                }
                var next: String?
                if changes.count == pageSize, let last = changes.last {
                    var items = [("before", "\(last.id)")]
                    for (name, value) in [
                        ("service", filters.service), ("provenance", filters.provenance), ("state", filters.state), ("q", filters.query),
                    ] {
                        if let value { items.append((name, value)) }
                    }
                    next = DashboardHTTP.link("/ui/changes", items)
                }
                let page = ChangesPage(changes: changes, filters: filters, next: next, now: DashboardRoutes.now(context))
                return DashboardHTTP.html(
                    context.renderer.page("changes", title: "Changes", view: page.view, chrome: DashboardRoutes.chrome(session, .changes)))
            }
        }
        router.get("/ui/changes/:id") { request, requestContext in
            try await DashboardRoutes.page(request, context, section: .changes) { session, _ in
                let id = try requestContext.positiveID(of: "change")
                let view = try await context.handle.value.change(id: id, by: session.principal)
                let refusal = context.handle.value.reviewRefusal(of: view.change, by: session.principal)
                let notice = request.uri.queryParameters["done"].flatMap { done in
                    ["approval", "rejection", "override"].contains(String(done)) ? "Your \(done) of change #\(id) is recorded." : nil
                }
                let trail = try await context.handle.value.searchAudit(
                    AuditLog.Filter(subject: "change/\(id)", exactSubject: true), before: nil, limit: 100, by: session.principal)
                let rollouts = try await context.handle.value.rollouts(shipping: id, by: session.principal)
                let incidents = try await context.handle.value.incidents(implicating: id, by: session.principal)
                let page = ChangePage(
                    change: view, refusal: refusal, csrf: session.csrf, trail: trail, rollouts: rollouts, incidents: incidents)
                return DashboardHTTP.html(
                    context.renderer.page(
                        "change", title: "Change #\(id)", view: page.view,
                        chrome: DashboardRoutes.chrome(session, .changes), notice: notice))
            }
        }
        router.post("/ui/changes/:id/reviews") { request, requestContext in
            try await DashboardRoutes.page(request, context, section: .changes) { session, form in
                let id = try requestContext.positiveID(of: "change")
                let verdict: Review.Verdict
                let isOverride: Bool
                switch form["verdict"] {
                case "approve": (verdict, isOverride) = (.approve, false)
                case "override": (verdict, isOverride) = (.approve, true)
                case "reject": (verdict, isOverride) = (.reject, false)
                default: throw Problem(.unprocessableContent, "the form must say approve, reject or override", field: "verdict")
                }
                // The head the person looked at: a change resubmitted since is not approved blind.
                let current = try await context.handle.value.change(id: id, by: session.principal)
                if let head = form["head"], head != current.change.head {
                    throw Problem(
                        .conflict, "change #\(id) moved to \(current.change.head.prefix(12)) since you opened it; review the new head")
                }
                let comment = DashboardRoutes.text(form["comment"])
                _ = try await context.handle.value.review(
                    changeID: id, verdict: verdict, comment: comment, isOverride: isOverride, by: session.principal)
                let done = isOverride ? "override" : verdict == .approve ? "approval" : "rejection"
                return DashboardHTTP.redirect("/ui/changes/\(id)?done=\(done)")
            }
        }
    }
}
