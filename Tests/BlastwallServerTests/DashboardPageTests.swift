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

/// The dashboard's other pages over HTTP, each acting through the same control plane as the API: a live
/// rollout and its commands, approvals waiting, incidents and their rollback, DORA, switches, the audit log.
@Suite struct DashboardPageTests {
    typealias Browser = DashboardRouteTests.Browser

    @Test func aRolloutIsShownLiveWithItsEvidenceAndObeysItsCommands() async throws {
        let fixture = try await ServerFixture.make(database: .sqlite)
        let engineer = fixture.tokens["engineer"]
        try await fixture.testAndCleanUp { client in
            let created = try await client.send(
                .post, "/api/v1/drills", token: engineer,
                json: RolloutFlowTests.body(
                    service: "checkout", steps: #"[{"weight": 10, "duration": "1h"}, {"weight": 50, "duration": "1h"}]"#))
            let id = try #require(created.json?["id"] as? Int, "\(created.text)")
            _ = try await RolloutFlowTests.waitFor(
                client, rollout: id, token: engineer,
                while: { _ in _ = try await RolloutFlowTests.push(client, rollout: id, token: engineer, canaryErrors: 0) },
                until: { ($0["verdict"] as? String) == "pass" })

            let browser = Browser(client)
            _ = try await browser.signIn(fixture.tokens["engineer"]!)
            let list = try await browser.request(.get, "/ui/rollouts")
            #expect(list.status == .ok && list.text.contains("<h2>Active</h2>") && list.text.contains("#\(id) checkout v2"))
            let page = try await browser.request(.get, "/ui/rollouts/\(id)")
            #expect(page.text.contains(#"data-live="2""#) && page.text.contains("canary 10%, stable 90%"))
            #expect(page.text.contains(#"aria-current="step">10% for at least 1 h"#))
            #expect(page.text.contains("<figcaption>Error ratio, canary against baseline</figcaption><svg"))
            #expect(page.text.contains("Evidence of a regression against the threshold") && page.text.contains("fails at log(1/α)"))
            #expect(page.text.contains(#"<span class="badge verdict-pass">pass</span>"#))
            #expect(page.text.contains(#"action="/ui/rollouts/\#(id)/pause""#) && page.text.contains("data-confirm=\"Abort rollout #\(id)"))

            // A viewer sees no command, and a forged one is refused.
            let viewer = Browser(client)
            _ = try await viewer.signIn(fixture.tokens["viewer"]!)
            let seen = try await viewer.request(.get, "/ui/rollouts/\(id)")
            #expect(!seen.text.contains("/ui/rollouts/\(id)/pause"))
            let forged = try await viewer.request(.post, "/ui/rollouts/\(id)/abort", form: ["csrf": Browser.csrf(in: seen.text) ?? ""])
            #expect(forged.status == .forbidden)

            let csrf = try #require(Browser.csrf(in: page.text))
            let paused = try await browser.request(.post, "/ui/rollouts/\(id)/pause", form: ["csrf": csrf])
            #expect(paused.status == .seeOther && paused.headers[.location] == "/ui/rollouts/\(id)?done=pause")
            let pausedPage = try await browser.request(.get, "/ui/rollouts/\(id)?done=pause")
            #expect(
                pausedPage.text.contains("Rollout #\(id): pause sent.") && pausedPage.text.contains(#"action="/ui/rollouts/\#(id)/resume""#)
            )
            _ = try await browser.request(.post, "/ui/rollouts/\(id)/abort", form: ["csrf": csrf])
            let ended = try await browser.request(.get, "/ui/rollouts/\(id)")
            #expect(ended.text.contains("rolled back") && !ended.text.contains("data-live") && !ended.text.contains("/abort\""))
            let events = try await AuditLog.search(
                fixture.controlPlane.database, AuditLog.Filter(subject: "rollout/\(id)"), before: nil, limit: 50)
            #expect(events.contains { $0.actor == "user-engineer" && $0.action.hasSuffix("paused") }, "\(events.map(\.action))")
        }
    }

    @Test(arguments: TestDatabases.kinds) func switchesIncidentsDORAAndTheAuditLog(database: TestDatabases.Kind) async throws {
        let fixture = try await ServerFixture.make(database: database, configuration: Reports.configuration)
        let admin = try fixture.controlPlane.authenticate(token: fixture.tokens["admin"]!)
        _ = try await fixture.controlPlane.createSwitch(named: "checkout-payments", by: admin)
        try await fixture.testAndCleanUp { client in
            let browser = Browser(client)
            _ = try await browser.signIn(fixture.tokens["engineer"]!)
            let switches = try await browser.request(.get, "/ui/switches")
            #expect(switches.text.contains(#"<span class="badge switch-off">off</span>"#))
            let csrf = try #require(Browser.csrf(in: switches.text))
            let silent = try await browser.request(
                .post, "/ui/switches/checkout-payments", form: ["csrf": csrf, "enabled": "on", "reason": " "])
            #expect(silent.status == .unprocessableContent && silent.text.contains("say why the switch is flipped"))
            let flipped = try await browser.request(
                .post, "/ui/switches/checkout-payments", form: ["csrf": csrf, "enabled": "on", "reason": "payments errors"])
            #expect(flipped.status == .seeOther)
            #expect(fixture.controlPlane.killSwitch(named: "checkout-payments")?.enabled == true)
            let after = try await browser.request(.get, flipped.headers[.location] ?? "")
            #expect(after.text.contains("Done: switch checkout-payments is on.") && after.text.contains("payments errors"))

            // A crafted link puts no words of its own on the page.
            let crafted = try await browser.request(.get, "/ui/switches?done=Call%20us&switch=Call%20us&lifted=x")
            #expect(!crafted.text.contains("Call us") && !crafted.text.contains(#"class="notice""#))

            // An incident declared now has the flip as its suspect, with a button that flips it back.
            let engineer = try fixture.controlPlane.authenticate(token: fixture.tokens["engineer"]!)
            let incident = try await fixture.controlPlane.declareIncident(
                service: nil, title: "Checkout failing", severity: "page", startedAt: nil, by: engineer
            ).incident
            let list = try await browser.request(.get, "/ui/incidents")
            #expect(list.text.contains("#\(incident.id) Checkout failing") && list.text.contains("switch checkout-payments"))
            let page = try await browser.request(.get, "/ui/incidents/\(incident.id)")
            #expect(page.text.contains("How the score is made") && page.text.contains("Turn switch checkout-payments off again"))
            let rolledBack = try await browser.request(
                .post, "/ui/incidents/\(incident.id)/rollback", form: ["csrf": csrf, "suspect": "1"])
            #expect(rolledBack.status == .seeOther, "\(rolledBack.text)")
            #expect(fixture.controlPlane.killSwitch(named: "checkout-payments")?.enabled == false)

            let dora = try await browser.request(.get, "/ui/dora")
            #expect(dora.status == .ok && dora.text.contains("No deployment finished in this window."))
            #expect(try await browser.request(.get, "/ui/dora?days=3").status == .badRequest)

            let audit = try await browser.request(.get, "/ui/audit?action=switch.flipped")
            #expect(audit.text.contains("<td>switch/checkout-payments</td>") && audit.text.contains("user-engineer"))
            let verified = try await browser.request(.get, "/ui/audit?verify=1")
            #expect(verified.text.contains("The chain is intact"))
            let missing = try await browser.request(.get, "/ui/nowhere/7")
            #expect(missing.status == .notFound && missing.text.contains("there is no page /ui/nowhere/7"))
            #expect(try await browser.request(.get, "/ui/changes/999").status == .notFound)
            let badTime = try await browser.request(.get, "/ui/audit?since=yesterday")
            #expect(badTime.status == .badRequest && badTime.text.contains("must be a time like"))

            // A viewer reads everything but is offered no flip, and a forged one is refused.
            let viewer = Browser(client)
            _ = try await viewer.signIn(fixture.tokens["viewer"]!)
            let read = try await viewer.request(.get, "/ui/switches")
            #expect(!read.text.contains("Turn off") && !read.text.contains("Turn on"))
            let forged = try await viewer.request(
                .post, "/ui/switches/checkout-payments", form: ["csrf": Browser.csrf(in: read.text) ?? "", "enabled": "on", "reason": "x"])
            #expect(forged.status == .forbidden)
        }
    }

    @Test func approvalsWaitingSaysWhoseTheyAre() async throws {
        let fixture = try await ServerFixture.make(database: .sqlite, configuration: Reports.configuration)
        let ci = try fixture.controlPlane.authenticate(token: fixture.tokens["ci"]!)
        let change = try await fixture.controlPlane.submit(Reports.submissionValue(branch: "feature", head: "h1"), by: ci).change
        try await fixture.testAndCleanUp { client in
            let approver = Browser(client)
            _ = try await approver.signIn(fixture.tokens["approver"]!)
            let mine = try await approver.request(.get, "/ui/approvals")
            let yours = try #require(mine.text.components(separatedBy: "<h2>Waiting on others</h2>").first)
            #expect(yours.contains("#\(change.id) acme/monorepo") && yours.contains("approvals"), "\(mine.text)")

            let viewer = Browser(client)
            _ = try await viewer.signIn(fixture.tokens["viewer"]!)
            let theirs = try await viewer.request(.get, "/ui/approvals")
            let others = try #require(theirs.text.components(separatedBy: "<h2>Waiting on others</h2>").last)
            #expect(others.contains("#\(change.id) acme/monorepo") && others.contains("Not yours: user-viewer is viewer"))
            #expect(theirs.text.contains("Nothing waits on you."))
        }
    }
}
