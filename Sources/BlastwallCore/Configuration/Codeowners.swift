/// A parsed CODEOWNERS file: ordered path rules with owners, last match wins.
public struct Codeowners: Sendable {
    public struct Entry: Sendable {
        public var owners: [String]
        public var line: Int
    }

    public private(set) var rules = PathRuleSet<Entry>()
    public let path: String

    /// Parses CODEOWNERS text; invalid patterns are errors with their line numbers.
    public init(text: String, path: String) throws(ConfigurationError) {
        self.path = path
        var diagnostics: [Diagnostic] = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(rawLine)
            if let hash = Self.commentStart(line) { line = line[..<hash] }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let patternText = fields.first else { continue }
            // GitHub's section headers ([Section]) belong to GitLab syntax; treat them as errors we can explain.
            do {
                let pattern = try PathPattern(String(patternText).replacingEscapedSpaces())
                rules.append(pattern, Entry(owners: fields.dropFirst().map(String.init), line: offset + 1))
            } catch {
                diagnostics.append(Diagnostic(.error, error.description, at: SourceLocation(file: path, line: offset + 1, column: 1)))
            }
        }
        if !diagnostics.isEmpty { throw ConfigurationError(diagnostics: diagnostics) }
    }

    /// The owners and line of the last rule matching `path`, if any.
    public func owners(of path: String) -> Entry? {
        rules.lastMatch(for: path)?.rule.payload
    }

    private static func commentStart(_ line: Substring) -> Substring.Index? {
        var previous: Character?
        for index in line.indices {
            if line[index] == "#", previous != "\\" { return index }
            previous = line[index]
        }
        return nil
    }
}

extension String {
    /// CODEOWNERS allows `\ ` for a space inside a pattern.
    fileprivate func replacingEscapedSpaces() -> String {
        var result = ""
        var escaped = false
        for character in self {
            if escaped {
                if character != " " { result.append("\\") }
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        if escaped { result.append("\\") }
        return result
    }
}
