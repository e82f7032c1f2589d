/// A CODEOWNERS path pattern: gitignore-like globs with GitHub's rules.
///
/// - A pattern with a `/` at the start or in the middle is anchored at the repository root;
///   otherwise it matches at any depth.
/// - `*` matches within one path segment, `?` one character, `**` any number of segments.
/// - A trailing `/` matches everything inside a directory; a pattern whose last segment is not a
///   lone `*` also matches everything inside a directory of that name.
/// - `\` escapes the next character. Negation (`!`), character ranges (`[a-z]`) and `***` are
///   rejected, because GitHub does not support them in CODEOWNERS.
public struct PathPattern: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case literal(String)
        /// A segment with `*` or `?` wildcards; `*` may match the empty string.
        case glob([GlobToken])
        /// A segment that is exactly `*`: one whole, non-empty segment.
        case anySegment
        case anyDepth
    }

    enum GlobToken: Sendable, Hashable {
        case character(UInt8)
        case star
        case question
    }

    public let source: String
    let segments: [Segment]

    public var description: String { source }

    /// A pattern already compiled (from a `ConfigurationSnapshot`).
    init(source: String, segments: [Segment]) {
        self.source = source
        self.segments = segments
    }

    /// Compiles a pattern, or throws an error that says what is wrong with it and how to fix it.
    public init(_ source: String) throws(PathPatternError) {
        self.source = source
        let pattern = source.trimmingWhitespace()
        guard !pattern.isEmpty else { throw PathPatternError(pattern: source, reason: "the pattern is empty") }
        if pattern.hasPrefix("!") {
            throw PathPatternError(
                pattern: source, reason: "negation with '!' is not supported in CODEOWNERS; list the paths to include instead")
        }
        // Byte checks rather than `String.contains`, which goes through Foundation: thousands of patterns are
        // compiled on every run of a large configuration.
        let bytes = pattern.utf8
        if bytes.contains(UInt8(ascii: "[")) || bytes.contains(UInt8(ascii: "]")) {
            throw PathPatternError(
                pattern: source, reason: "character ranges such as '[a-z]' are not supported in CODEOWNERS; use '*' or '?'")
        }
        if Self.hasThreeStars(bytes) {
            throw PathPatternError(
                pattern: source, reason: "three consecutive asterisks are not a valid pattern; use '**' to match any depth")
        }
        if pattern == "/" {
            segments = []
            return
        }
        var parts = pattern.split(separator: "/", omittingEmptySubsequences: false)
        if parts.first == "" {
            parts.removeFirst()
        } else if parts.count == 1 || (parts.count == 2 && parts[1] == "") {
            if parts[0] != "**" { parts.insert("**", at: 0) }
        }
        // Consecutive `**` segments mean the same as one.
        var index = 1
        while index < parts.count {
            if parts[index] == "**" && parts[index - 1] == "**" { parts.remove(at: index) } else { index += 1 }
        }
        if parts.count > 1, parts.last == "" { parts[parts.count - 1] = "**" }
        if parts.dropLast().contains("") {
            throw PathPatternError(pattern: source, reason: "the pattern contains an empty path segment ('//')")
        }
        segments = parts.map { part in
            switch part {
            case "**": return .anyDepth
            case "*": return .anySegment
            default: return Self.segment(part)
            }
        }
    }

    private static func hasThreeStars(_ bytes: String.UTF8View) -> Bool {
        var run = 0
        for byte in bytes {
            run = byte == UInt8(ascii: "*") ? run + 1 : 0
            if run == 3 { return true }
        }
        return false
    }

    private static func segment(_ text: Substring) -> Segment {
        var tokens: [GlobToken] = []
        var hasWildcard = false
        var escaped = false
        for byte in text.utf8 {
            if escaped {
                tokens.append(.character(byte))
                escaped = false
                continue
            }
            switch byte {
            case UInt8(ascii: "\\"): escaped = true
            case UInt8(ascii: "*"):
                hasWildcard = true
                if tokens.last != .star { tokens.append(.star) }
            case UInt8(ascii: "?"):
                hasWildcard = true
                tokens.append(.question)
            default: tokens.append(.character(byte))
            }
        }
        if hasWildcard { return .glob(tokens) }
        return .literal(String(decoding: tokens.map { if case .character(let c) = $0 { return c } else { return 0 } }, as: UTF8.self))
    }

    /// The leading literal segments, used to index patterns in a trie.
    var literalPrefix: [String] {
        var prefix: [String] = []
        for segment in segments {
            guard case .literal(let name) = segment else { break }
            prefix.append(name)
        }
        return prefix
    }

    /// Whether the pattern matches a file path (segments split on `/`, no leading slash).
    public func matches(_ path: String) -> Bool {
        matches(segments: path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) })
    }

    func matches(segments path: [[UInt8]]) -> Bool {
        guard !segments.isEmpty else { return false }
        return match(patternIndex: 0, pathIndex: 0, path)
    }

    private func match(patternIndex i: Int, pathIndex j: Int, _ path: [[UInt8]]) -> Bool {
        let isLast = i == segments.count - 1
        switch segments[i] {
        case .anyDepth:
            if isLast { return path.count - j >= 1 }
            // `**/` alone means "inside any directory": the leading `**` must then name at least one directory.
            let directoryOnly = i == 0 && i + 1 == segments.count - 1 && segments[i + 1] == .anyDepth
            let first = directoryOnly ? j + 1 : j
            guard first <= path.count else { return false }
            for k in first...path.count where match(patternIndex: i + 1, pathIndex: k, path) { return true }
            return false
        case .anySegment:
            guard j < path.count, !path[j].isEmpty else { return false }
            return isLast ? j + 1 == path.count : match(patternIndex: i + 1, pathIndex: j + 1, path)
        case .literal(let name):
            guard j < path.count, path[j].elementsEqual(name.utf8) else { return false }
            return isLast || match(patternIndex: i + 1, pathIndex: j + 1, path)
        case .glob(let tokens):
            guard j < path.count, Self.glob(tokens[...], matches: path[j][...]) else { return false }
            return isLast || match(patternIndex: i + 1, pathIndex: j + 1, path)
        }
    }

    /// Matches one segment against glob tokens, with backtracking only at the last star.
    static func glob(_ tokens: ArraySlice<GlobToken>, matches name: ArraySlice<UInt8>) -> Bool {
        var t = tokens.startIndex
        var n = name.startIndex
        var starToken: Int?
        var starName = n
        while n < name.endIndex {
            if t < tokens.endIndex {
                switch tokens[t] {
                case .star:
                    starToken = t
                    starName = n
                    t += 1
                    continue
                case .question:
                    // `?` matches one character: skip a whole UTF-8 scalar.
                    n += 1
                    while n < name.endIndex, name[n] & 0xC0 == 0x80 { n += 1 }
                    t += 1
                    continue
                case .character(let c) where c == name[n]:
                    n += 1
                    t += 1
                    continue
                default: break
                }
            }
            guard let star = starToken else { return false }
            starName += 1
            n = starName
            t = star + 1
        }
        while t < tokens.endIndex, tokens[t] == .star { t += 1 }
        return t == tokens.endIndex
    }
}

/// A path pattern that cannot be compiled.
public struct PathPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public var pattern: String
    public var reason: String

    public var description: String { "invalid path pattern '\(pattern)': \(reason)" }
}

extension String {
    /// Without leading and trailing whitespace (Foundation's trimming, without Foundation).
    public func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
