import BlastwallControlPlane
import BlastwallCore
import BlastwallDashboard
import BlastwallStorage
import CEL
import Hummingbird

/// The dashboard under `/ui/`: server-rendered pages for people signed in with their token. Each page asks the
/// control plane exactly what the API would, as the signed-in identity, so permissions and rules are the same;
/// each form carries the session's CSRF token.
enum DashboardRoutes {
    struct Context: Sendable {
        let handle: ControlPlaneHandle
        let controller: RolloutController
        let options: ServerOptions
        let signIns: SignInGuard
        let metrics: ServerMetrics
        let renderer = DashboardRenderer()
    }

    static func add(to router: Router<BlastwallRequestContext>, _ context: Context) {
        router.get("/ui") { _, _ in DashboardHTTP.redirect("/ui/changes") }
        router.get("/ui/assets/:file") { _, request in
            guard let name = request.parameters.get("file"), let asset = DashboardAssets.files[name] else {
                return DashboardHTTP.html(
                    context.renderer.problem(heading: "Not found", message: "no such asset", chrome: nil), status: .notFound)
            }
            var headers = DashboardHTTP.headers(contentType: asset.contentType)
            headers[.cacheControl] = "public, max-age=300"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: asset.text)))
        }
        router.get("/ui/sign-in") { request, _ in signInForm(context, next: request.uri.queryParameters["next"].map(String.init)) }
        router.post("/ui/sign-in") { request, requestContext in try await signIn(request, requestContext, context) }
        router.post("/ui/sign-out") { request, _ in
            try await page(request, context, section: nil) { _, _ in
                try await context.handle.value.signOut(cookie: DashboardHTTP.cookie(DashboardHTTP.sessionCookie, in: request) ?? "")
                return DashboardHTTP.redirect(
                    "/ui/sign-in",
                    cookies: [DashboardHTTP.setCookie(DashboardHTTP.sessionCookie, "", maxAge: 0, secure: context.options.secureCookies)])
            }
        }
        DashboardChangeRoutes.add(to: router, context)
        DashboardRolloutRoutes.add(to: router, context)
        DashboardWaitingRoutes.add(to: router, context)
        DashboardIncidentRoutes.add(to: router, context)
        DashboardSwitchRoutes.add(to: router, context)
        DashboardAuditRoutes.add(to: router, context)
        // Any other page: a page that says so, with the way back, rather than a bare 404.
        router.get("/ui/**") { request, _ in
            try await page(request, context, section: nil) { _, _ in
                throw Problem(.notFound, "there is no page \(request.uri.path); the sections are in the header")
            }
        }
    }

    /// The sign-in form, with a fresh CSRF token held in a short-lived cookie until the form comes back.
    static func signInForm(_ context: Context, next: String?, error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let token = Tokens.issue()
        let html = context.renderer.page(
            "sign-in", title: "Sign in", view: ["csrf": token, "next": DashboardHTTP.safeNext(next), "error": error ?? ""], chrome: nil)
        return DashboardHTTP.html(
            html, status: status,
            cookies: [DashboardHTTP.setCookie(DashboardHTTP.signInCookie, token, maxAge: 600, secure: context.options.secureCookies)])
    }

    static func signIn(_ request: Request, _ requestContext: BlastwallRequestContext, _ context: Context) async throws -> Response {
        let client = requestContext.clientAddress
        if let retry = context.signIns.retryAfter(client: client) {
            return signInForm(
                context, next: nil, error: "Too many failed sign-ins from \(client); try again in \(Int(retry)) seconds.",
                status: .tooManyRequests)
        }
        let form = try await DashboardHTTP.form(request, limit: 16_384)
        let expected = DashboardHTTP.cookie(DashboardHTTP.signInCookie, in: request) ?? ""
        guard !expected.isEmpty, ConstantTime.equal(form["csrf"] ?? "", expected) else {
            return signInForm(
                context, next: form["next"], error: "The sign-in form had expired or did not come from this page; sign in again.",
                status: .forbidden)
        }
        let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let signedIn: (cookie: String, session: ControlPlane.DashboardSession)?
        do {
            signedIn = try await context.handle.value.signIn(token: token, lifetime: context.options.dashboardSessions)
        } catch {
            if case .unauthenticated = error { signedIn = nil } else { throw error }
        }
        guard let (cookie, session) = signedIn else {
            context.signIns.recordFailure(
                client: client, route: "/ui/sign-in", reason: "a token that is not valid", logger: requestContext.logger,
                metrics: context.metrics)
            return signInForm(
                context, next: form["next"], error: "That token is not valid; ask an admin for a new one.", status: .unauthorized)
        }
        requestContext.logger.info("dashboard sign-in", metadata: ["identity": "\(session.principal.name)"])
        return DashboardHTTP.redirect(
            DashboardHTTP.safeNext(form["next"]),
            cookies: [
                DashboardHTTP.setCookie(
                    DashboardHTTP.sessionCookie, cookie, maxAge: Int(context.options.dashboardSessions.absolute),
                    secure: context.options.secureCookies),
                DashboardHTTP.setCookie(DashboardHTTP.signInCookie, "", maxAge: 0, secure: context.options.secureCookies),
            ])
    }

    /// Runs a page for the signed-in session, or sends the browser to sign in. A POST must carry the
    /// session's CSRF token. Errors become pages saying what went wrong, with the API's status.
    static func page(
        _ request: Request, _ context: Context, section: DashboardChrome.Section?,
        _ body: (ControlPlane.DashboardSession, [String: String]) async throws -> Response
    ) async throws -> Response {
        let cookie = DashboardHTTP.cookie(DashboardHTTP.sessionCookie, in: request)
        guard let cookie, let session = try await context.handle.value.session(cookie: cookie, lifetime: context.options.dashboardSessions)
        else {
            if request.method == .get {
                return DashboardHTTP.redirect(
                    "/ui/sign-in?next=" + (request.uri.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? ""))
            }
            return DashboardHTTP.html(
                context.renderer.problem(
                    heading: "Not signed in", message: "Your session has ended or was never started; sign in again.", back: "/ui/sign-in",
                    backLabel: "Sign in", chrome: nil), status: .unauthorized)
        }
        let chrome = chrome(session, section)
        var form: [String: String] = [:]
        if request.method == .post {
            form = try await DashboardHTTP.form(request, limit: context.options.bodyLimit)
            guard ConstantTime.equal(form["csrf"] ?? "", session.csrf) else {
                return DashboardHTTP.html(
                    context.renderer.problem(
                        heading: "Refused", message: "The form did not carry this session's CSRF token; reload the page and try again.",
                        chrome: chrome), status: .forbidden)
            }
        }
        do {
            return try await body(session, form)
        } catch {
            let problem = Problem.from(error)
            return DashboardHTTP.html(
                context.renderer.problem(heading: problem.status.reasonPhrase, message: problem.detail, chrome: chrome),
                status: problem.status)
        }
    }

    /// The control plane's clock, as the pages show ages against it.
    static func now(_ context: Context) -> Timestamp {
        Timestamp(rfc3339: context.handle.value.now()) ?? Timestamp(nanoseconds: 0)!
    }

    /// A form's approve or reject.
    static func verdict(_ form: [String: String]) throws -> Review.Verdict {
        switch form["verdict"] {
        case "approve": .approve
        case "reject": .reject
        default: throw Problem(.unprocessableContent, "the form must say approve or reject", field: "verdict")
        }
    }

    /// A form's free text, nil when only blanks.
    static func text(_ value: String?) -> String? {
        value.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
    }

    static func chrome(_ session: ControlPlane.DashboardSession, _ section: DashboardChrome.Section?) -> DashboardChrome {
        DashboardChrome(
            name: session.principal.name, kind: session.principal.kind.rawValue, role: session.principal.role.rawValue, csrf: session.csrf,
            section: section)
    }
}
