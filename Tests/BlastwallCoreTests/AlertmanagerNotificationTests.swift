import CEL
import Testing

@testable import BlastwallCore

/// Alertmanager's webhook (version 4): read leniently, refused only when unreadable; alerts deduplicated by
/// fingerprint and start; a resolution never undone by a late firing notification.
@Suite struct AlertmanagerNotificationTests {
    static func notification(status: String, alerts: [(String, String, String, String)], extra: String = "") -> String {
        let items = alerts.map { fingerprint, state, starts, ends in
            """
            {"status": "\(state)", "fingerprint": "\(fingerprint)", "startsAt": "\(starts)", "endsAt": "\(ends)",
             "labels": {"alertname": "HighErrorRate", "service": "checkout", "severity": "page", "pod": {"x": 1}},
             "annotations": {"summary": "checkout errors above 5%"}, "generatorURL": "http://prometheus/graph"}
            """
        }
        return """
            {"version": "4", "groupKey": "{}:{alertname=\\"HighErrorRate\\"}", "status": "\(status)", "receiver": "blastwall",
             "groupLabels": {"alertname": "HighErrorRate"}, "commonLabels": {"alertname": "HighErrorRate", "severity": "page"},
             "commonAnnotations": {}, "externalURL": "http://alertmanager:9093", "alerts": [\(items.joined(separator: ","))]\(extra)}
            """
    }

    static let zero = "0001-01-01T00:00:00Z"

    @Test func aFiringNotificationIsRead() throws {
        let text = Self.notification(
            status: "firing", alerts: [("a1", "firing", "2026-12-02T03:00:00.123456789Z", Self.zero)],
            extra: #", "truncatedAlerts": 3, "mystery": true"#)
        let notification = try AlertmanagerNotification.parse(text)
        #expect(notification.status == .firing && notification.groupKey == #"{}:{alertname="HighErrorRate"}"#)
        #expect(notification.alerts.count == 1 && notification.alerts[0].endsAt == nil && notification.truncatedAlerts == 3)
        #expect(notification.alerts[0].labels["pod"] == nil, "a label that is not a string is left out")
        #expect(notification.label(["team", "service"]) == "checkout" && notification.label(["severity"]) == "page")
    }

    @Test func onlyUnreadableNotificationsAreRefused() {
        for (text, reason) in [
            ("{not json", "not JSON"), ("[]", "JSON object"), (#"{"version": "3", "groupKey": "g", "alerts": []}"#, "version 3"),
            (#"{"version": "4", "alerts": []}"#, "groupKey"), (#"{"groupKey": "g", "alerts": {}}"#, "'alerts' must be a list"),
            (#"{"groupKey": "g", "alerts": [{"startsAt": "yesterday"}]}"#, "alerts[0].startsAt"),
        ] {
            #expect {
                _ = try AlertmanagerNotification.parse(text)
            } throws: { error in
                (error as? AlertmanagerNotification.Unreadable)?.description.contains(reason) == true
            }
        }
    }

    @Test func duplicatesAreOneAlertAndResolvedIsNotUndoneByALateFiring() throws {
        var alerts = IncidentAlerts()
        let firing = try AlertmanagerNotification.parse(
            Self.notification(status: "firing", alerts: [("a1", "firing", "2026-12-02T03:00:00Z", Self.zero)]))
        let first = alerts.merge(firing)
        let repeated = alerts.merge(firing)
        #expect(first && !repeated, "a repeated notification changes nothing")
        let resolved = try AlertmanagerNotification.parse(
            Self.notification(status: "resolved", alerts: [("a1", "resolved", "2026-12-02T03:00:00Z", "2026-12-02T03:20:00Z")]))
        let resolving = alerts.merge(resolved)
        #expect(resolving && !alerts.isFiring)
        #expect(alerts.resolvedAt == Timestamp(rfc3339: "2026-12-02T03:20:00Z"))
        let late = alerts.merge(firing)
        #expect(!late && !alerts.isFiring, "a firing notification that arrives late does not reopen")
        #expect(alerts.instances.count == 1 && alerts.startedAt == Timestamp(rfc3339: "2026-12-02T03:00:00Z"))
        // The same alert firing again later is a new instance.
        let again = try AlertmanagerNotification.parse(
            Self.notification(status: "firing", alerts: [("a1", "firing", "2026-12-02T05:00:00Z", Self.zero)]))
        let refired = alerts.merge(again)
        #expect(refired && alerts.isFiring && alerts.instances.count == 2 && alerts.resolvedAt == nil)
    }

    @Test func aResolvedNotificationOfAnAlertNeverSeenFiringIsRecorded() throws {
        var alerts = IncidentAlerts()
        let resolved = try AlertmanagerNotification.parse(
            Self.notification(status: "resolved", alerts: [("b2", "resolved", "2026-12-02T03:00:00Z", "2026-12-02T03:05:00Z")]))
        let merged = alerts.merge(resolved)
        #expect(merged && !alerts.isFiring && alerts.resolvedAt == Timestamp(rfc3339: "2026-12-02T03:05:00Z"))
    }
}
