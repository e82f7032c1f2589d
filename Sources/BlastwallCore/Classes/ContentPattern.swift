import LinearRegex

/// A regular expression tested against added lines, with a cheap literal pre-check.
///
/// Patterns are RE2 syntax, matched in linear time, so no pattern can hang `check` on a crafted line.
/// Most added lines cannot match because they lack a word the pattern requires: `requiredWords`
/// (any one of them, case-insensitively) lets those lines skip the regex.
public struct ContentPattern: Sendable {
    public let source: String
    private let regex: LinearRegex
    let requiredWords: [[UInt8]]?
    /// When set, a line matches only if it also holds a random-looking token (`TokenEntropy`) of at least
    /// this many bits per character: a key, not a word or a placeholder such as `your-token-here`.
    let minimumTokenEntropy: Double?

    /// Compiles `source`; `requiredWords` must each be lowercase, and every match must contain one of them.
    public init(_ source: String, requiredWords: [String]? = nil, minimumTokenEntropy: Double? = nil) throws(ContentPatternError) {
        self.source = source
        self.minimumTokenEntropy = minimumTokenEntropy
        do {
            regex = try LinearRegex(source)
        } catch {
            throw ContentPatternError(pattern: source, reason: "\(error)")
        }
        self.requiredWords = (requiredWords ?? RequiredWords.infer(from: source))?.map { Array($0.lowercased().utf8) }
    }

    /// Whether the pattern matches anywhere in `line`.
    public func matches(_ line: String) -> Bool {
        guard regex.matches(in: line) else { return false }
        guard let minimumTokenEntropy else { return true }
        return TokenEntropy.hasRandomToken(in: line, minimumBits: minimumTokenEntropy)
    }
}

/// A content pattern that is not a valid regular expression.
public struct ContentPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public var pattern: String
    public var reason: String

    public var description: String { "invalid regular expression '\(pattern)': \(reason)" }
}

/// Infers words that every match of a regular expression must contain, when that is easy to prove.
enum RequiredWords {
    /// For patterns made of literal letters, escapes such as `\s` or `\b`, and a top-level alternation of
    /// such branches, returns the longest literal run of each branch; otherwise nil (no pre-check).
    static func infer(from pattern: String) -> [String]? {
        var body = Substring(pattern)
        if body.hasPrefix("(?i)") { body = body.dropFirst(4) }
        var branches: [String] = []
        var longest = ""
        var run = ""
        var depth = 0
        var index = body.startIndex
        func endRun() {
            if run.count > longest.count { longest = run }
            run = ""
        }
        while index < body.endIndex {
            let character = body[index]
            let next = body.index(after: index)
            switch character {
            case "\\":
                guard next < body.endIndex else { return nil }
                endRun()
                index = body.index(after: next)
                continue
            case "[":
                // A character class: skip to its closing bracket.
                endRun()
                var cursor = next
                if cursor < body.endIndex, body[cursor] == "]" { cursor = body.index(after: cursor) }
                while cursor < body.endIndex, body[cursor] != "]" {
                    if body[cursor] == "\\" { cursor = body.index(after: cursor) }
                    if cursor < body.endIndex { cursor = body.index(after: cursor) }
                }
                guard cursor < body.endIndex else { return nil }
                index = body.index(after: cursor)
                continue
            case "(":
                if depth == 0 { endRun() }
                depth += 1
            case ")":
                depth -= 1
            case "|":
                if depth == 0 {
                    endRun()
                    guard longest.count >= 3 else { return nil }
                    branches.append(longest)
                    longest = ""
                } else {
                    // An alternation inside a group makes the group's text optional for our purposes.
                    run = ""
                }
            case "?", "*", "{":
                // The preceding character is optional: drop it from the run.
                if depth == 0, !run.isEmpty { run.removeLast() }
                endRun()
            default:
                if depth == 0, character.isLetter || character.isNumber || character == "_" || character == "-" {
                    run.append(character)
                } else if depth == 0 {
                    endRun()
                }
            }
            index = next
        }
        endRun()
        guard longest.count >= 3 else { return nil }
        branches.append(longest)
        return branches.map { $0.lowercased() }
    }
}
