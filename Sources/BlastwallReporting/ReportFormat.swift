import BlastwallCore

/// The output formats of `blastwall check`.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, markdown, sarif, github, junit
}

/// Renders a gate report in any supported format.
public enum ReportRenderer {
    /// `useColor` applies to text only; callers decide it from the terminal and `NO_COLOR`.
    public static func render(_ report: GateReport, as format: ReportFormat, useColor: Bool = false) -> String {
        switch format {
        case .text: return TextReport.render(report, useColor: useColor)
        case .json: return JSONReport.render(report).serialized() + "\n"
        case .markdown: return MarkdownReport.render(report)
        case .sarif: return SARIFReport.render(report).serialized() + "\n"
        case .github: return GitHubAnnotations.render(report)
        case .junit: return JUnitReport.render(report)
        }
    }
}
