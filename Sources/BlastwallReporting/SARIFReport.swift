import BlastwallCore

/// A SARIF 2.1.0 log: findings on added lines, classes per file, matched rules and the decision as results.
public enum SARIFReport {
    public static let version = "0.1.0"

    public static func render(_ report: GateReport) -> JSONValue {
        var rules: [(id: String, description: String)] = [("blastwall/decision", "The gate's decision for the change")]
        var results: [JSONValue] = []
        func ruleIndex(_ id: String, _ description: String) -> Int {
            if let index = rules.firstIndex(where: { $0.id == id }) { return index }
            rules.append((id, description))
            return rules.count - 1
        }
        let level: String
        switch report.decision {
        case .allow: level = "note"
        case .review: level = "warning"
        case .deny: level = "error"
        }
        let summary =
            "Blastwall decision: \(report.decision.rawValue) (risk \(report.risk.score)/100)"
            + (report.reasons.isEmpty ? "" : ": " + report.reasons.joined(separator: "; "))
        // GitHub code scanning refuses a result without a location: the decision points at the rules that made
        // it, else at the first changed file, else at the configuration.
        let denying = report.matchedRules.filter { $0.deny != nil }
        let ruleLocations = (report.decision == .deny && !denying.isEmpty ? denying : report.matchedRules).compactMap(\.location)
        let fallback = [location(report.files.first?.change.path ?? Configuration.fileNames[0], line: nil)]
        let decisionLocations =
            ruleLocations.isEmpty ? fallback : ruleLocations.prefix(5).map { location($0.file, line: $0.line) }
        results.append(result(ruleId: "blastwall/decision", index: 0, level: level, message: summary, locations: decisionLocations))

        for file in report.files {
            for className in file.classes {
                let id = "blastwall/class/\(className)"
                let index = ruleIndex(id, "Changes of class '\(className)'")
                let lines = file.findings.filter { $0.className == className }
                let locations =
                    lines.isEmpty
                    ? [location(file.change.path, line: nil)]
                    : lines.map { location(file.change.path, line: $0.line) }
                results.append(
                    result(
                        ruleId: id, index: index, level: "note", message: "\(file.change.path) is a '\(className)' change",
                        locations: locations))
            }
        }
        for match in report.matchedRules {
            let id = "blastwall/rule/\(match.name)"
            let index = ruleIndex(id, "Policy rule '\(match.name)'")
            let message = match.deny ?? match.error ?? match.warn ?? "rule '\(match.name)' matched"
            let ruleLevel = match.deny != nil || match.error != nil ? "error" : (match.warn != nil ? "warning" : "note")
            let locations = match.location.map { [location($0.file, line: $0.line)] } ?? fallback
            results.append(result(ruleId: id, index: index, level: ruleLevel, message: message, locations: locations))
        }
        for freeze in report.activeFreezes {
            let id = "blastwall/freeze/\(freeze.name)"
            let index = ruleIndex(id, "Change freeze '\(freeze.name)'")
            results.append(
                result(
                    ruleId: id, index: index, level: "error",
                    message: "freeze '\(freeze.name)' is active until \(freeze.until.rfc3339): \(freeze.reason)",
                    locations: fallback))
        }
        let driver: JSONValue = .object([
            ("name", .string("blastwall")),
            ("semanticVersion", .string(version)),
            (
                "rules",
                .array(
                    rules.map { rule in
                        .object([("id", .string(rule.id)), ("shortDescription", .object([("text", .string(rule.description))]))])
                    })
            ),
        ])
        return .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            (
                "runs",
                .array([
                    .object([
                        ("tool", .object([("driver", driver)])),
                        ("results", .array(results)),
                    ])
                ])
            ),
        ])
    }

    private static func result(ruleId: String, index: Int, level: String, message: String, locations: [JSONValue]) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("ruleId", .string(ruleId)), ("ruleIndex", .int(Int64(index))), ("level", .string(level)),
            ("message", .object([("text", .string(message))])),
        ]
        members.append(("locations", .array(locations)))
        return .object(members)
    }

    private static func location(_ path: String, line: Int?) -> JSONValue {
        var physical: [(String, JSONValue)] = [("artifactLocation", .object([("uri", .string(uri(path)))]))]
        if let line, line > 0 { physical.append(("region", .object([("startLine", .int(Int64(line)))]))) }
        return .object([("physicalLocation", .object(physical))])
    }

    /// A relative URI reference: each path segment percent-encoded where URI syntax requires it.
    static func uri(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            let isUnreserved =
                (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                || "-._~/!$&'()*+,;=:@".utf8.contains(byte)
            if isUnreserved {
                out.unicodeScalars.append(UnicodeScalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}
