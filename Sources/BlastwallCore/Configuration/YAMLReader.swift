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
