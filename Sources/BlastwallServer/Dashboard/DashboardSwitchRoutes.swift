import BlastwallControlPlane
import BlastwallCore
import BlastwallDashboard
import Hummingbird

/// Freezes in force and kill switches: flip a switch with a reason, lift a freeze.
enum DashboardSwitchRoutes {
    static func add(to router: Router<BlastwallRequestContext>, _ context: DashboardRoutes.Context) {
        router.get("/ui/switches") { request, _ in
            try await DashboardRoutes.page(request, context, section: .switches) { session, _ in
                let controlPlane = context.handle.value
                let page = SwitchesPage(
                    freezes: try controlPlane.currentFreezes(by: session.principal),
                    configured: controlPlane.configuration.freezes, switches: controlPlane.allSwitches(),
                    csrf: session.csrf, mayFlip: session.principal.allows(.flipSwitch),
                    mayLift: session.principal.allows(.manageFreezes), now: DashboardRoutes.now(context))
                // The notice is made from what is stored, never from the link's text, so a crafted link cannot put
                // words on the page.
                var notice: String?
                if let name = DashboardHTTP.query("switch", in: request), let flipped = controlPlane.killSwitch(named: name) {
                    notice = "Done: switch \(flipped.name) is \(flipped.enabled ? "on" : "off")."
                } else if let lifted = DashboardHTTP.query("lifted", in: request).flatMap(Int64.init), lifted > 0 {
                    notice = "Done: freeze #\(lifted) is lifted."
                }
                return DashboardHTTP.html(
                    context.renderer.page(
                        "switches", title: "Freezes and switches", view: page.view, chrome: DashboardRoutes.chrome(session, .switches),
                        notice: notice))
            }
        }
        router.post("/ui/switches/:name") { request, requestContext in
            try await DashboardRoutes.page(request, context, section: .switches) { session, form in
                let name = try requestContext.parameters.require("name")
                let enabled: Bool
                switch form["enabled"] {
                case "on": enabled = true
                case "off": enabled = false
                default: throw Problem(.unprocessableContent, "the form must say on or off", field: "enabled")
                }
                let updated = try await context.handle.value.flipSwitch(
                    named: name, enabled: enabled, reason: form["reason"] ?? "", by: session.principal)
                return DashboardHTTP.redirect(DashboardHTTP.link("/ui/switches", [("switch", updated.name)]))
            }
        }
        router.post("/ui/freezes/:id/lift") { request, requestContext in
            try await DashboardRoutes.page(request, context, section: .switches) { session, _ in
                let lifted = try await context.handle.value.liftFreeze(
                    id: try requestContext.positiveID(of: "freeze"), by: session.principal)
                return DashboardHTTP.redirect(DashboardHTTP.link("/ui/switches", [("lifted", "\(lifted.id)")]))
            }
        }
    }
}
