import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import CEL

/// Open incidents first, then the recent ones, each with its top suspect.
public struct IncidentsPage {
    public var open: [IncidentRecord]
    public var recent: [IncidentRecord]
    public var now: Timestamp

    public init(open: [IncidentRecord], recent: [IncidentRecord], now: Timestamp) {
        self.open = open
        self.recent = recent
        self.now = now
    }

    public var view: [String: Any] {
        func row(_ incident: IncidentRecord) -> [String: Any] {
            let top = incident.suspects["ranked"]?.arrayValue?.first
            var row: [String: Any] = [
                "id": incident.id, "title": incident.title, "service": incident.service ?? "unknown service",
                "severity": incident.severity ?? "", "state": incident.state, "age": ChangeFacts.age(incident.startedAt, now: now),
                "top": top?["reference"]?.stringValue ?? "", "topWhy": top?["explanation"]?.stringValue ?? "",
            ]
            if let restored = ControlPlane.timeToRestore(incident) { row["restored"] = readableDuration(restored) }
            return row
        }
        let openIDs = Set(open.map(\.id))
        let recent = recent.filter { !openIDs.contains($0.id) }
        return [
            "groups": [
                ["heading": "Open", "rows": open.map(row), "hasRows": !open.isEmpty, "none": "No incident is open."],
                ["heading": "Recent", "rows": recent.map(row), "hasRows": !recent.isEmpty, "none": "No incident has been resolved yet."],
            ] as [[String: Any]],
            "empty": open.isEmpty && recent.isEmpty,
        ]
    }
}

/// One incident: its facts and alerts, its ranked suspects with every term explained and a rollback button for
/// those that can be undone, and what it does not depend on listed apart.
public struct IncidentPage {
    public var incident: IncidentRecord
    public var csrf: String
    /// Whether the signed-in identity may roll back (the rollout permission; flipping a switch checks its own).
    public var mayRollBack: Bool
    /// Suspects listed in full; the stored list keeps every one, the page the first of them.
    static let shownSuspects = 20

    public init(incident: IncidentRecord, csrf: String, mayRollBack: Bool) {
        self.incident = incident
        self.csrf = csrf
        self.mayRollBack = mayRollBack
    }

    public var view: [String: Any] {
        let ranked = incident.suspects["ranked"]?.arrayValue ?? []
        let unrelated = incident.suspects["unrelated"]?.arrayValue ?? []
        let suspects = ranked.prefix(Self.shownSuspects).enumerated().map { index, suspect -> [String: Any] in
            let action = suspect["rollback"]?["action"]?.stringValue
            let terms = (suspect["terms"]?.arrayValue ?? []).map { term -> [String: Any] in
                [
                    "name": term["name"]?.stringValue ?? "", "factor": decimalText(term["factor"]?.doubleValue ?? 0),
                    "reason": term["reason"]?.stringValue ?? "",
                ]
            }
            let rank = index + 1
            let reference = suspect["reference"]?.stringValue ?? ""
            return [
                "rank": rank, "reference": reference, "kind": suspect["kind"]?.stringValue ?? "",
                "score": decimalText(suspect["score"]?.doubleValue ?? 0, places: 4),
                "explanation": suspect["explanation"]?.stringValue ?? "",
                "time": suspect["time"]?.stringValue ?? "", "terms": terms, "hasTerms": !terms.isEmpty,
                "change": suspect["change"]?.intValue.map { "\($0)" } ?? "",
                "rollout": suspect["rollback"]?["rollout"]?.intValue.map { "\($0)" } ?? "",
                "canRollBack": mayRollBack && incident.isOpen && action != nil,
                "rollbackLabel": Self.rollbackLabel(action, suspect["rollback"]),
                "confirm": "Roll back \(reference) (suspect \(rank) of incident #\(incident.id))?",
                "confirmed": incident.confirmedCause == reference,
            ]
        }
        var facts: [[String: String]] = [
            ["name": "Service", "value": incident.service ?? "unknown (the alert carried no service label)"],
            ["name": "State", "value": incident.state],
            ["name": "Started", "value": incident.startedAt],
            ["name": "Detected by Blastwall", "value": incident.detectedAt],
            ["name": "Opened by", "value": "\(incident.openedBy) (\(incident.source))"],
        ]
        if let severity = incident.severity { facts.insert(["name": "Severity", "value": severity], at: 1) }
        if let resolved = incident.resolvedAt { facts.append(["name": "Resolved", "value": resolved]) }
        if let restore = ControlPlane.timeToRestore(incident) {
            facts.append(["name": "Time to restore", "value": readableDuration(restore)])
        }
        if let cause = incident.confirmedCause { facts.append(["name": "Confirmed cause", "value": cause]) }
        let alerts = (incident.alerts.arrayValue ?? []).prefix(50).map { alert -> [String: Any] in
            [
                "name": alert["labels"]?["alertname"]?.stringValue ?? "alert",
                "status": alert["firing"] == .bool(true) ? "firing" : "resolved", "summary": alert["summary"]?.stringValue ?? "",
                "startsAt": alert["starts_at"]?.stringValue ?? "", "endsAt": alert["ends_at"]?.stringValue ?? "",
            ]
        }
        return [
            "id": incident.id, "title": incident.title, "open": incident.isOpen, "facts": facts, "csrf": csrf,
            "suspects": suspects, "hasSuspects": !suspects.isEmpty, "more": max(0, ranked.count - Self.shownSuspects),
            "hasMore": ranked.count > Self.shownSuspects,
            "unrelated": unrelated.prefix(Self.shownSuspects).map { suspect -> [String: Any] in
                ["reference": suspect["reference"]?.stringValue ?? "", "explanation": suspect["explanation"]?.stringValue ?? ""]
            },
            "hasUnrelated": !unrelated.isEmpty, "alerts": alerts, "hasAlerts": !alerts.isEmpty,
            "rankedAt": incident.suspects["ranked_at"]?.stringValue ?? "",
        ]
    }

    static func rollbackLabel(_ action: String?, _ rollback: JSONValue?) -> String {
        switch action {
        case "abort": "Abort rollout \(rollback?["rollout"]?.intValue ?? 0)"
        case "undo": "Undo rollout \(rollback?["rollout"]?.intValue ?? 0)"
        case "flip": "Turn switch \(rollback?["switch"]?.stringValue ?? "") \(rollback?["enabled"] == .bool(true) ? "on" : "off") again"
        default: "Roll back"
        }
    }
}
