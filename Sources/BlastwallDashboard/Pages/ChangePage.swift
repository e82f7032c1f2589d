import BlastwallAudit
import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage

/// One change: its gate and what is still missing, its report, its reviews, and the review form for those who
/// may review it (or the reason they may not).
public struct ChangePage {
    public var change: ControlPlane.ChangeView
    /// Why the signed-in identity may not review it; nil when it may.
    public var refusal: String?
    public var csrf: String
    /// The change's audit events, newest first.
    public var trail: [AuditEvent]
    /// The rollouts that shipped it, newest first.
    public var rollouts: [RolloutRecord]
    /// Incidents that rank it among their suspects, newest first.
    public var incidents: [IncidentRecord]

    public init(
        change: ControlPlane.ChangeView, refusal: String?, csrf: String, trail: [AuditEvent] = [], rollouts: [RolloutRecord] = [],
        incidents: [IncidentRecord] = []
    ) {
        self.incidents = incidents
        self.change = change
        self.refusal = refusal
        self.csrf = csrf
        self.trail = trail
        self.rollouts = rollouts
    }

    public var view: [String: Any] {
        let record = change.change
        let report = record.report
        let risk = ChangeFacts.risk(report)
        let dependents = ChangeFacts.dependents(report)
        // What made a dismissed approval stale, as its dismissal recorded it.
        var staleFiles: [String: String] = [:]
        for event in trail where event.action == "approval.dismissed" {
            let key = (event.payload["reviewer"]?.stringValue ?? "") + " " + (event.payload["previous_head"]?.stringValue ?? "")
            let files = (event.payload["files"]?.arrayValue ?? []).compactMap(\.stringValue)
            staleFiles[key] = files.isEmpty ? event.payload["reason"]?.stringValue ?? "" : "changed since: " + files.joined(separator: ", ")
        }
        let reviews = change.reviews.map { review -> [String: Any] in
            [
                "reviewer": review.reviewer, "verdict": review.verdict + (review.isOverride ? " (override)" : ""),
                "head": String(review.head.prefix(12)), "createdAt": review.createdAt, "comment": review.comment ?? "",
                "dismissed": review.dismissedAt != nil, "source": review.source ?? "",
                "stale": review.dismissedAt == nil ? "" : staleFiles[review.reviewer + " " + review.head] ?? "",
            ]
        }
        let files = (report["files"]?.arrayValue ?? []).prefix(500).map { file -> [String: Any] in
            [
                "path": file["path"]?.stringValue ?? "",
                "classes": (file["classes"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", "),
            ]
        }
        let factors = (report["risk"]?["factors"]?.arrayValue ?? []).map { factor -> [String: Any] in
            ["points": factor["points"]?.intValue ?? 0, "reason": factor["reason"]?.stringValue ?? ""]
        }
        let rules = (report["rules"]?.arrayValue ?? []).compactMap(\.stringValue)
        return [
            "id": record.id, "repository": record.repository, "branch": record.branch, "state": change.status.state.rawValue,
            "summary": change.status.summary, "decision": record.decision, "provenance": record.provenance,
            "provenanceLabel": ChangeFacts.provenanceLabel(record.provenance), "tools": ChangeFacts.tools(report),
            "head": record.head, "base": record.base ?? "", "submittedBy": record.submittedBy, "createdAt": record.createdAt,
            "services": record.services.isEmpty ? "none" : record.services.joined(separator: ", "),
            "radius": dependents.isEmpty ? "" : "also reaches " + dependents.joined(separator: ", "),
            "riskLevel": risk.level, "riskLabel": risk.label,
            "missing": change.status.missing, "hasMissing": !change.status.missing.isEmpty,
            "reasons": change.status.reasons, "hasReasons": !change.status.reasons.isEmpty,
            "refusal": refusal ?? "", "canReview": refusal == nil, "canOverride": refusal == nil && change.status.state == .denied,
            "csrf": csrf, "reviews": reviews, "hasReviews": !reviews.isEmpty,
            "trail": trail.map { event -> [String: Any] in
                [
                    "time": event.time, "actor": event.actor, "action": event.action,
                    "detail": AuditPage.payload(event.payload), "sequence": event.sequence,
                ]
            },
            "hasTrail": !trail.isEmpty,
            "rollouts": rollouts.map { rollout -> [String: Any] in
                [
                    "id": rollout.id, "service": rollout.spec.service, "version": rollout.spec.version,
                    "phase": rollout.state.phase.rawValue, "phaseLabel": RolloutFacts.phaseLabel(rollout.state.phase),
                ]
            },
            "hasRollouts": !rollouts.isEmpty,
            "incidents": incidents.map { incident -> [String: Any] in
                let rank = (incident.suspects["ranked"]?.arrayValue ?? []).firstIndex { $0["change"]?.intValue == Int(record.id) }
                return [
                    "id": incident.id, "title": incident.title, "state": incident.state,
                    "rank": rank.map { "suspect \($0 + 1)" } ?? "",
                ]
            },
            "hasIncidents": !incidents.isEmpty,
            "report": report == .null
                ? []
                : [
                    ["files": files, "factors": factors, "hasFactors": !factors.isEmpty, "rules": rules, "hasRules": !rules.isEmpty]
                ],
        ]
    }
}
