import BlastwallAnalysis
import BlastwallCore

/// `blastwall explain`: which service, rule line, owners and classes apply to each path.
public struct PathExplanation: Sendable {
    public var path: String
    public var service: String?
    public var owners: [String]
    /// The file and line of the rule that decided the service (or, failing that, the owners).
    public var source: SourceLocation?
    public var pattern: String?
    public var classes: [String]

    public static func explain(paths: [String], configPath: String?, repository: String) throws(BlastwallError) -> [PathExplanation] {
        let loaded = try ConfigurationFile.loadForCommand(path: configPath, directory: repository)
        let analyzer = ChangeAnalyzer(configuration: loaded.configuration)
        return paths.map { rawPath in
            let path = rawPath.hasPrefix("./") ? String(rawPath.dropFirst(2)) : rawPath
            let match = analyzer.service(of: path)
            var source = match?.location
            var pattern = match.map { $0.pattern.source }
            // A file in no service is explained by the CODEOWNERS line that owns it, if any.
            if match == nil, let codeowners = loaded.configuration.codeowners, let rule = codeowners.rules.lastMatch(for: path) {
                source = SourceLocation(file: codeowners.path, line: rule.rule.payload.line, column: 1)
                pattern = rule.rule.pattern.source
            }
            return PathExplanation(
                path: path, service: match?.service.name, owners: analyzer.owners(of: path, service: match?.service),
                source: source, pattern: pattern, classes: analyzer.classes(ofPath: path))
        }
    }

    public var json: JSONValue {
        .object([
            ("path", .string(path)),
            ("service", service.map(JSONValue.string) ?? .null),
            ("owners", .array(owners.map(JSONValue.string))),
            ("line", source.map { .int(Int64($0.line)) } ?? .null),
            ("file", source.map { .string($0.file) } ?? .null),
            ("pattern", pattern.map(JSONValue.string) ?? .null),
            ("classes", .array(classes.map(JSONValue.string))),
        ])
    }

    public var text: String {
        var out = "\(path)\n"
        out += "  service: \(service ?? "(none: unowned)")\n"
        if let pattern, let source { out += "  matched: '\(pattern)' at \(source)\n" }
        out += "  owners:  \(owners.isEmpty ? "(none)" : owners.joined(separator: " "))\n"
        out += "  classes: \(classes.isEmpty ? "(none)" : classes.joined(separator: ", "))\n"
        return out
    }
}
