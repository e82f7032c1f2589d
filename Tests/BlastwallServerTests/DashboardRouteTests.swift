import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import BlastwallTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BlastwallServer

/// The dashboard over HTTP: sign-in with a token for a session cookie, CSRF on every form, the security
/// headers, the changes pages, and reviews refused or recorded under the same rules as the API.
@Suite struct DashboardRouteTests {
    /// A browser's view of the server: the cookies it was given, sent back on each request.
    final class Browser: @unchecked Sendable {
        let client: any TestClientProtocol
        var cookies: [String: String] = [:]

        init(_ client: any TestClientProtocol) { self.client = client }

        func request(_ method: HTTPRequest.Method, _ path: String, form: [String: String]? = nil) async throws -> TestResponse {
            var headers = HTTPFields()
            if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
            var body: ByteBuffer?
            if let form {
                headers[.contentType] = "application/x-www-form-urlencoded"
                body = ByteBuffer(
                    string: form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                        .joined(separator: "&"))
            }
            let response = try await client.execute(uri: path, method: method, headers: headers, body: body)
            for value in response.headers[values: .setCookie] {
                let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 2 { cookies[pair[0]] = pair[1].isEmpty ? nil : pair[1] } else if pair.count == 1 { cookies[pair[0]] = nil }
            }
            return response
        }

        /// The value of a form's hidden `csrf` field on a page.
        static func csrf(in html: String) -> String? {
            guard let range = html.range(of: #"name="csrf" value=""#) else { return nil }
            return String(html[range.upperBound...].prefix { $0 != "\"" })
        }

        func signIn(_ token: String) async throws -> TestResponse {
            let form = try await request(.get, "/ui/sign-in?next=/ui/changes")
            return try await request(
                .post, "/ui/sign-in", form: ["csrf": Self.csrf(in: form.text) ?? "", "token": token, "next": "/ui/changes"])
        }
    }

    @Test(arguments: TestDatabases.kinds) func signInThenReviewUnderTheAPIsRules(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database, configuration: Reports.configuration)
        let ci = try fixture.controlPlane.authenticate(token: fixture.tokens["ci"]!)
        let change = try await fixture.controlPlane.submit(Reports.submissionValue(branch: "feature", head: "h1"), by: ci).change
        try await fixture.testAndCleanUp { client in
            let browser = Browser(client)
            // Not signed in: pages send the browser to sign in, and come back after.
            let away = try await browser.request(.get, "/ui/changes/\(change.id)")
            #expect(away.status == .seeOther && away.headers[.location] == "/ui/sign-in?next=/ui/changes/\(change.id)")

            let form = try await browser.request(.get, "/ui/sign-in")
            let policy = try #require(form.headers[.contentSecurityPolicy])
            #expect(!policy.contains("unsafe-inline") && policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'"))
            #expect(form.headers[.xContentTypeOptions] == "nosniff")
            let signInCookie = try #require(form.headers[values: .setCookie].first { $0.hasPrefix("blastwall_sign_in=") })
            #expect(signInCookie.contains("HttpOnly") && signInCookie.contains("SameSite=Strict") && !signInCookie.contains("Secure"))

            // A sign-in form that did not come from the page, then a wrong token, are refused; the right one signs in.
            let forged = try await Browser(client).request(.post, "/ui/sign-in", form: ["csrf": "x", "token": fixture.tokens["approver"]!])
            #expect(forged.status == .forbidden && forged.text.contains("did not come from this page"))
            let wrong = try await browser.request(
                .post, "/ui/sign-in", form: ["csrf": Browser.csrf(in: form.text) ?? "", "token": "bw_wrong"])
            #expect(wrong.status == .unauthorized && wrong.text.contains("not valid"))
            let signedIn = try await browser.signIn(fixture.tokens["approver"]!)
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/ui/changes")
            let session = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("blastwall_session=") })
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Strict") && session.contains("Path=/ui"))

            let list = try await browser.request(.get, "/ui/changes")
            #expect(list.status == .ok && list.text.contains("#\(change.id) acme/monorepo") && list.text.contains("user-approver"))
            #expect(list.text.contains(#"class="badge provenance-human">human"#) && list.text.contains("payments, ledger"))
            let filtered = try await browser.request(.get, "/ui/changes?provenance=ai-authored")
            #expect(filtered.text.contains("No change matches these filters."))

            let page = try await browser.request(.get, "/ui/changes/\(change.id)")
            #expect(page.status == .ok && page.text.contains("Still needed") && page.text.contains(#"value="approve">Approve"#))
            #expect(page.text.contains("<h2>Audit trail</h2>") && page.text.contains("<td>change.submitted</td>"))
            #expect(page.text.contains("Not rolled out by Blastwall yet."))
            let csrf = try #require(Browser.csrf(in: page.text))
            // Without the session's CSRF token the review is refused; with it, it is recorded as the signed-in identity.
            let noToken = try await browser.request(.post, "/ui/changes/\(change.id)/reviews", form: ["verdict": "approve"])
            #expect(noToken.status == .forbidden && noToken.text.contains("CSRF"))
            let stale = try await browser.request(
                .post, "/ui/changes/\(change.id)/reviews", form: ["csrf": csrf, "verdict": "approve", "head": "0000"])
            #expect(stale.status == .conflict && stale.text.contains("review the new head"))
            let approved = try await browser.request(
                .post, "/ui/changes/\(change.id)/reviews", form: ["csrf": csrf, "verdict": "approve", "head": change.head])
            #expect(approved.status == .seeOther && approved.headers[.location] == "/ui/changes/\(change.id)?done=approval")
            let after = try await browser.request(.get, "/ui/changes/\(change.id)?done=approval")
            #expect(after.text.contains("Your approval of change #\(change.id) is recorded.") && after.text.contains("<td>user-approver"))
            let reviews = try await ReviewStore.all(fixture.controlPlane.database, changeID: change.id)
            #expect(reviews.map(\.reviewer) == ["user-approver"])

            // An incident that ranks it (second, after a rollout) is linked from its page; one that lists it
            // among the unrelated is not.
            @Sendable func suspect(_ reference: String, change: Int64?) -> JSONValue {
                .object([("reference", .string(reference)), ("change", change.map { .int($0) } ?? .null), ("score", .double(0.5))])
            }
            let incident = try await fixture.controlPlane.database.transaction { transaction in
                _ = try await IncidentStore.insert(
                    transaction,
                    IncidentRecord(
                        groupKey: nil, source: "declared", service: nil, title: "Unrelated", severity: nil,
                        startedAt: "2026-12-01T00:00:00.000Z",
                        detectedAt: "2026-12-01T00:00:00.000Z",
                        suspects: .object([
                            ("ranked", .array([])), ("unrelated", .array([suspect("change/\(change.id)", change: change.id)])),
                        ]),
                        openedBy: "root", createdAt: "2026-12-01T00:00:00.000Z", updatedAt: "2026-12-01T00:00:00.000Z"))
                return try await IncidentStore.insert(
                    transaction,
                    IncidentRecord(
                        groupKey: nil, source: "declared", service: nil, title: "Payments failing", severity: nil,
                        startedAt: "2026-12-01T00:00:00.000Z", detectedAt: "2026-12-01T00:00:00.000Z",
                        suspects: .object([
                            ("ranked", .array([suspect("rollout/9", change: 77), suspect("rollout/3", change: change.id)])),
                            ("unrelated", .array([])),
                        ]), openedBy: "root", createdAt: "2026-12-01T00:00:00.000Z", updatedAt: "2026-12-01T00:00:00.000Z"))
            }
            let linked = try await browser.request(.get, "/ui/changes/\(change.id)")
            #expect(
                linked.text.contains("Incidents it is a suspect of") && linked.text.contains("#\(incident.id) Payments failing")
                    && linked.text.contains("suspect 2") && !linked.text.contains("Unrelated"), "\(linked.text)")

            // Sign out: the session ends, and its cookie no longer opens pages.
            let old = browser.cookies["blastwall_session"]
            let out = try await browser.request(.post, "/ui/sign-out", form: ["csrf": csrf])
            #expect(out.status == .seeOther && browser.cookies["blastwall_session"] == nil)
            browser.cookies["blastwall_session"] = old
            #expect(try await browser.request(.get, "/ui/changes").status == .seeOther)
            let events = try await AuditLog.search(
                fixture.controlPlane.database, AuditLog.Filter(subject: "identity/user-approver"), before: nil, limit: 10)
            #expect(Set(events.map(\.action)).isSuperset(of: ["session.started", "session.ended"]))
        }
    }

    /// A viewer and an AI identity see why they cannot review, and no form; a forged review from them is a 403.
    @Test func thoseWhoMayNotReviewSeeWhyAndAreRefused() async throws {
        let fixture = try await ServerFixture.make(database: .sqlite, configuration: Reports.configuration)
        let ci = try fixture.controlPlane.authenticate(token: fixture.tokens["ci"]!)
        let change = try await fixture.controlPlane.submit(Reports.submissionValue(branch: "feature", head: "h1"), by: ci).change
        try await fixture.testAndCleanUp { client in
            for (token, reason) in [
                ("viewer", "user-viewer is viewer and may not review changes"),
                ("ai-approver", "AI and bot identities never count as approvers"),
            ] {
                let browser = Browser(client)
                _ = try await browser.signIn(fixture.tokens[token]!)
                let page = try await browser.request(.get, "/ui/changes/\(change.id)")
                #expect(page.text.contains("You cannot review this change: ") && page.text.contains(reason), "\(token)")
                #expect(!page.text.contains(#"value="approve""#), "\(token) sees no approve button")
                let csrf = try #require(Browser.csrf(in: page.text))
                let forged = try await browser.request(
                    .post, "/ui/changes/\(change.id)/reviews", form: ["csrf": csrf, "verdict": "approve", "head": change.head])
                #expect(forged.status == .forbidden, "\(token): \(forged.text)")
            }
            #expect(try await ReviewStore.all(fixture.controlPlane.database, changeID: change.id).isEmpty)
        }
    }

    @Test func formsAreReadAsBrowsersSendThem() {
        #expect(FormFields.parse("a=1&b=x+y%21&c=&=z&d") == ["a": "1", "b": "x y!", "c": "", "d": ""])
        #expect(FormFields.parse("a=%E2%9C%93&a=2") == ["a": "2"])
        #expect(FormFields.parse("bad=%ZZ") == [:], "an undecodable value is dropped")
        #expect(DashboardHTTP.safeNext("//evil.example/ui/") == "/ui/changes" && DashboardHTTP.safeNext("https://x/ui/") == "/ui/changes")
        #expect(DashboardHTTP.safeNext("/ui/changes/4") == "/ui/changes/4")
    }
}
