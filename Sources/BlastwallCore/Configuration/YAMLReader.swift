import CEL
import Yams

/// Reads YAML nodes into typed values, collecting diagnostics with `file:line:column` positions.
struct YAMLReader {
    let file: String
    let lines: [Substring]
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, text: String) {
        self.file = file
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The document's root node; a syntax error or an empty document is a `ConfigurationError` at its place.
    static func compose(_ text: String, file: String, ifEmpty: String) throws(ConfigurationError) -> Node {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, Resolver.basic)
        } catch {
            throw ConfigurationError(diagnostics: [syntaxDiagnostic(error, file: file, text: text)])
        }
        guard let root else {
            throw ConfigurationError(diagnostics: [Diagnostic(.error, ifEmpty, at: SourceLocation(file: file, line: 1, column: 1))])
        }
        return root
    }

    private static func syntaxDiagnostic(_ error: any Error, file: String, text: String) -> Diagnostic {
        if let yamlError = error as? YamlError {
            switch yamlError {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                let line = mark.line >= 1 && mark.line <= lines.count ? lines[mark.line - 1] : ""
                let hint = quotingHint(for: line).map { "; \($0)" } ?? ""
                return Diagnostic(
                    .error, "invalid YAML: \(problem)\(hint)", at: SourceLocation(file: file, line: mark.line, column: mark.column))
            case .duplicatedKeysInMapping(let duplicates, let context):
                return Diagnostic(
                    .error, "duplicate key '\(duplicates.joined(separator: "', '"))' in a mapping; each key may appear once",
                    at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column))
            default: break
            }
        }
        return Diagnostic(.error, "invalid YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
    }

    /// A value that starts with a quoted string and goes on after it, such as a CEL condition
    /// `when: 'secrets' in change.classes`: YAML reads the quotes as its own. Says how to quote it whole.
    static func quotingHint(for line: Substring) -> String? {
        var rest = line.drop { $0 == " " }
        if rest.hasPrefix("- ") { rest = rest.dropFirst(2).drop { $0 == " " } }
        guard let colon = rest.firstRange(of: ": ") else { return nil }
        let key = rest[..<colon.lowerBound]
        let value = rest[colon.upperBound...].drop { $0 == " " }
        guard let quote = value.first, quote == "'" || quote == "\"",
            let closing = value.dropFirst().firstIndex(of: quote),
            !value[value.index(after: closing)...].allSatisfy({ $0 == " " })
        else { return nil }
        let other: Character = quote == "'" ? "\"" : "'"
        let whole = String(value).trimmingWhitespace()
        if whole.contains(other) {
            return
                "the value of '\(key)' starts with a quoted string and goes on after it; write it on the next lines as a block scalar, after \(key): >-"
        }
        return
            "the value of '\(key)' starts with a quoted string and goes on after it; quote the whole value: \(key): \(other)\(whole)\(other)"
    }

    func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    mutating func error(_ message: String, at node: Node) {
        diagnostics.append(Diagnostic(.error, message, at: location(node)))
    }

    mutating func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.error, message, at: location))
    }

    mutating func warning(_ message: String, at location: SourceLocation?) {
        diagnostics.append(Diagnostic(.warning, message, at: location))
    }

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// A mapping's entries with string keys; reports unknown keys (with a suggestion) and duplicates.
    mutating func mapping(_ node: Node, _ context: String, allowedKeys: [String]? = nil) -> [(key: String, keyNode: Node, value: Node)]? {
        if Self.isNull(node) { return [] }
        guard case .mapping(let mapping) = node else {
            error("\(context) must be a mapping of keys to values", at: node)
            return nil
        }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        var seen = Set<String>()
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                error("keys in \(context) must be plain strings", at: keyNode)
                continue
            }
            let key = scalar.string
            guard seen.insert(key).inserted else {
                error("duplicate key '\(key)' in \(context)", at: keyNode)
                continue
            }
            if let allowedKeys, !allowedKeys.contains(key) {
                let hint = Suggestion.hint(for: key, among: allowedKeys)
                let known = hint.isEmpty ? "; known keys: \(allowedKeys.joined(separator: ", "))" : hint
                error("unknown key '\(key)' in \(context)\(known)", at: keyNode)
                continue
            }
            entries.append((key, keyNode, value))
        }
        return entries
    }

    mutating func sequence(_ node: Node, _ context: String) -> [Node]? {
        if Self.isNull(node) { return [] }
        guard case .sequence(let sequence) = node else {
            error("\(context) must be a list", at: node)
            return nil
        }
        return Array(sequence)
    }

    mutating func string(_ node: Node, _ context: String) -> String? {
        guard case .scalar(let scalar) = node, !Self.isNull(node) else {
            error("\(context) must be a string", at: node)
            return nil
        }
        return scalar.string
    }

    /// A list of strings; a single string is accepted as a list of one.
    mutating func strings(_ node: Node, _ context: String) -> [String]? {
        if case .scalar = node, !Self.isNull(node) { return string(node, context).map { [$0] } }
        guard let items = sequence(node, context) else { return nil }
        var result: [String] = []
        for item in items {
            guard let value = string(item, "each entry of \(context)") else { return nil }
            result.append(value)
        }
        return result
    }

    /// A list of people, teams or emails. A bare number or boolean is refused: YAML reads `sre: 5` as
    /// a number, and it names no one.
    mutating func handles(_ node: Node, _ context: String) -> [String]? {
        let items: [Node]
        if case .scalar = node, !Self.isNull(node) { items = [node] } else { items = sequence(node, context) ?? [] }
        var wellTyped = true
        for item in items {
            guard case .scalar(let scalar) = item, scalar.style == .plain else { continue }
            let what: String? =
                if Int(scalar.string) != nil || Double(scalar.string) != nil {
                    "the number \(scalar.string)"
                } else if ["true", "false", "yes", "no", "on", "off"].contains(scalar.string.lowercased()) {
                    "the boolean \(scalar.string)"
                } else { nil }
            if let what {
                error(
                    "\(context) must name people, teams or emails, such as [\"@alice\", \"@acme/sre\"]; \(what) names no one",
                    at: item)
                wellTyped = false
            }
        }
        guard wellTyped else { return nil }
        return strings(node, context)
    }

    mutating func int(_ node: Node, _ context: String, in range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.string) else {
            error("\(context) must be a whole number between \(range.lowerBound) and \(range.upperBound)", at: node)
            return nil
        }
        guard range.contains(value) else {
            error("\(context) is \(value), but must be between \(range.lowerBound) and \(range.upperBound)", at: node)
            return nil
        }
        return value
    }

    /// A number (whole or not) within `range`.
    mutating func double(_ node: Node, _ context: String, in range: ClosedRange<Double>) -> Double? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Double(scalar.string), value.isFinite else {
            error("\(context) must be a number between \(range.lowerBound) and \(range.upperBound)", at: node)
            return nil
        }
        guard range.contains(value) else {
            error("\(context) is \(scalar.string), but must be between \(range.lowerBound) and \(range.upperBound)", at: node)
            return nil
        }
        return value
    }

    /// The longest duration any setting takes (a year): longer ones are mistakes, and bounding them keeps
    /// every later conversion to integers and clocks in range.
    static let maximumSeconds: Double = 366 * 24 * 3600

    /// A duration in seconds, written as CEL writes durations (`30s`, `1m30s`, `1.5h`) or as plain seconds.
    mutating func seconds(_ node: Node, _ context: String, atLeast minimum: Double = 0) -> Double? {
        guard case .scalar(let scalar) = node, !Self.isNull(node) else {
            error("\(context) must be a duration such as 30s, 5m or 1h30m", at: node)
            return nil
        }
        let parsed = Double(scalar.string) ?? CEL.Duration(parsing: scalar.string).map { Double($0.nanoseconds) / 1e9 }
        guard let value = parsed, value.isFinite else {
            error("\(context) is '\(scalar.string)', but must be a duration such as 30s, 5m or 1h30m", at: node)
            return nil
        }
        guard value >= minimum else {
            error("\(context) is '\(scalar.string)', but must be at least \(minimum) seconds", at: node)
            return nil
        }
        guard value <= Self.maximumSeconds else {
            error("\(context) is '\(scalar.string)', but must be at most 8784h (a year)", at: node)
            return nil
        }
        return value
    }

    /// One of an enumeration's names, with a suggestion for near misses.
    mutating func choice<Choice: RawRepresentable & CaseIterable>(_ node: Node, _ context: String, of _: Choice.Type) -> Choice?
    where Choice.RawValue == String {
        guard let text = string(node, context) else { return nil }
        guard let value = Choice(rawValue: text) else {
            let names = Choice.allCases.map(\.rawValue)
            error(
                "\(context) is '\(text)', but must be one of \(names.joined(separator: ", "))\(Suggestion.hint(for: text, among: names))",
                at: node)
            return nil
        }
        return value
    }

    mutating func bool(_ node: Node, _ context: String) -> Bool? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, ["true", "false"].contains(scalar.string) else {
            error("\(context) must be true or false", at: node)
            return nil
        }
        return scalar.string == "true"
    }

    /// Where a position inside a scalar's text lies in the file, accounting for quotes and block scalars.
    func location(of position: (line: Int, column: Int), inScalar node: Node) -> SourceLocation {
        guard case .scalar(let scalar) = node, let mark = node.mark else { return location(node) }
        switch scalar.style {
        case .literal, .folded:
            // Block content starts on the next line; columns count from the block's indentation.
            let line = mark.line + position.line
            let firstContent = lines.dropFirst(mark.line).first { !$0.allSatisfy { $0 == " " } }
            let indent = firstContent?.prefix { $0 == " " }.count ?? 0
            return SourceLocation(file: file, line: line, column: indent + position.column)
        default:
            let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted ? 1 : 0
            if position.line == 1 {
                return SourceLocation(file: file, line: mark.line, column: mark.column + quoted + position.column - 1)
            }
            let line = mark.line + position.line - 1
            let indent = line - 1 < lines.count ? lines[line - 1].prefix { $0 == " " }.count : 0
            return SourceLocation(file: file, line: line, column: indent + position.column)
        }
    }
}
