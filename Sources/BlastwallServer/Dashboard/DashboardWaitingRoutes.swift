import BlastwallControlPlane
import BlastwallCore
import BlastwallDashboard
import CEL
import Hummingbird

/// Approvals waiting: changes and agents' operation requests, and the form that decides an operation request.
enum DashboardWaitingRoutes {
    static func add(to router: Router<BlastwallRequestContext>, _ context: DashboardRoutes.Context) {
        router.get("/ui/approvals") { request, _ in
            try await DashboardRoutes.page(request, context, section: .approvals) { session, _ in
                let controlPlane = context.handle.value
                let changes = try await controlPlane.changesWaiting(limit: 100, by: session.principal)
                let operations = try await controlPlane.operationsWaiting(limit: 100, by: session.principal)
                let page = WaitingPage(changes: changes, operations: operations, csrf: session.csrf, now: DashboardRoutes.now(context))
                let notice = request.uri.queryParameters["done"].flatMap { done in
                    ["approval", "rejection"].contains(String(done)) ? "Your \(done) is recorded." : nil
                }
                return DashboardHTTP.html(
                    context.renderer.page(
                        "waiting", title: "Waiting for approval", view: page.view, chrome: DashboardRoutes.chrome(session, .approvals),
                        notice: notice))
            }
        }
        router.post("/ui/operations/:id/reviews") { request, requestContext in
            try await DashboardRoutes.page(request, context, section: .approvals) { session, form in
                let id = try requestContext.positiveID(of: "operation request")
                let verdict = try DashboardRoutes.verdict(form)
                _ = try await context.handle.value.reviewOperation(
                    id: id, verdict: verdict, comment: DashboardRoutes.text(form["comment"]), by: session.principal)
                return DashboardHTTP.redirect("/ui/approvals?done=\(verdict == .approve ? "approval" : "rejection")")
            }
        }
    }
}
