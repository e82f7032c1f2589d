/// A parsed CODEOWNERS file: ordered path rules with owners, last match wins.
public struct Codeowners: Sendable {
    public struct Entry: Sendable {
        public var owners: [String]
        public var line: Int
    }

    public private(set) var rules = PathRuleSet<Entry>()
    public let path: String

    /// Where GitHub looks for CODEOWNERS, in its order.
    public static let usualPaths = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"]

    /// One rule line of a CODEOWNERS file, as written and as read.
    public struct Line: Sendable {
        /// The pattern with `\ ` read as a space.
        public var pattern: String
        public var owners: [String]
        public var line: Int
        /// The pattern as read, or why it cannot be.
        public var parsed: Result<PathPattern, PathPatternError>
    }

    /// Parses CODEOWNERS text; invalid patterns are errors with their line numbers.
    public init(text: String, path: String) throws(ConfigurationError) {
        self.path = path
        var diagnostics: [Diagnostic] = []
        for line in Self.lines(of: text) {
            switch line.parsed {
            case .success(let parsed): rules.append(parsed, Entry(owners: line.owners, line: line.line))
            case .failure(let problem):
                diagnostics.append(Diagnostic(.error, problem.description, at: SourceLocation(file: path, line: line.line, column: 1)))
            }
        }
        if !diagnostics.isEmpty { throw ConfigurationError(diagnostics: diagnostics) }
    }

    /// The rule lines of CODEOWNERS text, in order, without comments and blank lines; `\n` or `\r\n` ends a line.
    public static func lines(of text: String) -> [Line] {
        var lines: [Line] = []
        let rawLines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (offset, rawLine) in rawLines.enumerated() {
            var line = Substring(rawLine)
            if let hash = Self.commentStart(line) { line = line[..<hash] }
            let fields = Self.fields(of: line)
            guard let patternText = fields.first else { continue }
            let pattern = patternText.replacingEscapedSpaces()
            let parsed = Result { () throws(PathPatternError) in try PathPattern(pattern) }
            lines.append(Line(pattern: pattern, owners: Array(fields.dropFirst()), line: offset + 1, parsed: parsed))
        }
        return lines
    }

    /// The owners and line of the last rule matching `path`, if any.
    public func owners(of path: String) -> Entry? {
        rules.lastMatch(for: path)?.rule.payload
    }

    /// The blank-separated fields of a line; `\ ` stays inside its field (a pattern with a space).
    private static func fields(of line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if !escaped, character == " " || character == "\t" || character == "\r" {
                if !current.isEmpty { fields.append(current) }
                current = ""
                continue
            }
            escaped = !escaped && character == "\\"
            current.append(character)
        }
        if !current.isEmpty { fields.append(current) }
        return fields
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
