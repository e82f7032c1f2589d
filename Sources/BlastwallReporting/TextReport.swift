import BlastwallCore

/// The human-readable report: the decision first, then why, then the evidence.
public enum TextReport {
    public static func render(_ report: GateReport, useColor: Bool) -> String {
        let style = TerminalStyle(enabled: useColor)
        var out = ""
        let decisionText: String
        switch report.decision {
        case .allow: decisionText = style.green("ALLOW")
        case .review: decisionText = style.yellow("REVIEW")
        case .deny: decisionText = style.red("DENY")
        }
        out += "\(style.bold("Blastwall")): \(decisionText)   risk \(report.risk.score)/100 (\(report.risk.level.rawValue))\n"
        let range = [report.base.map { String($0.prefix(12)) }, report.head.map { String($0.prefix(12)) }].compactMap { $0 }.joined(
            separator: "..")
        let provenanceTools = (report.provenance.tools + report.provenance.models).joined(separator: ", ")
        out +=
            "  \(range.isEmpty ? "diff" : range): \(counted(report.files.count, "file")) (+\(report.linesAdded) -\(report.linesRemoved)), "
        out += "provenance \(report.provenance.kind.rawValue)\(provenanceTools.isEmpty ? "" : " (\(provenanceTools))")\n"

        if !report.reasons.isEmpty {
            out += "\n" + style.bold(report.decision == .deny ? "Denied because:" : "Needs review because:") + "\n"
            for reason in report.reasons { out += "  - \(reason)\n" }
        }
        if report.decision != .allow || report.requirements != .none {
            out += "\n" + style.bold("Requirements:") + " \(PolicyEvaluator.describe(report.requirements))\n"
            for (service, owners) in report.requiredOwners.sorted(by: { $0.key < $1.key }) {
                out += "  owners of \(service): \(owners.isEmpty ? "(none defined)" : owners.joined(separator: ", "))\n"
            }
        }
        if !report.warnings.isEmpty || !report.configurationWarnings.isEmpty {
            out += "\n" + style.bold("Warnings:") + "\n"
            for warning in report.warnings { out += "  - \(style.yellow(warning))\n" }
            for warning in report.configurationWarnings { out += "  - \(warning)\n" }
        }

        out += "\n" + style.bold("Services touched:") + (report.services.isEmpty ? " none\n" : "\n")
        for service in report.services {
            let owners = service.owners.isEmpty ? "no owners" : service.owners.joined(separator: " ")
            out += "  \(service.name) (tier \(service.tier), \(owners)) \(service.fileCount) file\(service.fileCount == 1 ? "" : "s")\n"
        }
        if !report.blastRadius.dependents.isEmpty || !report.services.isEmpty {
            out +=
                style.bold("Blast radius:")
                + " \(counted(report.blastRadius.services.count, "service")), most critical tier \(report.blastRadius.maxTier)"
            if !report.blastRadius.dependents.isEmpty {
                out += "; through dependencies: \(report.blastRadius.dependents.joined(separator: ", "))"
            }
            out += "\n"
        }
        out += style.bold("Classes:") + " \(report.classes.isEmpty ? "none" : report.classes.joined(separator: ", "))\n"
        if !report.risk.factors.isEmpty {
            out += style.bold("Risk factors:") + "\n"
            for factor in report.risk.factors {
                out += "  +\(factor.points) \(factor.name): \(factor.reason)\n"
            }
        }
        if !report.matchedRules.isEmpty {
            out += style.bold("Rules matched:") + "\n"
            for rule in report.matchedRules {
                out += "  \(rule.name)\(rule.location.map { "  (\($0))" } ?? "")\n"
            }
        }
        let findings = report.files.flatMap { file in file.findings.map { (file.change.path, $0) } }
        if !findings.isEmpty {
            out += style.bold("Findings:") + "\n"
            for (path, finding) in findings.prefix(20) { out += "  \(path):\(finding.line): \(finding.className)\n" }
            if findings.count > 20 { out += "  … and \(findings.count - 20) more\n" }
        }
        if !report.unownedFiles.isEmpty {
            out += style.bold("Unowned files:") + " \(report.unownedFiles.count)\n"
            for path in report.unownedFiles.prefix(10) { out += "  \(path)\n" }
            if report.unownedFiles.count > 10 { out += "  … and \(report.unownedFiles.count - 10) more\n" }
        }
        return out
    }
}

/// ANSI styling that becomes a no-op when colour is off.
struct TerminalStyle {
    let enabled: Bool

    private func wrap(_ text: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    func bold(_ text: String) -> String { wrap(text, "1") }
    func red(_ text: String) -> String { wrap(text, "1;31") }
    func green(_ text: String) -> String { wrap(text, "1;32") }
    func yellow(_ text: String) -> String { wrap(text, "33") }
}
