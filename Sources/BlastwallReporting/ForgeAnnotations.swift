import BlastwallCore

/// The report's findings as annotations on a pull request's files (a check run's `output.annotations`):
/// deny rules and rules that failed to evaluate as failures, class patterns and configuration warnings as warnings.
public enum ForgeAnnotations {
    public static func render(_ report: GateReport) -> [ForgeAnnotation] {
        var annotations: [ForgeAnnotation] = []
        for match in report.matchedRules where match.deny != nil || match.error != nil {
            guard let location = match.location else { continue }
            annotations.append(
                ForgeAnnotation(
                    path: path(location.file), line: location.line, level: .failure, title: "Blastwall rule \(match.name)",
                    message: match.deny ?? match.error ?? ""))
        }
        for file in report.files {
            for finding in file.findings {
                annotations.append(
                    ForgeAnnotation(
                        path: file.change.path, line: finding.line, level: .warning, title: "Blastwall: \(finding.className)",
                        message: "added line matches the '\(finding.className)' pattern \(finding.pattern)"))
            }
        }
        for warning in report.configurationWarnings {
            guard let location = warning.location else { continue }
            annotations.append(
                ForgeAnnotation(
                    path: path(location.file), line: location.line, level: .warning, title: "Blastwall", message: warning.message))
        }
        return annotations
    }

    /// The file's path in the repository: a policy read at the base is named `blastwall.yml (at 0123abcd)`.
    static func path(_ file: String) -> String {
        guard let range = file.range(of: " (at ") else { return file }
        return String(file[..<range.lowerBound])
    }
}
