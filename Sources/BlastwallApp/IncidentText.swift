import BlastwallCore

/// Incidents and their suspects as people read them, from the API's JSON: one line per incident, and the
/// ranked suspects with every term (text for the terminal, Markdown for a chat or a record).
public enum IncidentText {
    /// "#3 open checkout — Checkout errors above 5% (page), since 2026-12-02T03:00:00.000Z".
    public static func line(_ incident: JSONValue) -> String {
        let id = incident["id"]?.intValue ?? 0
        let state = incident["state"]?.stringValue ?? ""
        let service = incident["service"]?.stringValue ?? "no service"
        let severity = incident["severity"]?.stringValue.map { " (\($0))" } ?? ""
        var line =
            "#\(id) \(state) \(service) — \(incident["title"]?.stringValue ?? "")\(severity), since \(incident["started_at"]?.stringValue ?? "")"
        if let seconds = incident["time_to_restore_seconds"]?.doubleValue { line += "; restored in \(readableDuration(seconds))" }
        return line
    }

    /// The incident, and its top suspect when there is one.
    public static func summary(_ incident: JSONValue) -> String {
        var text = line(incident) + "\n"
        if let top = incident["top_suspect"], top != .null {
            text += "  top suspect: \(top["reference"]?.stringValue ?? "") — \(top["explanation"]?.stringValue ?? "")\n"
        } else {
            text += "  no suspect: nothing Blastwall recorded changed in the window before it began\n"
        }
        return text
    }

    public static func suspects(_ incident: JSONValue, markdown: Bool) -> String {
        let ranked = incident["suspects"]?["ranked"]?.arrayValue ?? []
        let unrelated = incident["suspects"]?["unrelated"]?.arrayValue ?? []
        var out =
            markdown ? "## Suspects of incident \(incident["id"]?.intValue ?? 0): \(escape(incident["title"]?.stringValue ?? ""))\n\n" : ""
        if ranked.isEmpty { out += "No suspect: nothing Blastwall recorded changed in the window before the incident began.\n" }
        for (index, suspect) in ranked.enumerated() {
            let reference = suspect["reference"]?.stringValue ?? ""
            let score = suspect["score"]?.doubleValue ?? 0
            let explanation = suspect["explanation"]?.stringValue ?? ""
            let terms = (suspect["terms"]?.arrayValue ?? []).map { term in
                "\(term["name"]?.stringValue ?? "") ×\(format(term["factor"]?.doubleValue ?? 0))"
            }.joined(separator: " · ")
            let rollback = rollbackText(suspect["rollback"])
            if markdown {
                out += "\(index + 1). **\(escape(reference))** (score \(format(score))) — \(escape(explanation))  \n"
                if !terms.isEmpty || rollback != nil { out += "   \(terms)\(rollback.map { "  \n   rollback: \($0)" } ?? "")\n" }
            } else {
                out += "\(index + 1). \(reference)  score \(format(score))\n   \(explanation)\n" + (terms.isEmpty ? "" : "   \(terms)\n")
                if let rollback { out += "   rollback: \(rollback)\n" }
            }
        }
        if !unrelated.isEmpty {
            out += markdown ? "\n**On services the incident's does not depend on:**\n\n" : "\nUnrelated (services it does not depend on):\n"
            for suspect in unrelated {
                let text = "\(suspect["reference"]?.stringValue ?? "") — \(suspect["explanation"]?.stringValue ?? "")"
                out += markdown ? "- \(escape(text))\n" : "  \(text)\n"
            }
        }
        return out
    }

    /// What `incident rollback` would do for a suspect.
    static func rollbackText(_ value: JSONValue?) -> String? {
        switch value?["action"]?.stringValue {
        case "abort": "abort rollout \(value?["rollout"]?.intValue ?? 0) (traffic back to stable)"
        case "undo":
            "undo rollout \(value?["rollout"]?.intValue ?? 0) (\(value?["service"]?.stringValue ?? "") back to its previous version)"
        case "flip": "turn switch \(value?["switch"]?.stringValue ?? "") \(value?["enabled"] == .bool(true) ? "on" : "off") again"
        default: nil
        }
    }

    static func format(_ value: Double) -> String {
        let scaled = (value * 1000).rounded() / 1000
        return scaled == scaled.rounded() ? String(Int(scaled)) : String(scaled)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\*_[]<>|#`".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
