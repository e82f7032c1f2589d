import BlastwallTestSupport
import Foundation
import Testing

/// `blastwall incident` and `blastwall dora` through the real binary and server.
@Suite struct IncidentCLITests {
    @Test func anIncidentIsDeclaredRankedShownAndResolved() async throws {
        let server = try await LiveServer()
        let token = server.adminToken
        let created = try await server.cli(["switch", "create", "promotions"], token: token)
        try #require(created.status == 0, "\(created.stderr)")
        _ = try await server.cli(["switch", "on", "promotions", "--reason", "campaign"], token: token)

        let opened = try await server.cli(["incident", "open", "--title", "checkout is slow", "--severity", "page"], token: token)
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(opened.stdout.contains("#1 open no service — checkout is slow (page)"), "\(opened.stdout)")
        #expect(opened.stdout.contains("top suspect: switch/promotions — switch promotions turned on by root"), "\(opened.stdout)")

        let suspects = try await server.cli(["incident", "suspects", "1", "--format", "markdown"], token: token)
        #expect(
            suspects.stdout.contains("1. **switch/promotions**") && suspects.stdout.contains("rollback: turn switch promotions off again"))
        let json = try await server.cli(["incident", "suspects", "1", "--format", "json"], token: token)
        #expect(json.stdout.contains("\"ranked\"") && json.stdout.hasSuffix("\n"))

        let rolledBack = try await server.cli(["incident", "rollback", "1"], token: token)
        #expect(rolledBack.status == 0 && rolledBack.stdout.contains("turned switch promotions off again"), "\(rolledBack.stderr)")
        let confirmed = try await server.cli(["incident", "confirm", "1", "--cause", "switch/promotion"], token: token)
        #expect(confirmed.status != 0 && confirmed.stderr.contains("did you mean 'switch/promotions'"), "\(confirmed.stderr)")
        #expect(try await server.cli(["incident", "confirm", "1", "--cause", "switch/promotions"], token: token).status == 0)
        let resolved = try await server.cli(["incident", "resolve", "1"], token: token)
        #expect(resolved.stdout.contains("#1 resolved") && resolved.stdout.contains("restored in"), "\(resolved.stdout)")
        let report = try await server.cli(["incident", "report", "1"], token: token)
        #expect(report.status == 0, "\(report.stderr)")
        for part in [
            "# Incident 1: checkout is slow", "**Time to detect:**", "**to restore:**", "**Confirmed cause:** switch/promotions",
            "**incident.rollback** by root", "**switch.flipped** by root (switch/promotions)", "No change is implicated", "## Action items",
        ] {
            #expect(report.stdout.contains(part), "\(part) in \(report.stdout)")
        }
        let listed = try await server.cli(["incident", "list"], token: token)
        #expect(listed.stdout.contains("#1 resolved"))

        let dora = try await server.cli(["dora", "--since", "7d"], token: token)
        #expect(dora.status == 0 && dora.stdout.contains("GROUP") && dora.stdout.contains("all"), "\(dora.stdout)\(dora.stderr)")
        #expect(dora.stdout.contains("the confirmed cause was ranked first in 1 of 1 incidents"), "\(dora.stdout)")
    }
}
