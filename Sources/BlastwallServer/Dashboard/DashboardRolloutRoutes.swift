import BlastwallControlPlane
import BlastwallCore
import BlastwallDashboard
import Foundation
import Hummingbird

/// The rollouts pages: active and recent rollouts, one rollout live with its analysis, and its commands.
enum DashboardRolloutRoutes {
    /// Ticks drawn on a rollout's charts: at a tick every 10 s, the last 50 minutes.
    static let chartTicks = 300

    static func add(to router: Router<BlastwallRequestContext>, _ context: DashboardRoutes.Context) {
        router.get("/ui/rollouts") { request, _ in
            try await DashboardRoutes.page(request, context, section: .rollouts) { session, _ in
                let controlPlane = context.handle.value
                let active = try await controlPlane.activeRollouts(by: session.principal)
                let recent = try await controlPlane.rollouts(service: nil, limit: 50, by: session.principal)
                let activeIDs = Set(active.map(\.id))
                let page = RolloutsPage(
                    rollouts: active.reversed() + recent.filter { !activeIDs.contains($0.id) }, now: Date().timeIntervalSince1970)
                return DashboardHTTP.html(
                    context.renderer.page(
                        "rollouts", title: "Rollouts", view: page.view, chrome: DashboardRoutes.chrome(session, .rollouts)))
            }
        }
        router.get("/ui/rollouts/:id") { request, requestContext in
            try await DashboardRoutes.page(request, context, section: .rollouts) { session, _ in
                let id = try requestContext.positiveID(of: "rollout")
                let rollout = try await context.controller.current(rollout: id, by: session.principal)
                let ticks = try await context.handle.value.rolloutTicks(id: id, limit: chartTicks, by: session.principal)
                let page = RolloutPage(
                    rollout: rollout, ticks: ticks, now: Date().timeIntervalSince1970, csrf: session.csrf,
                    mayCommand: session.principal.allows(.rollout))
                let notice = request.uri.queryParameters["done"].flatMap { RolloutController.Command(rawValue: String($0)) }.map {
                    "Rollout #\(id): \($0.rawValue) sent."
                }
                return DashboardHTTP.html(
                    context.renderer.page(
                        "rollout", title: "Rollout #\(id)", view: page.view, chrome: DashboardRoutes.chrome(session, .rollouts),
                        notice: notice))
            }
        }
        for command in RolloutController.Command.allCases {
            router.post("/ui/rollouts/:id/\(command.rawValue)") { request, requestContext in
                try await DashboardRoutes.page(request, context, section: .rollouts) { session, _ in
                    let id = try requestContext.positiveID(of: "rollout")
                    _ = try await context.controller.command(command, rollout: id, by: session.principal)
                    return DashboardHTTP.redirect("/ui/rollouts/\(id)?done=\(command.rawValue)")
                }
            }
        }
    }
}
