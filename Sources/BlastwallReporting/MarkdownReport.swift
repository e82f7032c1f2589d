import BlastwallCore

/// A summary for `$GITHUB_STEP_SUMMARY` or a pull-request comment.
public enum MarkdownReport {
    public static func render(_ report: GateReport) -> String {
        let icon = [Decision.allow: "✅", .review: "🟡", .deny: "⛔"][report.decision]!
        var out = "## \(icon) Blastwall: \(report.decision.rawValue)\n\n"
        out += "**Risk** \(report.risk.score)/100 (\(report.risk.level.rawValue)) · **Provenance** \(report.provenance.kind.rawValue)"
        if !report.provenance.tools.isEmpty { out += " (\(escape(report.provenance.tools.joined(separator: ", "))))" }
        out += " · **Files** \(report.files.count) (+\(report.linesAdded) −\(report.linesRemoved))\n\n"
        if !report.reasons.isEmpty {
            for reason in report.reasons { out += "- \(escape(reason))\n" }
            out += "\n"
        }
        if report.requirements.needsReview || report.requirements.canary || report.requirements.maxInitialWeight != nil {
            out += "**Requirements:** \(escape(PolicyEvaluator.describe(report.requirements)))\n\n"
        }
        if !report.services.isEmpty {
            out += "| Service | Tier | Owners | Files |\n|---|---|---|---|\n"
            for service in report.services {
                out +=
                    "| \(escape(service.name)) | \(service.tier) | \(escape(service.owners.joined(separator: " "))) | \(service.fileCount) |\n"
            }
            out += "\n"
        }
        if !report.blastRadius.dependents.isEmpty {
            out +=
                "**Blast radius:** \(counted(report.blastRadius.services.count, "service")); through dependencies: \(escape(report.blastRadius.dependents.joined(separator: ", ")))\n\n"
        }
        if !report.classes.isEmpty { out += "**Classes:** \(report.classes.map { "`\($0)`" }.joined(separator: ", "))\n\n" }
        if !report.risk.factors.isEmpty {
            out += "<details><summary>Risk factors</summary>\n\n| Points | Factor | Reason |\n|---|---|---|\n"
            for factor in report.risk.factors { out += "| +\(factor.points) | \(factor.name) | \(escape(factor.reason)) |\n" }
            out += "\n</details>\n\n"
        }
        if !report.matchedRules.isEmpty {
            out += "**Rules matched:** \(report.matchedRules.map { "`\($0.name)`" }.joined(separator: ", "))\n\n"
        }
        let warnings = report.warnings + report.configurationWarnings.map(\.description)
        if !warnings.isEmpty {
            out += "**Warnings**\n\n"
            for warning in warnings { out += "- ⚠️ \(escape(warning))\n" }
            out += "\n"
        }
        if !report.unownedFiles.isEmpty {
            out += "<details><summary>\(report.unownedFiles.count) unowned files</summary>\n\n"
            for path in report.unownedFiles.prefix(50) { out += "- `\(path)`\n" }
            out += "\n</details>\n"
        }
        return out
    }

    /// Escapes characters that would break a table cell or start Markdown formatting.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "|*_`<>[]".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
