/// A path split into its `/`-separated segments once, so several rule sets can match it without re-splitting.
public struct PathSegments: Sendable {
    let segments: [[UInt8]]

    public init(_ path: String) {
        segments = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map(Array.init)
    }
}

/// An ordered list of path patterns with payloads, matched CODEOWNERS-style: the last matching rule wins.
///
/// Lookups never scan every rule. Anchored patterns sit in a trie keyed by their leading literal
/// segments; patterns that match at any depth (`Dockerfile`, `*.sql`, `apps/`) are indexed by the name,
/// last byte or first byte that any segment they match must have. Only those candidates are tested.
public struct PathRuleSet<Payload: Sendable>: Sendable {
    public struct Rule: Sendable {
        public var pattern: PathPattern
        public var payload: Payload
    }

    public private(set) var rules: [Rule] = []
    private var root = TrieNode()
    /// `**/name` patterns keyed by that name.
    private var anyDepthNames: [[UInt8]: [Int]] = [:]
    /// `**/glob` patterns keyed by the glob's literal last byte (`*.sql` → `l`).
    private var anyDepthGlobsByLastByte: [UInt8: [Int]] = [:]
    /// `**/glob` patterns keyed by the glob's literal first byte (`Dockerfile.*` → `D`).
    private var anyDepthGlobsByFirstByte: [UInt8: [Int]] = [:]
    /// `**/glob` patterns that start and end with a wildcard, tested against every path.
    private var anyDepthGlobsOther: [Int] = []

    private struct TrieNode: Sendable {
        var children: [[UInt8]: TrieNode] = [:]
        /// Indices of rules whose literal prefix ends here, in ascending order.
        var rules: [Int] = []
    }

    public init() {}

    public mutating func append(_ pattern: PathPattern, _ payload: Payload) {
        let index = rules.count
        rules.append(Rule(pattern: pattern, payload: payload))
        if pattern.segments.count >= 2, pattern.segments[0] == .anyDepth {
            switch pattern.segments[1] {
            case .literal(let name):
                anyDepthNames[Array(name.utf8), default: []].append(index)
                return
            case .glob(let tokens) where pattern.segments.count == 2:
                if case .character(let last) = tokens.last {
                    anyDepthGlobsByLastByte[last, default: []].append(index)
                } else if case .character(let first) = tokens.first {
                    anyDepthGlobsByFirstByte[first, default: []].append(index)
                } else {
                    anyDepthGlobsOther.append(index)
                }
                return
            default:
                break
            }
        }
        let prefix = pattern.literalPrefix.map { Array($0.utf8) }
        Self.insert(index, at: prefix[...], into: &root)
    }

    private static func insert(_ index: Int, at prefix: ArraySlice<[UInt8]>, into node: inout TrieNode) {
        guard let first = prefix.first else {
            node.rules.append(index)
            return
        }
        insert(index, at: prefix.dropFirst(), into: &node.children[first, default: TrieNode()])
    }

    /// The index and payload of the last rule that matches `path`, or nil when none does.
    public func lastMatch(for path: String) -> (index: Int, rule: Rule)? {
        lastMatch(in: PathSegments(path))
    }

    public func lastMatch(in path: PathSegments) -> (index: Int, rule: Rule)? {
        var best = -1
        forEachCandidate(path.segments) { index in
            if index > best, rules[index].pattern.matches(segments: path.segments) { best = index }
        }
        return best >= 0 ? (best, rules[best]) : nil
    }

    /// Every rule that matches `path`, in rule order.
    public func allMatches(for path: String) -> [Rule] {
        allMatches(in: PathSegments(path))
    }

    public func allMatches(in path: PathSegments) -> [Rule] {
        var matched = Set<Int>()
        forEachCandidate(path.segments) { index in
            if !matched.contains(index), rules[index].pattern.matches(segments: path.segments) { matched.insert(index) }
        }
        return matched.sorted().map { rules[$0] }
    }

    /// Calls `body` with every rule that could match; a rule may be offered more than once.
    private func forEachCandidate(_ segments: [[UInt8]], _ body: (Int) -> Void) {
        var node = root
        node.rules.forEach(body)
        for segment in segments {
            guard let child = node.children[segment] else { break }
            child.rules.forEach(body)
            node = child
        }
        anyDepthGlobsOther.forEach(body)
        for segment in segments {
            if !anyDepthNames.isEmpty { anyDepthNames[segment]?.forEach(body) }
            if let last = segment.last { anyDepthGlobsByLastByte[last]?.forEach(body) }
            if let first = segment.first { anyDepthGlobsByFirstByte[first]?.forEach(body) }
        }
    }
}
