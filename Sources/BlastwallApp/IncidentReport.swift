import BlastwallCore
import CEL

/// A blameless post-incident record in Markdown, from `GET /api/v1/incidents/:id/timeline`: the times to
/// detect, mitigate and restore, the suspects and what was done, the timeline from the audit log, whether AI
/// was involved in the implicated change and in the response, and the sections people fill in.
public enum IncidentReport {
    public static func markdown(_ timeline: JSONValue) -> String {
        let incident = timeline["incident"] ?? .null
        let events = timeline["events"]?.arrayValue ?? []
        let id = incident["id"]?.intValue ?? 0
        let started = incident["started_at"]?.stringValue
        let mitigation = events.first { event in
            ["incident.rollback", "incident.auto_rollback"].contains(event["action"]?.stringValue ?? "")
        }
        var out = "# Incident \(id): \(IncidentText.escape(incident["title"]?.stringValue ?? ""))\n\n"
        out += "_A blameless record: what happened and what the system let happen, not who is to blame._\n\n"
        out += "## Summary\n\n"
        out +=
            "- **Service:** \(incident["service"]?.stringValue ?? "not named") · **Severity:** \(incident["severity"]?.stringValue ?? "—")"
        out += " · **Source:** \(incident["source"]?.stringValue ?? "") · **State:** \(incident["state"]?.stringValue ?? "")\n"
        out += "- **Began:** \(started ?? "—") · **Detected:** \(incident["detected_at"]?.stringValue ?? "—")"
        out +=
            " · **Mitigated:** \(mitigation?["time"]?.stringValue ?? "—") · **Restored:** \(incident["resolved_at"]?.stringValue ?? "—")\n"
        out += "- **Time to detect:** \(between(started, incident["detected_at"]?.stringValue))"
        out += " · **to mitigate:** \(between(started, mitigation?["time"]?.stringValue))"
        out += " · **to restore:** \(between(started, incident["resolved_at"]?.stringValue))\n"
        if let cause = incident["confirmed_cause"]?.stringValue { out += "- **Confirmed cause:** \(IncidentText.escape(cause))\n" }
        out += "\n" + IncidentText.suspects(incident, markdown: true) + "\n"
        out += "## What was done\n\n"
        let actions = events.filter { ($0["action"]?.stringValue ?? "").hasPrefix("incident.") }
        out += actions.isEmpty ? "Nothing was recorded.\n" : actions.map { "- \(line($0))\n" }.joined()
        out += "\n## AI involvement\n\n" + ai(timeline, events: events) + "\n"
        out += "## Timeline\n\n"
        out += events.isEmpty ? "No event was recorded.\n" : events.map { "- \(line($0))\n" }.joined()
        out += "\n## What went well\n\n_To fill in._\n\n## What went wrong\n\n_To fill in._\n\n## Action items\n\n"
        out += "| Action | Owner | Due |\n|---|---|---|\n| _To fill in_ | | |\n"
        return out
    }

    /// Whether the implicated change was AI-assisted (with tools and models), and whether agents acted.
    static func ai(_ timeline: JSONValue, events: [JSONValue]) -> String {
        var out = ""
        if let change = timeline["change"], change != .null {
            let provenance = change["provenance"]
            let kind = provenance?["kind"]?.stringValue ?? provenance?.stringValue ?? "human"
            out +=
                "- **Implicated change \(change["id"]?.intValue ?? 0)** (\(IncidentText.escape(change["branch"]?.stringValue ?? ""))): \(kind)"
            let tools = provenance?["tools"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let models = provenance?["models"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if !tools.isEmpty { out += "; tools \(tools.joined(separator: ", "))" }
            if !models.isEmpty { out += "; models \(models.joined(separator: ", "))" }
            if let risk = change["risk"]?["score"]?.intValue { out += "; risk \(risk)" }
            out += "\n"
        } else {
            out += "- No change is implicated: the top suspect has none behind it.\n"
        }
        let agents = events.filter { ["agent.decision", "operation.grant_used"].contains($0["action"]?.stringValue ?? "") }
        out +=
            agents.isEmpty
            ? "- No AI agent's operation is among the suspects.\n"
            : "- AI agents acted: "
                + agents.map {
                    "\($0["payload"]?["agent"]?.stringValue ?? $0["actor"]?.stringValue ?? "") ran `\($0["payload"]?["command"]?.stringValue ?? "")`"
                }.joined(separator: "; ") + "\n"
        let automatic = events.contains { $0["action"]?.stringValue == "incident.auto_rollback" }
        out += automatic ? "- The response: Blastwall rolled the top suspect back automatically.\n" : ""
        return out
    }

    /// "2026-12-02T03:00:04.000Z — **rollout.step** by system (rollout/42): canary_weight 25".
    static func line(_ event: JSONValue) -> String {
        var details: [String] = []
        if case .object(let members)? = event["payload"] {
            for (key, value) in members.prefix(4) {
                switch value {
                case .string(let text): details.append("\(key) \(text.prefix(240))")
                case .int(let number): details.append("\(key) \(number)")
                case .bool(let flag): details.append("\(key) \(flag)")
                case .double(let number): details.append("\(key) \(IncidentText.format(number))")
                default: continue
                }
            }
        }
        let suffix = details.isEmpty ? "" : ": " + IncidentText.escape(details.joined(separator: ", "))
        return "\(event["time"]?.stringValue ?? "") — **\(event["action"]?.stringValue ?? "")** by "
            + "\(IncidentText.escape(event["actor"]?.stringValue ?? "")) (\(IncidentText.escape(event["subject"]?.stringValue ?? "")))\(suffix)"
    }

    static func between(_ start: String?, _ end: String?) -> String {
        guard let start = start.flatMap(Timestamp.init(rfc3339:)), let end = end.flatMap(Timestamp.init(rfc3339:)) else { return "—" }
        return readableDuration(max(0, Double(end.nanoseconds - start.nanoseconds) / 1e9))
    }
}
