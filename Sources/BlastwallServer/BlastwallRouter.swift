import BlastwallControlPlane
import BlastwallCore
import Hummingbird

/// Builds the control plane's router: middleware, then every route of `routes(...)`.
public enum BlastwallRouter {
    public static func make(
        controlPlane: ControlPlane, controller: RolloutController, options: ServerOptions, signIns: SignInGuard = SignInGuard()
    ) -> Router<BlastwallRequestContext> {
        let metrics = ServerMetrics()
        let handle = ControlPlaneHandle(value: controlPlane)
        let router = Router(context: BlastwallRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: ProblemMiddleware())
        let specs = routes(handle, controller: controller, options: options, metrics: metrics)
        for spec in specs {
            let needsToken: Bool
            let permission: Permission?
            switch spec.access {
            case .open: (needsToken, permission) = (false, nil)
            case .permission(let required): (needsToken, permission) = (true, required)
            case .switchRead: (needsToken, permission) = (options.switchReadsNeedToken, options.switchReadsNeedToken ? .read : nil)
            }
            router.on(RouterPath(spec.path), method: spec.method) { request, context in
                var principal: Principal?
                if needsToken {
                    let client = context.clientAddress
                    if let retry = signIns.retryAfter(client: client) {
                        var response = Problem(
                            .tooManyRequests, "too many failed sign-ins from \(client); try again in \(Int(retry)) seconds"
                        ).response
                        response.headers[.retryAfter] = String(Int(retry))
                        return response
                    }
                    let authenticated: Principal
                    do {
                        authenticated = try RouteSpec.authenticate(request, handle)
                    } catch {
                        // A request without a token is not a sign-in attempt; a wrong or malformed one is.
                        if request.headers[.authorization] != nil {
                            signIns.recordFailure(
                                client: client, route: spec.path, reason: "\(error)", logger: context.logger, metrics: metrics)
                        }
                        throw error
                    }
                    if let permission { try handle.value.require(permission, of: authenticated) }
                    principal = authenticated
                }
                return try await spec.handler(request, context, principal)
            }
        }
        DashboardRoutes.add(
            to: router,
            DashboardRoutes.Context(handle: handle, controller: controller, options: options, signIns: signIns, metrics: metrics))
        // A known path with an undeclared method answers 405 with the allowed methods, not 404.
        var methodsByPath: [String: [HTTPRequest.Method]] = [:]
        for spec in specs { methodsByPath[spec.path, default: []].append(spec.method) }
        for (path, allowed) in methodsByPath {
            let allowHeader = allowed.map(\.rawValue).joined(separator: ", ")
            for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete, .options, .trace, Self.query]
            where !allowed.contains(method) {
                router.on(RouterPath(path), method: method) { _, _ -> Response in
                    var response = Problem(.methodNotAllowed, "\(path) allows \(allowHeader)").response
                    response.headers[.allow] = allowHeader
                    return response
                }
            }
        }
        return router
    }

    /// The safe-query method from the HTTP QUERY draft; clients and fuzzers probe it.
    private static let query = HTTPRequest.Method("QUERY")!

    /// Every route of the API. The routes × roles test enumerates this same list.
    public static func catalog(controlPlane: ControlPlane, controller: RolloutController, options: ServerOptions = ServerOptions())
        -> [RouteSpec]
    {
        routes(ControlPlaneHandle(value: controlPlane), controller: controller, options: options, metrics: ServerMetrics())
    }

    static func routes(_ handle: ControlPlaneHandle, controller: RolloutController, options: ServerOptions, metrics: ServerMetrics)
        -> [RouteSpec]
    {
        HealthRoutes.routes(handle, controller: controller, metrics: metrics) + IdentityRoutes.routes(handle, options: options)
            + SwitchRoutes.routes(handle, options: options, metrics: metrics)
            + AuditRoutes.routes(handle, options: options, metrics: metrics)
            + ChangeRoutes.routes(handle, options: options, metrics: metrics) + FreezeRoutes.routes(handle, options: options)
            + RolloutRoutes.routes(handle, controller: controller, options: options)
            + OperationRoutes.routes(handle, options: options, metrics: metrics)
            + ForgeRoutes.routes(handle, options: options, metrics: metrics)
            + IncidentRoutes.routes(handle, controller: controller, options: options)
            + DORARoutes.routes(handle)
    }
}
