import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import CEL

/// What the change pages show of a change, from its record and its stored report.
enum ChangeFacts {
    static func provenanceLabel(_ kind: String) -> String {
        switch kind {
        case "ai-assisted": "AI-assisted"
        case "ai-authored": "AI-authored"
        case "bot": "bot"
        default: "human"
        }
    }

    /// The tools and models the report's provenance names: "Claude Code · claude-opus-4".
    static func tools(_ report: JSONValue) -> String {
        let provenance = report["provenance"]
        let names = (provenance?["tools"]?.arrayValue ?? []) + (provenance?["models"]?.arrayValue ?? [])
        return names.compactMap(\.stringValue).joined(separator: " · ")
    }

    static func author(_ report: JSONValue, submittedBy: String) -> String {
        let names = (report["commits"]?.arrayValue ?? []).compactMap { $0["author"]?["name"]?.stringValue }
        var seen: [String] = []
        for name in names where !seen.contains(name) { seen.append(name) }
        return seen.isEmpty ? submittedBy : seen.prefix(3).joined(separator: ", ") + (seen.count > 3 ? " +\(seen.count - 3)" : "")
    }

    static func risk(_ report: JSONValue) -> (level: String, label: String) {
        guard let level = report["risk"]?["level"]?.stringValue else { return ("unknown", "not scored") }
        let score = report["risk"]?["score"]?.intValue.map { " \($0)" } ?? ""
        return (level, level + score)
    }

    static func dependents(_ report: JSONValue) -> [String] {
        (report["blast_radius"]?["dependents"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    /// "4 minutes ago", "3 hours ago", "2 days ago": how old `time` is at `now`.
    static func age(_ time: String, now: Timestamp) -> String {
        guard let then = Timestamp(rfc3339: time) else { return time }
        let seconds = max(0, Double(now.nanoseconds - then.nanoseconds) / 1e9)
        func unit(_ value: Int, _ name: String) -> String { "\(value) \(name)\(value == 1 ? "" : "s") ago" }
        if seconds < 90 { return "just now" }
        if seconds < 5_400 { return unit(Int((seconds / 60).rounded()), "minute") }
        if seconds < 36 * 3_600 { return unit(Int((seconds / 3_600).rounded()), "hour") }
        return unit(Int((seconds / 86_400).rounded()), "day")
    }
}
