import BlastwallCore
import BlastwallStorage
import CEL
import Testing

@testable import BlastwallDashboard

@Suite struct SwitchesPageTests {
    static let now = Timestamp(rfc3339: "2026-12-10T00:00:00Z")!

    @Test func freezesFromTheConfigurationAndAtRunTimeAreListedUntilTheyEnd() throws {
        let configured = [
            Freeze(
                name: "holidays", from: Timestamp(rfc3339: "2026-12-20T00:00:00Z"), until: Timestamp(rfc3339: "2027-01-04T00:00:00Z")!,
                reason: "peak", override: Requirements(approvals: 1, groups: ["senior": 1])),
            Freeze(name: "over", until: Timestamp(rfc3339: "2026-12-01T00:00:00Z")!, reason: "done", override: Requirements(approvals: 2)),
        ]
        let runtime = FreezeRecord(
            id: 3, name: "incident", from: nil, until: "2026-12-10T06:00:00.000Z", reason: "checkout down", services: ["checkout"],
            condition: nil, override: .object([("approvals", .int(2))]), createdBy: "lee", createdAt: "2026-12-09T23:00:00.000Z")
        let page = SwitchesPage(
            freezes: [runtime], configured: configured, switches: [], csrf: "t", mayFlip: false, mayLift: true, now: Self.now)
        let rows = page.view["freezes"] as? [[String: Any]] ?? []
        #expect(rows.compactMap { $0["name"] as? String } == ["holidays", "incident"])
        #expect(rows.first?["override"] as? String == "1 approval from senior")
        #expect(rows.first?["configured"] as? Bool == true && rows.last?["configured"] == nil)
        #expect(rows.last?["services"] as? String == "checkout")
        let html = DashboardRenderer().page("switches", title: "t", view: page.view, chrome: nil)
        #expect(html.contains(#"action="/ui/freezes/3/lift""#) && html.contains("ends with blastwall.yml"))
        #expect(!html.contains("/ui/freezes/0/lift"))
    }
}
