import BlastwallCore

/// GitHub Actions workflow commands (`::error file=…,line=…::message`) that annotate the pull request.
public enum GitHubAnnotations {
    public static func render(_ report: GateReport) -> String {
        var out = ""
        let level: String
        switch report.decision {
        case .allow: level = "notice"
        case .review: level = "warning"
        case .deny: level = "error"
        }
        let summary = report.reasons.isEmpty ? "risk \(report.risk.score)/100" : report.reasons.joined(separator: "; ")
        out += "::\(level) title=\(property("Blastwall: \(report.decision.rawValue)"))::\(data(summary))\n"
        for file in report.files {
            for finding in file.findings {
                out +=
                    "::warning file=\(property(file.change.path)),line=\(finding.line),title=\(property("Blastwall: \(finding.className)"))::"
                out += data("added line matches the '\(finding.className)' pattern \(finding.pattern)") + "\n"
            }
        }
        for match in report.matchedRules where match.deny != nil || match.error != nil {
            let message = match.deny ?? match.error ?? ""
            if let location = match.location {
                out +=
                    "::error file=\(property(location.file)),line=\(location.line),col=\(location.column),title=\(property("Blastwall rule \(match.name)"))::\(data(message))\n"
            }
        }
        for warning in report.configurationWarnings {
            if let location = warning.location {
                out += "::warning file=\(property(location.file)),line=\(location.line),col=\(location.column)::\(data(warning.message))\n"
            }
        }
        return out
    }

    /// Escaping for the message part, as the runner expects.
    static func data(_ text: String) -> String {
        text.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }

    /// Escaping for property values, which also reserve `:` and `,`.
    static func property(_ text: String) -> String {
        data(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}
